// The Merkle engine against facts that do not come from it: the published RFC 6962 /
// Certificate Transparency test vectors (the same tree as RFC 9162 §2.1), a slow recursive
// Merkle Tree Hash and a level-by-level tree built here, and the RFC's own verification
// algorithms run over every proof of every tree up to 64 leaves.
#include "audit/merkle.h"

#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <string>
#include <vector>

#include "core/crypto.h"
#include "core/error.h"

namespace ctip::audit::merkle {
namespace {

Hash unhex(std::string_view h) {
  std::string raw = from_hex(h);
  Hash out{};
  EXPECT_EQ(raw.size(), out.size());
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}

std::vector<Hash> unhex_all(std::initializer_list<std::string_view> hs) {
  std::vector<Hash> out;
  for (auto h : hs) out.push_back(unhex(h));
  return out;
}

std::string hex(const Hash& h) { return to_hex(h); }

// The eight leaves of the Certificate Transparency test data and the published roots of the
// trees of their first n leaves (n = 0..8).
const std::vector<std::string>& ct_leaf_data() {
  static const std::vector<std::string> leaves = [] {
    std::vector<std::string> out;
    for (auto h : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                   "606162636465666768696a6b6c6d6e6f"})
      out.push_back(from_hex(h));
    return out;
  }();
  return leaves;
}

const char* const kCtRoots[] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

std::vector<Hash> ct_leaves(size_t n) {
  std::vector<Hash> out;
  for (size_t i = 0; i < n; ++i) out.push_back(hash_leaf(ct_leaf_data()[i]));
  return out;
}

// A slow Merkle Tree Hash written straight from the definition in RFC 9162 §2.1.1, over the
// leaf data, with one-shot SHA-256 of concatenated bytes.
Hash reference_mth(const std::vector<std::string>& d, size_t begin, size_t end) {
  size_t n = end - begin;
  if (n == 0) return ctip::sha256(std::string_view{});
  if (n == 1) return ctip::sha256(std::string(1, '\0') + d[begin]);
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  Hash l = reference_mth(d, begin, begin + k);
  Hash r = reference_mth(d, begin + k, end);
  std::string buf(1, '\1');
  buf.append(reinterpret_cast<const char*>(l.data()), l.size());
  buf.append(reinterpret_cast<const char*>(r.data()), r.size());
  return ctip::sha256(buf);
}

// The same tree built level by level: pair neighbours, and lift a lone last node unchanged to
// the next level. Yields the root and the audit path of leaf `index` (RFC 9162 §2.1.3).
struct LevelTree {
  Hash root;
  std::vector<Hash> path;
};
LevelTree level_tree(std::vector<Hash> level, size_t index) {
  LevelTree out;
  while (level.size() > 1) {
    size_t sibling = index ^ 1;
    if (sibling < level.size()) out.path.push_back(level[sibling]);
    std::vector<Hash> up;
    for (size_t i = 0; i + 1 < level.size(); i += 2)
      up.push_back(hash_children(level[i], level[i + 1]));
    if (level.size() % 2 == 1) up.push_back(level.back());
    level = std::move(up);
    index /= 2;
  }
  out.root = level.empty() ? empty_root() : level.front();
  return out;
}

std::vector<std::string> sample_data(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i)
    out.push_back("leaf " + std::to_string(i) + std::string(i % 7, 'x'));
  return out;
}

std::vector<Hash> hash_all(const std::vector<std::string>& data) {
  std::vector<Hash> out;
  for (const auto& d : data) out.push_back(hash_leaf(d));
  return out;
}

Hash flipped(Hash h, size_t byte = 0) {
  h[byte] ^= 0x01;
  return h;
}

TEST(Merkle, EmptyTreeIsTheHashOfTheEmptyString) {
  EXPECT_EQ(hex(empty_root()), kCtRoots[0]);
  EXPECT_EQ(hex(root({})), kCtRoots[0]);
  EXPECT_EQ(hex(Frontier().root()), kCtRoots[0]);
}

