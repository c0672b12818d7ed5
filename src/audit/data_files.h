// The files the audit log keeps in DATA_DIR beside the store: the Ed25519 signing key
// (audit-signing.key) and the newest signed heads (audit-head.json, see audit_log.cpp for why
// it holds two). Internal to src/audit.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "audit/trust_store.h"

namespace ctip::audit {

// Writes `contents` to `path` atomically (temporary file + rename): a reader sees the old file
// or the new one, never a mix, and a crash leaves one of the two.
void replace_file(const std::filesystem::path& path, std::string_view contents, mode_t mode);

// Creates DATA_DIR/audit-signing.key with a new Ed25519 key pair: the 64-byte libsodium secret
// key (seed || public key) as hex and a newline, mode 0600. The file is written complete under
// a temporary name and then linked into place, so two processes starting at once agree on one
// key and nobody reads half a key. Keeps an existing file.
void create_key_file(const std::filesystem::path& path);
// The raw Ed25519 public key in a public key file: 64 hex characters (audit-public.key), or a
// JSON object with "public_key" (a signed tree head). Error(invalid_argument) otherwise.
std::string parse_public_key(std::string_view text);
// A signed tree head as JSON (docs/api.md, `ctip audit head`) and back (nullopt if malformed).
nlohmann::json head_to_json(const SignedTreeHead& h);
std::optional<SignedTreeHead> head_from_json(const nlohmann::json& j);

// Reads the key file; throws Error(integrity) when it does not hold a consistent key pair.
void load_key_file(const std::filesystem::path& path, std::string& secret_key,
                   std::string& public_key);

// Serialises read-modify-write cycles of audit-head.json among threads and processes (flock on
// DATA_DIR/audit-head.lock).
class HeadFileLock {
 public:
  explicit HeadFileLock(const std::filesystem::path& data_dir);
  ~HeadFileLock();
  HeadFileLock(const HeadFileLock&) = delete;
  HeadFileLock& operator=(const HeadFileLock&) = delete;

 private:
  int fd_ = -1;
};

// audit-head.json: {"format":"ctip-audit-head-file/1","confirmed":Head|null,"latest":Head|null}
// with Head as in docs/api.md.
HeadFile read_head_file(const std::filesystem::path& path);
void write_head_file(const std::filesystem::path& path, const HeadFile& f);

}  // namespace ctip::audit
