// What the audit log keeps outside the store, so that whoever can edit the database cannot
// re-sign it or hide a truncation (issue #2; issue #6 item 4 put it behind this interface): the
// Ed25519 signing key and the newest signed tree heads (see audit_log.cpp for why two).
// DirectoryTrustStore keeps them as files in a directory (DATA_DIR by default); another
// implementation could keep the key in an HSM or the heads with a witness.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace ctip::audit {

struct SignedTreeHead {
  int64_t tree_size = 0;
  std::string root_hash;   // hex, SHA-256
  std::string timestamp;   // RFC 3339 UTC
  std::string signature;   // hex, Ed25519 over the canonical head (see audit_log.cpp)
  std::string public_key;  // hex, Ed25519
};

// The heads remembered outside the store.
struct HeadFile {
  bool exists = false;
  std::string problem;  // why the record cannot be used, when it cannot
  std::optional<SignedTreeHead> confirmed;
  std::optional<SignedTreeHead> latest;
};

// An Ed25519 key pair as libsodium holds it (raw bytes).
struct SigningKey {
  std::string secret_key;  // 64 bytes: seed || public key
  std::string public_key;  // 32 bytes
};

class TrustStore {
 public:
  virtual ~TrustStore() = default;
  // How a person finds the key and the heads, for messages: e.g. "/srv/ctip/audit-signing.key".
  virtual std::string key_location() const = 0;
  virtual std::string heads_location() const = 0;

  virtual bool has_key() = 0;
  // Creates a new key pair unless one exists; two processes racing agree on one key.
  virtual void create_key() = 0;
  // Throws Error(integrity) when the stored key is not a consistent key pair.
  virtual SigningKey load_key() = 0;
  // The raw public key alone, for verification (which needs no secret); nullopt when there is
  // none. By default the public half of load_key().
  virtual std::optional<std::string> load_public_key() {
    if (!has_key()) return std::nullopt;
    return load_key().public_key;
  }

  // The remembered heads (exists == false when none were ever written).
  virtual HeadFile read_heads() = 0;
  // Read-modify-write of the remembered heads under an exclusive lock shared by every thread
  // and process using this trust store: fn sees the current heads and leaves the new ones.
  virtual void update_heads(const std::function<void(HeadFile&)>& fn) = 0;
};

// The names of the files a DirectoryTrustStore keeps (see README.md).
inline constexpr std::string_view kSigningKeyFile = "audit-signing.key";
inline constexpr std::string_view kHeadFile = "audit-head.json";
// The public key as 64 hex characters and a newline: all that verification needs.
inline constexpr std::string_view kPublicKeyFile = "audit-public.key";

// The key in DIR/audit-signing.key (mode 0600) - or in `key_file` when given, e.g. on another
// mount than the data (`--audit-key FILE`) - its public half in DIR/audit-public.key, the heads
// in DIR/audit-head.json, rewritten atomically under a flock on DIR/audit-head.lock. DIR is
// created when absent.
class DirectoryTrustStore final : public TrustStore {
 public:
  explicit DirectoryTrustStore(std::filesystem::path dir, std::filesystem::path key_file = {});
  const std::filesystem::path& dir() const { return dir_; }

  std::string key_location() const override;
  std::string heads_location() const override;
  bool has_key() override;
  void create_key() override;
  SigningKey load_key() override;
  std::optional<std::string> load_public_key() override;
  HeadFile read_heads() override;
  void update_heads(const std::function<void(HeadFile&)>& fn) override;

 private:
  std::filesystem::path dir_;
  std::filesystem::path key_file_;
};

}  // namespace ctip::audit