TEST(Merkle, LeafAndNodeHashesUseTheDomainPrefixes) {
  // SHA-256(0x00) is the published root of the one-leaf tree over the empty leaf.
  EXPECT_EQ(hex(hash_leaf("")), kCtRoots[1]);
  Hash a = hash_leaf("a"), b = hash_leaf("b");
  std::string buf(1, '\1');
  buf.append(reinterpret_cast<const char*>(a.data()), 32);
  buf.append(reinterpret_cast<const char*>(b.data()), 32);
  EXPECT_EQ(hash_children(a, b), ctip::sha256(buf));
  EXPECT_EQ(hash_leaf("a"), ctip::sha256(std::string("\0a", 2)));
}

TEST(Merkle, RootsMatchThePublishedCertificateTransparencyVectors) {
  Frontier f;
  for (size_t n = 0; n <= 8; ++n) {
    auto leaves = ct_leaves(n);
    EXPECT_EQ(hex(root(leaves)), kCtRoots[n]) << "tree of " << n << " leaves";
    EXPECT_EQ(hex(f.root()), kCtRoots[n]) << "frontier after " << n << " appends";
    EXPECT_EQ(hex(reference_mth(ct_leaf_data(), 0, n)), kCtRoots[n]) << "reference, " << n;
    if (n < 8) f.append(hash_leaf(ct_leaf_data()[n]));
  }
}

