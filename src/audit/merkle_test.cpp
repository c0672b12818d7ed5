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

// Vectors for larger trees whose sizes are not powers of two, derived independently for issue #7
// by a Python transcription of RFC 9162 §2.1.4.1 (PROOF / SUBPROOF exactly as the RFC writes
// them, hashlib's SHA-256) over the leaf data "ctip-vector-0", "ctip-vector-1", ...: the first
// root, the second root and the proof. They pin both the proof from leaves and the proof from
// stored subtrees, which `ctip audit verify --against` relies on.
TEST(Merkle, ConsistencyProofsMatchIndependentlyDerivedVectors) {
  struct Vector {
    uint64_t first;
    uint64_t second;
    std::string_view first_root;
    std::string_view second_root;
    std::vector<std::string_view> path;
  };
  const Vector vectors[] = {
      {5,
       13,
       "2fa6419b4bda52f89c02f743aaf51a360b3ff70196e39fbbb7c0028822aa79fc",
       "f829956c9a013551d12cb9e074bb90430f6fc229ce1eb49660bcce1ad8797a82",
       {"02ed90a8f2a71c5f4171b29061cd0d8caf3b88d2f4dab011c480b4ed420d2b16",
        "b5a990897832a2ec1f87af62957e9a3ba30d9638f799a68ce987f129caeec6f7",
        "5f5a69285e1b27697a1d477301dd587b22c99cb79ee40403f8812ebc7dd18aa0",
        "29605c69ef9024768814ff0aeeba905d4a4ac08225fdbfbf8e4e7c750782687a",
        "f9e4a7dcaaea7df919d72831e34e9eee959de1e9c1381ec09ae388f7dc118bd7"}},
      {7,
       100,
       "e760377b3b8e0e9dafb44fe5e9def16826624adc462477dab41a80d865e1b990",
       "2f32fb927141e8859a8c21d8686f45d697495ebe3636d3e843566078ec1b812f",
       {"1463b8fa444af716c207809115f06048a5dc41f22c2718662c93c3a04b66a6c8",
        "bb07b267b118cf15845788c44d1bf92ceec56e6350583eadb7294b50eaaa922d",
        "0860b0c9150311f62ddc06ff059e47789043dd8ff38e8a97ecd819177ff49b97",
        "29605c69ef9024768814ff0aeeba905d4a4ac08225fdbfbf8e4e7c750782687a",
        "4e4d338054a29bc8e8610e5b649de9f242021c96ea884fffe777658e5d18ae8c",
        "36b1ff420a078d652294caf67520a5c291bf2b3170a52bb9cc4af39487dcfa9e",
        "48a0c4b3e8f379c28941e5f15486766a23e6b268012335a10e52c20cb2e3a54a",
        "3b8fb9c2edbbd84c6d5a8f2eba5c5d2facd3e0b80dc26879fc7508d3b80a3e47"}},
      {64,
       1000,
       "2b257e0820f033a1febde9d19edde366aae7e1818fc2b3f143dfb005d034b6e2",
       "8031f5e2cf0712e7c08ca3ae8e96c00008df345aee917951e9e96ca43f3051f8",
       {"a9bf12c296e461aa9415351b992b9d5043c5e3b0f2400f83efeec79dcda1038a",
        "4e15dd1b40e3a30b552f76ec2a4fa56ff73bce56ebe1c5e6cec61bcf5f7b3682",
        "f0fc2304ff95d49efc81214a55e7ae0f6b837366aa6f404bb7515005cf4b506c",
        "6042dd0607e9f90edd57708bda078a5570c63d14103adfc7da9fa26060b5aba1"}},
      {1000,
       1025,
       "8031f5e2cf0712e7c08ca3ae8e96c00008df345aee917951e9e96ca43f3051f8",
       "807e69d71c30ff554cb84684cfadd23b4bb25d2e1425b1a5a8bba2b19c2683ab",
       {"dd730187331e0c3f066b5c5f3f9fccddf5b97c9a5d57e24c43a0c21a192d5c48",
        "b5f7da2faf852a9aa633c46a0f8cb50b3dace3e517bacebb16e018695f52d32d",
        "89c204adb616b1c330717c935addf31c4d7d83b35bbd85aabd2fdc8e5ab544f0",
        "31b40d3f11a556ded296cfb5e24e3fd50e4a12c36eff0f19800d4db0096a0a4d",
        "7418c410cf5b3b985d2b18b4cf4809c3a5805e2fe0b71779c3203f01e6548077",
        "b523422da28f834751a4961805d51056dc940ad4e4a9ebde7b74c16d62fe28bd",
        "83f670e215ca80b9a380bc959b9dd62cb0d553a67ba7aa0e2094ee097689fcc2",
        "3d18d78fcad360e25ce9baf6fcbd55fec33524eb05244e321fa62b8496c9013f",
        "4accc92f2097046ca0224d6cc811c052aff022aff8f93e53aee602dbd466f2ea"}},
      {1,
       2,
       "f8984bf45798776558f69bdba3bc70cdf870de5299db24a13118d5436fbd6e76",
       "f9cbd203f7ff0ef425c3dc997656e09e3ec7b4869b548cfd99246b1e53c5cdc1",
       {"f184775c48844aab8b5a093caadab6de6dc93fc35a7d3648d68aaa121c73895e"}},
      {255,
       256,
       "6d8598ca7e319d6dfefb1fef529edfd8eb355b142388cbd0966fedf3ce53f8fa",
       "0f8ec72dddfea6c621f7398ac974de9c0cc09e0df72af2501a77cac5fdf5b826",
       {"28b957ee6737d4f8ffccdf5b39a50206c1c43d52876d252ec27d2f17f6b50e9b",
        "65bcaeceade978e0dc9822ffb81f091f5495d9ba6af5afc0460b7fffca76bb49",
        "48576a2f89f83cf569c9a11fb8bd0b8c13504250fd4d7f224ac97df459e1d961",
        "ddd528cb60c03c834b0cf95ee61aaa1e5120b6c7db99540f27bccc65f6ecd37d",
        "d8bb6afda3c784127f59aa7cd99e7973a0264aa6917685cfc0f79cf793fb4ea8",
        "de188e1202ccadf6de18610d31c08fef49f69468cecf9204b365b32c1a880e4d",
        "c07ece4d958d468e65cad857e82c3a2fc437e6c791f9399a0fcb4ae3a53b923a",
        "68fc1eed55f7f022d9221a76a76ae5e7f659b28e5733a01cdd6ddafcbe655cfb",
        "7daad1605dd5a73dd703b2aa302b6c43652e16afd516682eac01987ded5fbdbf"}},
      {257,
       1000,
       "344c26627055719f9fcc2a14ad858469d0da78dbae6edba76e69470e72ed0a58",
       "8031f5e2cf0712e7c08ca3ae8e96c00008df345aee917951e9e96ca43f3051f8",
       {"63d7536233954b92f87e918346df47a24a36cb69d83e821f61ebac30b318b1e3",
        "8606db275615ce02516339fc629dae9e687c86a1b7fdc56848104fe07aed0dd9",
        "4214b50c5873ad987007a182bac8ecbab23de0ae3f530ff50a40c2b765903774",
        "3788c7638bfa36abaa0a2d923da7605a47db6bca548276bf78e8b453dd49d091",
        "672b60b44e958adb7deb5b777852e14dfb054b23219fe4078596f303e3834f98",
        "58b79fb8c98b3e3d6399e53d03fa100683065927e138c14b5f02f625c7493cfa",
        "0d779aebb7b791a970b2c6366e49811ee5288e17a26503f1747bd7390041d6ba",
        "59681d2f13ad34bdd30ce23eb24ccc8d75dc1368967c028755be0f4fb2dbd7aa",
        "2521def28db70f539ee2ae9b7706bc0c395aa96ddc183e30729557789c01781d",
        "0f8ec72dddfea6c621f7398ac974de9c0cc09e0df72af2501a77cac5fdf5b826",
        "6042dd0607e9f90edd57708bda078a5570c63d14103adfc7da9fa26060b5aba1"}},
  };
  for (const auto& v : vectors) {
    std::vector<Hash> leaves;
    for (uint64_t i = 0; i < v.second; ++i)
      leaves.push_back(hash_leaf("ctip-vector-" + std::to_string(i)));
    std::vector<Hash> expected;
    for (auto h : v.path) expected.push_back(unhex(h));
    EXPECT_EQ(root(std::span<const Hash>(leaves).first(v.first)), unhex(v.first_root)) << v.first;
    EXPECT_EQ(root(leaves), unhex(v.second_root)) << v.second;
    EXPECT_EQ(consistency_proof(leaves, v.first), expected) << v.first << " to " << v.second;
    NodeSource node = [&](NodeId id) {
      return root(
          std::span<const Hash>(leaves).subspan(id.index << id.height, uint64_t{1} << id.height));
    };
    EXPECT_EQ(consistency_proof(node, v.second, v.first), expected)
        << v.first << " to " << v.second;
    EXPECT_TRUE(
        verify_consistency(v.first, v.second, unhex(v.first_root), unhex(v.second_root), expected));
    // A rebuilt tree: one different leaf among the first `first` makes the proof fail.
    auto rebuilt = leaves;
    rebuilt[v.first / 2] = hash_leaf("rebuilt");
    EXPECT_FALSE(verify_consistency(v.first, v.second, unhex(v.first_root), root(rebuilt),
                                    consistency_proof(rebuilt, v.first)))
        << v.first << " to " << v.second;
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
