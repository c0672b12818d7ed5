// Helpers every command uses (library ctip_cli_support, linked by the capabilities' CLIs).
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"
#include "store/store.h"

namespace ctip::cli {

namespace {

// The --store of the one subcommand that runs, and whether --data was given explicitly.
std::string g_store_url;
std::string g_audit_key;
std::vector<CLI::Option*> g_data_options;

bool data_given() {
  for (auto* o : g_data_options)
    if (o->count() > 0) return true;
  return false;
}

}  // namespace

void add_data_option(CLI::App& cmd, std::string& data_dir) {
  g_data_options.push_back(
      cmd.add_option("--data", data_dir,
                     "Data directory: the embedded SQLite store and the audit log's key files")
          ->default_val("./ctip-data"));
  // From the environment too, so that a URL with a password need not be on a command line
  // that every local user can read (/proc/PID/cmdline); libpq's PGPASSWORD and ~/.pgpass work.
  cmd.add_option("--store", g_store_url,
                 "Store URL instead of --data's SQLite store: sqlite:DIR or "
                 "postgresql://USER@HOST/DB (libpq URI; then --data DIR holds the audit key "
                 "files)")
      ->envname("CTIP_STORE");
  cmd.add_option("--audit-key", g_audit_key,
                 "The audit log's Ed25519 signing key file, when it is kept outside the data "
                 "directory (created there on first use); default DATA_DIR/audit-signing.key")
      ->envname("CTIP_AUDIT_KEY");
}

std::filesystem::path audit_key_file() { return g_audit_key; }

std::string store_url(const std::string& data_dir) {
  return g_store_url.empty() ? store::Store::sqlite_url(data_dir) : g_store_url;
}

std::unique_ptr<store::Store> open_store(const std::string& data_dir, bool migrate) {
  return store::Store::open(store_url(data_dir), migrate);
}

std::unique_ptr<store::Store> open_existing_store(const std::string& data_dir, bool migrate) {
  std::string url = store_url(data_dir);
  if (!store::Store::exists(url))
    throw Error(ErrorCode::invalid_argument,
                "no ctip store in '" + (g_store_url.empty() ? data_dir : g_store_url) +
                    "': pass --data DIR or --store URL (create one with 'ctip demo' or 'ctip "
                    "users add')",
                g_store_url.empty() ? "--data" : "--store");
  return store::Store::open(url, migrate);
}

std::filesystem::path audit_files_dir(const std::string& data_dir) {
  if (g_store_url.empty()) return data_dir;
  if (data_given()) {
    // Beside a database server nothing else creates the directory of the key files.
    std::error_code ec;
    std::filesystem::create_directories(data_dir, ec);
    if (ec)
      throw Error(ErrorCode::invalid_argument,
                  "cannot create data directory '" + data_dir + "': " + ec.message(), "--data");
    // The signing key's directory is its account's alone (issue #7), as the SQLite store's is.
    std::filesystem::permissions(data_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
    return data_dir;
  }
  if (g_store_url.starts_with("sqlite:")) return g_store_url.substr(7);
  throw Error(ErrorCode::invalid_argument,
              "with --store postgresql://... pass --data DIR too: the audit log's signing key "
              "and head file stay outside the database, in DIR (the same DIR for every server "
              "of that database)",
              "--data");
}

std::string read_password_stdin() {
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty())
    throw Error(ErrorCode::invalid_argument, "no password on standard input", "password");
  return password;
}

std::string read_input_file(const std::string& path, const std::string& field) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::invalid_argument, "cannot read file '" + path + "'", field);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace ctip::cli
