#include "audit/data_files.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/crypto.h"
#include "core/error.h"

namespace ctip::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHeadFileFormat = "ctip-audit-head-file/1";
constexpr std::string_view kHeadLockFile = "audit-head.lock";

std::string errno_text() { return std::strerror(errno); }

void write_all(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      throw Error(ErrorCode::internal, "cannot write " + path.string() + ": " + errno_text());
    data.remove_prefix(static_cast<size_t>(n));
  }
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path temp_beside(const fs::path& path) {
  return path.parent_path() / ("." + path.filename().string() + ".tmp-" +
                               std::to_string(::getpid()) + "-" + random_token(6));
}

void fsync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

nlohmann::json head_to_json(const SignedTreeHead& h) {
  return {{"tree_size", h.tree_size},
          {"root_hash", h.root_hash},
          {"timestamp", h.timestamp},
          {"signature", h.signature},
          {"public_key", h.public_key}};
}

std::optional<SignedTreeHead> head_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  for (const char* k : {"root_hash", "timestamp", "signature", "public_key"})
    if (!j.contains(k) || !j[k].is_string()) return std::nullopt;
  if (!j.contains("tree_size") || !j["tree_size"].is_number_integer()) return std::nullopt;
  return SignedTreeHead{j["tree_size"].get<int64_t>(), j["root_hash"].get<std::string>(),
                        j["timestamp"].get<std::string>(), j["signature"].get<std::string>(),
                        j["public_key"].get<std::string>()};
}

void replace_file(const fs::path& path, std::string_view contents, mode_t mode) {
  fs::path tmp = temp_beside(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    throw Error(ErrorCode::internal, "cannot create " + tmp.string() + ": " + errno_text());
  try {
    if (::fchmod(fd, mode) != 0)  // exactly `mode`, whatever the umask
      throw Error(ErrorCode::internal, "cannot set the mode of " + tmp.string());
    write_all(fd, contents, tmp);
  } catch (...) {
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw Error(ErrorCode::internal, "cannot replace " + path.string() + ": " + why);
  }
}

void create_key_file(const fs::path& path) {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  std::string text = to_hex({sk, sizeof sk}) + "\n";
  sodium_memzero(sk, sizeof sk);
  fs::path tmp = temp_beside(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    sodium_memzero(text.data(), text.size());
    throw Error(ErrorCode::internal, "cannot create " + tmp.string() + ": " + errno_text());
  }
  try {
    ::fchmod(fd, 0600);  // whatever the umask
    write_all(fd, text, tmp);
    sodium_memzero(text.data(), text.size());
    if (::fsync(fd) != 0)
      throw Error(ErrorCode::internal, "cannot write " + tmp.string() + ": " + errno_text());
  } catch (...) {
    sodium_memzero(text.data(), text.size());
    ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  ::close(fd);
  int rc = ::link(tmp.c_str(), path.c_str());
  int link_errno = errno;
  ::unlink(tmp.c_str());
  if (rc != 0 && link_errno != EEXIST)  // EEXIST: another process created it first; use theirs
    throw Error(ErrorCode::internal,
                "cannot create " + path.string() + ": " + std::strerror(link_errno));
  fsync_directory(path.parent_path());
}

std::string parse_public_key(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  std::string hex_text;
  if (!j.is_discarded() && j.is_object() && j.contains("public_key") && j["public_key"].is_string())
    hex_text = j["public_key"].get<std::string>();
  else
    hex_text = std::string(text);
  while (!hex_text.empty() && std::isspace(static_cast<unsigned char>(hex_text.back())))
    hex_text.pop_back();
  std::string raw;
  try {
    raw = from_hex(hex_text);
  } catch (const Error&) {
    // ignored: refused below by its length.
  }
  if (raw.size() != crypto_sign_PUBLICKEYBYTES)
    throw Error(ErrorCode::invalid_argument,
                "a public key file holds the Ed25519 public key as 64 hex characters (or a signed "
                "tree head's JSON with \"public_key\")",
                "--public-key");
  return raw;
}

void load_key_file(const fs::path& path, std::string& secret_key, std::string& public_key) {
  auto file = read_file(path);
  if (!file) throw Error(ErrorCode::internal, "cannot read " + path.string());
  std::string& text = *file;
  std::string_view hex_text(text);
  while (!hex_text.empty() && std::isspace(static_cast<unsigned char>(hex_text.back())))
    hex_text.remove_suffix(1);
  std::string sk;
  try {
    sk = from_hex(hex_text);
  } catch (const Error&) {
    // ignored: a key that is not hex is refused below by its length.
  }
  sodium_memzero(text.data(), text.size());
  unsigned char seed[crypto_sign_SEEDBYTES];
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk2[crypto_sign_SECRETKEYBYTES];
  bool ok = sk.size() == crypto_sign_SECRETKEYBYTES;
  if (ok) {
    // The secret key carries its public half; derive it again from the seed to catch a
    // damaged file.
    crypto_sign_ed25519_sk_to_seed(seed, reinterpret_cast<const unsigned char*>(sk.data()));
    crypto_sign_seed_keypair(pk, sk2, seed);
    ok = std::memcmp(sk2, sk.data(), sizeof sk2) == 0;
  }
  sodium_memzero(seed, sizeof seed);
  sodium_memzero(sk2, sizeof sk2);
  if (!ok) {
    sodium_memzero(sk.data(), sk.size());
    throw Error(ErrorCode::integrity,
                path.string() +
                    " is not an audit signing key (128 hex characters); restore it "
                    "from a backup of the data directory");
  }
  secret_key = std::move(sk);
  public_key.assign(reinterpret_cast<const char*>(pk), sizeof pk);
}

HeadFileLock::HeadFileLock(const fs::path& data_dir) {
  fs::path path = data_dir / kHeadLockFile;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw Error(ErrorCode::internal, "cannot open " + path.string() + ": " + errno_text());
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    std::string why = errno_text();
    ::close(fd_);
    throw Error(ErrorCode::internal, "cannot lock " + path.string() + ": " + why);
  }
}

HeadFileLock::~HeadFileLock() { ::close(fd_); }

HeadFile read_head_file(const fs::path& path) {
  HeadFile f;
  auto text = read_file(path);
  if (!text) return f;
  f.exists = true;
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("format") || !j["format"].is_string() ||
      j["format"].get<std::string>() != kHeadFileFormat) {
    f.problem = "it is not a " + std::string(kHeadFileFormat) + " JSON file";
    return f;
  }
  for (auto [key, slot] : {std::pair{"confirmed", &f.confirmed}, std::pair{"latest", &f.latest}}) {
    if (!j.contains(key) || j[key].is_null()) continue;
    *slot = head_from_json(j[key]);
    if (!*slot) f.problem = std::string("its \"") + key + "\" head is malformed";
  }
  return f;
}

