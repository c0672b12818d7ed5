// `ctip db`: migrate, back up, restore, check. A backup is a directory that holds everything a
// restore needs except the audit signing key (docs/operations.md):
//   ctip.sqlite        the store, one read snapshot (Store::backup: VACUUM INTO)
//   audit-head.json    the audit log's remembered heads, copied BEFORE the snapshot, so that
//                      every head the copy confirms is committed in the snapshot
//   audit-public.key   the public half of the signing key (hex): the restored log and its heads
//                      must be signed by it
//   manifest.json      {"format":"ctip-backup/1", "created_at", "engine", "schema_version",
//                       "files":[{"name","bytes","sha256"}]}
// Every file is written 0600 in a 0700 directory. The private key stays out of backups: whoever
// holds a backup and the key could re-sign a rewritten log.
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

#include "audit/audit_log.h"
#include "audit/trust_store.h"
#include "cli/commands.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/time.h"
#include "store/store.h"

namespace ctip::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kBackupFormat = "ctip-backup/1";
constexpr const char* kStoreFile = "ctip.sqlite";
constexpr const char* kPublicKeyFile = "audit-public.key";
constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kPostgresqlHelp =
    "a PostgreSQL store is backed up and restored with PostgreSQL's own tools (pg_dump and "
    "pg_restore, or a PITR base backup with its WAL archive); copy the --data directory's "
    "audit-head.json and the audit public key first and keep audit-signing.key apart: see "
    "docs/operations.md";

std::string why() { return std::strerror(errno); }

// Writes `contents` to a new file, 0600 whatever the umask, and syncs it.
void write_private_file(const fs::path& path, std::string_view contents) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(ErrorCode::internal, "cannot create " + path.string() + ": " + why());
  bool ok = ::fchmod(fd, 0600) == 0;
  while (ok && !contents.empty()) {
    ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false;
    if (n > 0) contents.remove_prefix(static_cast<size_t>(n));
  }
  ok = ok && ::fsync(fd) == 0;
  std::string err = ok ? "" : why();
  ::close(fd);
  if (!ok) throw Error(ErrorCode::internal, "cannot write " + path.string() + ": " + err);
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// SHA-256 and size of a file, streamed (a store can be large).
std::pair<std::string, uint64_t> file_digest(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::internal, "cannot read " + path.string());
  crypto_init();
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = in.gcount();
    if (n <= 0) break;
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf.data()),
                              static_cast<unsigned long long>(n));
    total += static_cast<uint64_t>(n);
  }
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, out);
  return {to_hex({out, sizeof out}), total};
}

void sync_directory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Creates `dir` 0700, refusing one that exists with anything in it.
void create_empty_private_directory(const fs::path& dir, const std::string& field,
                                    std::string_view what) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec))
    throw Error(ErrorCode::invalid_argument,
                "refusing to " + std::string(what) + " into '" + dir.string() +
                    "': it is not empty (give a new or empty directory)",
                field);
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(ErrorCode::invalid_argument,
                "cannot create '" + dir.string() + "': " + ec.message(), field);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec)
    throw Error(ErrorCode::internal,
                "cannot make '" + dir.string() + "' private (mode 0700): " + ec.message());
}

void backup(const std::string& data_dir, const fs::path& dest) {
  auto s = open_existing_store(data_dir, false);
  if (s->engine() != "sqlite")
    throw Error(ErrorCode::invalid_argument, std::string("ctip db backup: ") + kPostgresqlHelp,
                "--store");
  fs::path audit_dir = audit_files_dir(data_dir);
  create_empty_private_directory(dest, "--to", "write a backup");
  auto started = std::chrono::steady_clock::now();
  nlohmann::json files = nlohmann::json::array();
  // The heads first: written by rename, so one read sees one whole version.
  std::vector<std::string> names;
  if (auto heads = read_file(audit_dir / audit::kHeadFile)) {
    write_private_file(dest / audit::kHeadFile, *heads);
    names.emplace_back(audit::kHeadFile);
  }
  audit::DirectoryTrustStore trust(audit_dir, audit_key_file());
  if (trust.has_key()) {
    auto key = trust.load_key();
    sodium_memzero(key.secret_key.data(), key.secret_key.size());
    write_private_file(
        dest / kPublicKeyFile,
        to_hex({reinterpret_cast<const uint8_t*>(key.public_key.data()), key.public_key.size()}) +
            "\n");
    names.emplace_back(kPublicKeyFile);
  }
  s->backup(dest / kStoreFile);
  names.emplace_back(kStoreFile);
  for (const auto& name : names) {
    auto [sha, bytes] = file_digest(dest / name);
    files.push_back({{"name", name}, {"bytes", bytes}, {"sha256", sha}});
  }
  nlohmann::json manifest = {
      {"format", std::string(kBackupFormat)},
      {"created_at", now_iso()},
      {"engine", std::string(s->engine())},
      {"schema_version", s->schema_version()},
      {"signing_key",
       "not included: keep audit-signing.key apart and give it to 'ctip db restore "
       "--signing-key FILE'"},
      {"files", files}};
  write_private_file(dest / kManifestFile, manifest.dump(2) + "\n");
  sync_directory(dest);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto store_bytes = files.back()["bytes"].get<uint64_t>();
  std::cout << "backup written to " << dest.string() << " in " << seconds << " s: " << kStoreFile
            << " (" << store_bytes << " bytes)";
  for (const auto& n : names)
    if (n != kStoreFile) std::cout << ", " << n;
  std::cout << ", " << kManifestFile << "\nthe audit signing key is not in the backup: keep "
            << (audit_dir / audit::kSigningKeyFile).string() << " apart\n";
}