TEST(Merkle, InclusionProofsMatchThePublishedVectors) {
  struct Vector {
    uint64_t index;  // 0-based
    size_t size;
    std::vector<Hash> path;
  };
  const Vector vectors[] = {
      {0, 1, {}},
      {0, 8,
       unhex_all({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {5, 8,
       unhex_all({"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 3, unhex_all({"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"})},
      {1, 5,
       unhex_all({"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  for (const auto& v : vectors) {
    auto leaves = ct_leaves(v.size);
    EXPECT_EQ(inclusion_proof(leaves, v.index), v.path) << v.index << " in " << v.size;
    EXPECT_TRUE(
        verify_inclusion(v.index, v.size, leaves[v.index], v.path, unhex(kCtRoots[v.size])));
  }
}

TEST(Merkle, ConsistencyProofsMatchThePublishedVectors) {
  struct Vector {
    uint64_t first;
    size_t second;
    std::vector<Hash> path;
  };
  const Vector vectors[] = {
      {1, 1, {}},
      {1, 8,
       unhex_all({"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"})},
      {6, 8,
       unhex_all({"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"})},
      {2, 5,
       unhex_all({"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"})},
  };
  for (const auto& v : vectors) {
    auto leaves = ct_leaves(v.second);
    EXPECT_EQ(consistency_proof(leaves, v.first), v.path) << v.first << " to " << v.second;
    EXPECT_TRUE(verify_consistency(v.first, v.second, unhex(kCtRoots[v.first]),
                                   unhex(kCtRoots[v.second]), v.path));
  }
}

TEST(Merkle, RootsAndPathsAgreeWithTwoIndependentConstructions) {
  auto data = sample_data(70);
  auto leaves = hash_all(data);
  Frontier f;
  for (size_t n = 0; n <= data.size(); ++n) {
    std::span<const Hash> prefix(leaves.data(), n);
    Hash want = reference_mth(data, 0, n);
    ASSERT_EQ(root(prefix), want) << n;
    ASSERT_EQ(f.root(), want) << n;
    ASSERT_EQ(f.nodes().size(), static_cast<size_t>(std::popcount(n)));
    for (size_t i = 0; i < n; ++i) {
      auto lt = level_tree({prefix.begin(), prefix.end()}, i);
      ASSERT_EQ(lt.root, want);
      ASSERT_EQ(inclusion_proof(prefix, i), lt.path) << i << " in " << n;
    }
    if (n < data.size()) f.append(leaves[n]);
  }
}

TEST(Merkle, EveryInclusionProofUpTo64LeavesVerifiesAndTamperingFails) {
  auto leaves = hash_all(sample_data(64));
  for (uint64_t n = 1; n <= 64; ++n) {
    std::span<const Hash> tree(leaves.data(), n);
    Hash r = root(tree);
    for (uint64_t i = 0; i < n; ++i) {
      auto path = inclusion_proof(tree, i);
      ASSERT_TRUE(verify_inclusion(i, n, tree[i], path, r)) << i << " in " << n;
      EXPECT_FALSE(verify_inclusion(i, n, flipped(tree[i]), path, r));
      EXPECT_FALSE(verify_inclusion(i, n, tree[i], path, flipped(r, 31)));
      for (size_t k = 0; k < path.size(); ++k) {
        auto bad = path;
        bad[k] = flipped(bad[k], k % 32);
        EXPECT_FALSE(verify_inclusion(i, n, tree[i], bad, r)) << i << " in " << n << " at " << k;
      }
      if (!path.empty()) {
        auto shorter = path;
        shorter.pop_back();
        EXPECT_FALSE(verify_inclusion(i, n, tree[i], shorter, r));
      }
      auto longer = path;
      longer.push_back(r);
      EXPECT_FALSE(verify_inclusion(i, n, tree[i], longer, r));
      if (n > 1) {
        // The same proof does not prove another position. (It may fit another tree size of
        // the same shape: the signed tree head, not the proof, binds the size to the root.)
        EXPECT_FALSE(verify_inclusion((i + 1) % n, n, tree[i], path, r));
      }
      EXPECT_FALSE(verify_inclusion(n, n, tree[i], path, r));
    }
  }
}

TEST(Merkle, EveryConsistencyProofUpTo64LeavesVerifiesAndTamperingFails) {
  auto leaves = hash_all(sample_data(64));
  std::vector<Hash> roots;
  for (size_t n = 0; n <= 64; ++n) roots.push_back(root({leaves.data(), n}));
  for (uint64_t second = 1; second <= 64; ++second) {
    std::span<const Hash> tree(leaves.data(), second);
    for (uint64_t first = 1; first <= second; ++first) {
      auto path = consistency_proof(tree, first);
      ASSERT_TRUE(verify_consistency(first, second, roots[first], roots[second], path))
          << first << " to " << second;
      if (first == second) {
        EXPECT_TRUE(path.empty());
        EXPECT_FALSE(verify_consistency(first, second, roots[first], flipped(roots[second]), path));
        continue;
      }
      EXPECT_FALSE(verify_consistency(first, second, flipped(roots[first]), roots[second], path));
      EXPECT_FALSE(verify_consistency(first, second, roots[first], flipped(roots[second]), path));
      for (size_t k = 0; k < path.size(); ++k) {
        auto bad = path;
        bad[k] = flipped(bad[k], 7);
        EXPECT_FALSE(verify_consistency(first, second, roots[first], roots[second], bad))
            << first << " to " << second << " at " << k;
      }
      auto shorter = path;
      shorter.pop_back();
      EXPECT_FALSE(verify_consistency(first, second, roots[first], roots[second], shorter));
      auto longer = path;
      longer.push_back(roots[first]);
      EXPECT_FALSE(verify_consistency(first, second, roots[first], roots[second], longer));
      // A proof between other sizes proves nothing about these.
      if (first + 1 < second) {
        EXPECT_FALSE(verify_consistency(first + 1, second, roots[first + 1], roots[second], path));
      }
      // A tree that is not an extension: change one of the first `first` leaves.
      auto forked = std::vector<Hash>(tree.begin(), tree.end());
      forked[first - 1] = flipped(forked[first - 1]);
      EXPECT_FALSE(verify_consistency(first, second, roots[first], root(forked),
                                      consistency_proof(forked, first)));
    }
  }
}

TEST(Merkle, ConsistencyEdgeCases) {
  auto leaves = ct_leaves(8);
  Hash r8 = unhex(kCtRoots[8]), r0 = empty_root();
  EXPECT_TRUE(consistency_proof(leaves, 0).empty());
  EXPECT_TRUE(consistency_proof(leaves, 8).empty());
  EXPECT_TRUE(verify_consistency(0, 8, r0, r8, {}));
  EXPECT_FALSE(verify_consistency(0, 8, r0, r8, std::vector<Hash>{r8}));
  EXPECT_TRUE(verify_consistency(8, 8, r8, r8, {}));
  EXPECT_FALSE(verify_consistency(8, 8, r8, r8, std::vector<Hash>{r8}));
  EXPECT_FALSE(verify_consistency(9, 8, r8, r8, {}));
  EXPECT_FALSE(verify_consistency(3, 8, unhex(kCtRoots[3]), r8, {}));
  EXPECT_THROW(consistency_proof(leaves, 9), Error);
  EXPECT_THROW(inclusion_proof(leaves, 8), Error);
  EXPECT_THROW(inclusion_proof({}, 0), Error);
  EXPECT_FALSE(verify_inclusion(0, 0, leaves[0], {}, r0));
}

TEST(Merkle, FrontierRestoresFromItsNodes) {
  auto leaves = hash_all(sample_data(40));
  Frontier f;
  for (size_t n = 0; n < leaves.size(); ++n) {
    auto copy = Frontier::from_nodes(f.size(), f.nodes());
    ASSERT_TRUE(copy);
    EXPECT_EQ(*copy, f);
    copy->append(leaves[n]);
    f.append(leaves[n]);
    EXPECT_EQ(copy->root(), f.root());
  }
  EXPECT_FALSE(Frontier::from_nodes(3, {leaves[0]}));
  EXPECT_FALSE(Frontier::from_nodes(0, {leaves[0]}));
  EXPECT_TRUE(Frontier::from_nodes(0, {}));
}

// The audit log proves from the perfect subtrees it stored while growing (Frontier::append's
// `completed`) instead of from every leaf: the proofs must be the same, for every tree up to 70
// leaves, and each must need only O(log n) nodes.
TEST(Merkle, ProofsFromStoredSubtreesEqualProofsFromLeaves) {
  std::vector<Hash> leaves;
  std::map<std::pair<unsigned, uint64_t>, Hash> stored;
  Frontier f;
  for (uint64_t n = 1; n <= 70; ++n) {
    Hash leaf = hash_leaf("leaf " + std::to_string(n));
    leaves.push_back(leaf);
    stored[{0, n - 1}] = leaf;
    std::vector<std::pair<NodeId, Hash>> completed;
    f.append(leaf, &completed);
    for (const auto& [id, h] : completed) {
      EXPECT_TRUE(stored.emplace(std::pair{id.height, id.index}, h).second) << "stored twice";
      EXPECT_EQ(h, root(std::span<const Hash>(leaves).subspan(id.index << id.height,
                                                              uint64_t{1} << id.height)));
    }
    int lookups = 0;
    NodeSource node = [&](NodeId id) {
      ++lookups;
      auto it = stored.find({id.height, id.index});
      EXPECT_NE(it, stored.end()) << "node " << id.height << "/" << id.index << " at size " << n;
      return it == stored.end() ? Hash{} : it->second;
    };
    EXPECT_EQ(root(node, n), f.root());
    for (uint64_t m = 0; m < n; ++m) {
      lookups = 0;
      EXPECT_EQ(inclusion_proof(node, n, m), inclusion_proof(leaves, m)) << m << " in " << n;
      EXPECT_LE(lookups, 2 * std::bit_width(n)) << m << " in " << n;
    }
    for (uint64_t m = 0; m <= n; ++m) {
      lookups = 0;
      EXPECT_EQ(consistency_proof(node, n, m), consistency_proof(leaves, m)) << m << " to " << n;
      EXPECT_LE(lookups, 3 * std::bit_width(n)) << m << " to " << n;
    }
    EXPECT_THROW(inclusion_proof(node, n, n), Error);
    EXPECT_THROW(consistency_proof(node, n, n + 1), Error);
  }
}

}  // namespace
}  // namespace ctip::audit::merkle