void write_head_file(const fs::path& path, const HeadFile& f) {
  nlohmann::json j = {
      {"format", std::string(kHeadFileFormat)},
      {"confirmed", f.confirmed ? head_to_json(*f.confirmed) : nlohmann::json(nullptr)},
      {"latest", f.latest ? head_to_json(*f.latest) : nlohmann::json(nullptr)}};
  replace_file(path, j.dump(2) + "\n", 0600);  // private at rest (issue #7)
}

// ---- DirectoryTrustStore ---------------------------------------------------------------

DirectoryTrustStore::DirectoryTrustStore(fs::path dir, fs::path key_file)
    : dir_(std::move(dir)), key_file_(std::move(key_file)) {
  if (key_file_.empty()) key_file_ = dir_ / kSigningKeyFile;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw Error(ErrorCode::internal, "cannot create " + dir_.string() + ": " + ec.message());
}

std::string DirectoryTrustStore::key_location() const { return key_file_.string(); }

std::string DirectoryTrustStore::heads_location() const { return (dir_ / kHeadFile).string(); }

bool DirectoryTrustStore::has_key() { return fs::exists(key_file_); }

void DirectoryTrustStore::create_key() {
  if (!key_file_.parent_path().empty()) {
    std::error_code ec;
    fs::create_directories(key_file_.parent_path(), ec);
  }
  create_key_file(key_file_);
}

SigningKey DirectoryTrustStore::load_key() {
  SigningKey k;
  load_key_file(key_file_, k.secret_key, k.public_key);
  // The public half beside the data, so that verification needs no secret (kept when present:
  // a differing one is what `ctip audit verify` then checks the heads with, and reports).
  fs::path pub = dir_ / kPublicKeyFile;
  if (!fs::exists(pub)) {
    try {
      replace_file(
          pub,
          to_hex({reinterpret_cast<const uint8_t*>(k.public_key.data()), k.public_key.size()}) +
              "\n",
          0600);
    } catch (const Error&) {
      // ignored: a read-only data directory; verification then derives it from the key.
    }
  }
  return k;
}

std::optional<std::string> DirectoryTrustStore::load_public_key() {
  if (auto text = read_file(dir_ / kPublicKeyFile)) return parse_public_key(*text);
  if (!has_key()) return std::nullopt;
  return load_key().public_key;
}

HeadFile DirectoryTrustStore::read_heads() { return read_head_file(dir_ / kHeadFile); }

void DirectoryTrustStore::update_heads(const std::function<void(HeadFile&)>& fn) {
  HeadFileLock lock(dir_);
  HeadFile f = read_head_file(dir_ / kHeadFile);
  fn(f);
  write_head_file(dir_ / kHeadFile, f);
}

}  // namespace ctip::audit