// Reads and checks manifest.json and every file it lists; returns the listed names.
std::vector<std::string> checked_backup(const fs::path& from) {
  auto text = read_file(from / kManifestFile);
  if (!text)
    throw Error(ErrorCode::invalid_argument,
                "'" + from.string() + "' is not a ctip backup: it has no " + kManifestFile,
                "--from");
  auto manifest = nlohmann::json::parse(*text, nullptr, false);
  if (manifest.is_discarded() || !manifest.is_object() || !manifest.contains("format") ||
      manifest["format"] != kBackupFormat || !manifest.contains("files") ||
      !manifest["files"].is_array())
    throw Error(ErrorCode::invalid_argument,
                std::string(kManifestFile) + " in '" + from.string() + "' is not a " +
                    std::string(kBackupFormat) + " manifest",
                "--from");
  static const std::set<std::string> known = {kStoreFile, std::string(audit::kHeadFile),
                                              kPublicKeyFile};
  std::vector<std::string> names;
  for (const auto& f : manifest["files"]) {
    if (!f.is_object() || !f.contains("name") || !f["name"].is_string() || !f.contains("sha256") ||
        !f["sha256"].is_string() || !f.contains("bytes") || !f["bytes"].is_number_unsigned())
      throw Error(ErrorCode::invalid_argument,
                  std::string(kManifestFile) + " lists a file without name, bytes and sha256",
                  "--from");
    std::string name = f["name"];
    if (!known.contains(name))
      throw Error(ErrorCode::invalid_argument,
                  std::string(kManifestFile) + " lists an unknown file '" + name + "'", "--from");
    if (!fs::exists(from / name))
      throw Error(ErrorCode::integrity, "backup incomplete: " + name + " is listed in " +
                                            kManifestFile + " but missing from '" + from.string() +
                                            "'");
    auto [sha, bytes] = file_digest(from / name);
    if (sha != f["sha256"].get<std::string>() || bytes != f["bytes"].get<uint64_t>())
      throw Error(ErrorCode::integrity, "backup damaged: " + name +
                                            " differs from its SHA-256 in " + kManifestFile +
                                            "; use another backup");
    names.push_back(name);
  }
  if (std::find(names.begin(), names.end(), kStoreFile) == names.end())
    throw Error(ErrorCode::invalid_argument,
                std::string(kManifestFile) + " lists no " + kStoreFile + ": nothing to restore",
                "--from");
  return names;
}

