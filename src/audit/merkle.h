// The Merkle tree of RFC 9162 (Certificate Transparency 2.0) §2.1, as a pure engine: hashes in,
// hashes out, no I/O. The audit log (audit_log.h) keeps its entries as the leaves of this tree.
//
//   leaf hash    SHA-256(0x00 || data)                         RFC 9162 §2.1.1
//   node hash    SHA-256(0x01 || left || right)                RFC 9162 §2.1.1
//   empty tree   SHA-256("")                                   RFC 9162 §2.1.1
//   MTH(D[n])    split at k, the largest power of two < n      RFC 9162 §2.1.1
//   PATH(m, D[n]), its verification                           RFC 9162 §2.1.3.1, §2.1.3.2
//   PROOF(m, D[n]), its verification                          RFC 9162 §2.1.4.1, §2.1.4.2
//
// Functions that build a root or a proof take the tree's leaf hashes (not the leaf data).
// Indexes and sizes follow the RFC: leaf indexes are 0-based, sizes count leaves.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/crypto.h"

namespace ctip::audit::merkle {

using Hash = ctip::Sha256;

// SHA-256(0x00 || data).
Hash hash_leaf(std::string_view data);
// SHA-256(0x01 || left || right).
Hash hash_children(const Hash& left, const Hash& right);
// The Merkle Tree Hash of the empty tree, SHA-256 of the empty string.
Hash empty_root();

// MTH over the given leaf hashes; O(n).
Hash root(std::span<const Hash> leaves);

// PATH(index, D[n]): the audit path proving leaf `index` in the tree of all `leaves`, ordered
// from the leaf's sibling up to the root's child. Throws Error(invalid_argument) when
// index >= leaves.size().
std::vector<Hash> inclusion_proof(std::span<const Hash> leaves, uint64_t index);
// RFC 9162 §2.1.3.2: true when `path` proves that `leaf` is leaf `index` of the tree of
// `tree_size` leaves whose root is `root`.
bool verify_inclusion(uint64_t index, uint64_t tree_size, const Hash& leaf,
                      std::span<const Hash> path, const Hash& root);

// PROOF(first, D[n]) where n = leaves.size(): proves that the tree of the first `first` leaves
// is a prefix of the tree of all of them. Empty when first == 0 or first == n (nothing to
// prove). Throws Error(invalid_argument) when first > n.
std::vector<Hash> consistency_proof(std::span<const Hash> leaves, uint64_t first);
// RFC 9162 §2.1.4.2: true when `path` proves that the tree of `first` leaves with root
// `first_root` is a prefix of the tree of `second` leaves with root `second_root`. The edge
// cases the RFC leaves out are decided as most implementations do: first == second needs an
// empty path and equal roots; first == 0 needs an empty path (every tree extends the empty one).
bool verify_consistency(uint64_t first, uint64_t second, const Hash& first_root,
                        const Hash& second_root, std::span<const Hash> path);

// A perfect subtree of the tree: the 2^height leaves from index << height on. Height 0 is a
// leaf. Its hash is MTH of those leaves (RFC 9162 §2.1.1).
struct NodeId {
  unsigned height = 0;
  uint64_t index = 0;
  bool operator==(const NodeId&) const = default;
};
// Gives the hash of a perfect subtree, e.g. from nodes stored when the tree grew.
using NodeSource = std::function<Hash(NodeId)>;

// The same proofs from the hashes of perfect subtrees instead of every leaf: O(log n) calls of
// `node` (PATH and PROOF consist of subtree roots; only those on the tree's right edge are not
// perfect, and each of those is folded from at most log n perfect ones). The preconditions and
// errors are those of the functions above, with `tree_size` leaves.
std::vector<Hash> inclusion_proof(const NodeSource& node, uint64_t tree_size, uint64_t index);
std::vector<Hash> consistency_proof(const NodeSource& node, uint64_t tree_size, uint64_t first);
// MTH of the first tree_size leaves, from perfect subtrees.
Hash root(const NodeSource& node, uint64_t tree_size);

// The right edge of a growing tree (also called a compact range [0, n)): the roots of the
// perfect subtrees that make up the tree of `size` leaves, one per set bit of `size`, largest
// (leftmost) first. Appending a leaf and computing the root are O(log n), so a log can append
// without reading its earlier leaves.
class Frontier {
 public:
  Frontier() = default;
  // Rebuilds a frontier from its parts; nullopt when the number of nodes is not the number of
  // set bits in `size`.
  static std::optional<Frontier> from_nodes(uint64_t size, std::vector<Hash> nodes);

  uint64_t size() const { return size_; }
  const std::vector<Hash>& nodes() const { return nodes_; }

  // When `completed` is given, the perfect subtrees of height >= 1 that this leaf completes are
  // appended to it (lowest first), so that a log can store them for O(log n) proofs.
  void append(const Hash& leaf_hash, std::vector<std::pair<NodeId, Hash>>* completed = nullptr);
  // MTH of the leaves appended so far.
  Hash root() const;

  bool operator==(const Frontier&) const = default;

 private:
  uint64_t size_ = 0;
  std::vector<Hash> nodes_;
};

}  // namespace ctip::audit::merkle