void restore(const std::string& data_dir, const fs::path& from, const std::string& signing_key) {
  if (store_url(data_dir).rfind("sqlite:", 0) != 0)
    throw Error(ErrorCode::invalid_argument, std::string("ctip db restore: ") + kPostgresqlHelp,
                "--store");
  fs::path target = store_url(data_dir).substr(7);
  auto names = checked_backup(from);
  std::optional<std::string> key_text;
  if (!signing_key.empty()) {
    key_text = read_file(signing_key);
    if (!key_text)
      throw Error(ErrorCode::invalid_argument, "cannot read '" + signing_key + "'",
                  "--signing-key");
  }
  create_empty_private_directory(target, "--data", "restore a backup");
  for (const auto& name : names) {
    auto contents = read_file(from / name);
    if (!contents) throw Error(ErrorCode::internal, "cannot read " + (from / name).string());
    write_private_file(target / name, *contents);
    sodium_memzero(contents->data(), contents->size());
  }
  if (key_text) {
    write_private_file(target / audit::kSigningKeyFile, *key_text);
    sodium_memzero(key_text->data(), key_text->size());
    audit::DirectoryTrustStore trust(target);
    auto key = trust.load_key();
    sodium_memzero(key.secret_key.data(), key.secret_key.size());
    std::string public_hex =
        to_hex({reinterpret_cast<const uint8_t*>(key.public_key.data()), key.public_key.size()});
    auto expected = read_file(target / kPublicKeyFile);
    if (expected && expected->substr(0, public_hex.size()) != public_hex) {
      fs::remove(target / audit::kSigningKeyFile);
      throw Error(ErrorCode::invalid_argument,
                  "'" + signing_key + "' is not the key that signed this backup's audit log (" +
                      kPublicKeyFile + " differs)",
                  "--signing-key");
    }
  }
  sync_directory(target);
  auto s = store::Store::open(store_url(data_dir), false);
  auto report = s->check();
  for (const auto& p : report.problems) std::cout << "problem: " << p << "\n";
  if (!report.ok) throw Error(ErrorCode::integrity, "the restored store fails its check");
  std::cout << "restored " << from.string() << " into " << target.string() << "; store ok, schema "
            << "version " << report.schema_version << "\n";
  if (!key_text)
    std::cout << "next: put the audit signing key at " << (target / audit::kSigningKeyFile).string()
              << " (or rerun with --signing-key FILE), then run 'ctip audit verify --data "
              << target.string() << "'\n";
}

}  // namespace

void add_db_commands(CLI::App& app) {
  auto* db = app.add_subcommand("db", "Manage the store: migrate, back up, restore, check");
  db->require_subcommand(1);

  static std::string data_dir;
  auto* migrate = db->add_subcommand("migrate", "Apply pending schema migrations");
  add_data_option(*migrate, data_dir);
  migrate->footer("Example:\n  ctip db migrate --data ./ctip-data");
  migrate->callback([] {
    auto s = open_store(data_dir, false);
    int n = s->migrate();
    std::cout << "applied " << n << " migration(s); schema version " << s->schema_version() << "\n";
  });

  static std::string target;
  auto* backup_cmd = db->add_subcommand(
      "backup",
      "Write a consistent backup while the server runs: the store, the audit heads, the audit\n"
      "public key and a manifest of SHA-256s (not the signing key)");
  add_data_option(*backup_cmd, data_dir);
  backup_cmd->add_option("--to", target, "Directory to create (new or empty), made 0700")
      ->required();
  backup_cmd->footer(
      "Example:\n  ctip db backup --data ./ctip-data --to /backups/ctip-2026-11-28\n\n"
      "Keep audit-signing.key apart from backups. A PostgreSQL store (--store postgresql://...)\n"
      "is refused: back it up with pg_dump or PITR as docs/operations.md says.");
  backup_cmd->callback([] { backup(data_dir, target); });

  static std::string from;
  static std::string signing_key;
  auto* restore_cmd = db->add_subcommand(
      "restore",
      "Restore a backup of 'ctip db backup' into a new data directory, checking its manifest");
  add_data_option(*restore_cmd, data_dir);
  restore_cmd->add_option("--from", from, "Backup directory written by 'ctip db backup'")
      ->required();
  restore_cmd->add_option("--signing-key", signing_key,
                          "The audit signing key kept apart (audit-signing.key); checked "
                          "against the backup's public key and installed in --data");
  restore_cmd->footer(
      "Example:\n  ctip db restore --from /backups/ctip-2026-11-28 --data ./ctip-restored \\\n"
      "      --signing-key /secure/audit-signing.key\n  ctip audit verify --data "
      "./ctip-restored\n\n"
      "--data must be new or empty. Exit 1 when a file differs from its SHA-256 in manifest.json.");
  restore_cmd->callback([] { restore(data_dir, from, signing_key); });

  auto* check =
      db->add_subcommand("check", "Check page integrity, foreign keys and schema version");
  add_data_option(*check, data_dir);
  check->footer(
      "Example:\n  ctip db check --data ./ctip-data   (exit 0 when healthy, 1 otherwise)");
  check->callback([] {
    auto s = open_existing_store(data_dir, false);
    auto report = s->check();
    for (const auto& p : report.problems) std::cout << "problem: " << p << "\n";
    if (!report.ok) throw Error(ErrorCode::integrity, "store check failed");
    std::cout << "store ok; schema version " << report.schema_version << "\n";
  });
}

}  // namespace ctip::cli
