#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"

namespace ctip::cli {

namespace {

// The --store of the one subcommand that runs, and whether --data was given explicitly.
std::string g_store_url;
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
}

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
    return data_dir;
  }
  if (g_store_url.starts_with("sqlite:")) return g_store_url.substr(7);
  throw Error(ErrorCode::invalid_argument,
              "with --store postgresql://... pass --data DIR too: the audit log's signing key "
              "and head file stay outside the database, in DIR (the same DIR for every server "
              "of that database)",
              "--data");
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

int main(int argc, char** argv) {
  CLI::App app{
      "ctip - a workbench for combating trafficking in persons.\n"
      "Screen potential victims, keep a tamper-evident audit of every access, and serve the\n"
      "web workbench. Run 'ctip COMMAND --help' for each command's options and an example.",
      "ctip"};
  app.require_subcommand(1);
  app.footer(
      "Start here:\n  ctip demo --data ./ctip-data      create a store with demo data\n"
      "  ctip serve --data ./ctip-data     serve http://127.0.0.1:8080");
  spdlog::set_level(spdlog::level::warn);

  ctip::cli::add_db_commands(app);
  ctip::cli::add_users_commands(app);
  ctip::cli::add_audit_commands(app);
  ctip::cli::add_screen_commands(app);
  ctip::cli::add_serve_command(app);
  ctip::cli::add_demo_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const ctip::Error& e) {
    std::cerr << "ctip: " << e.what();
    if (!e.field().empty() && std::string(e.what()).find(e.field()) == std::string::npos)
      std::cerr << " (field '" << e.field() << "')";
    std::cerr << "\n";
    return e.code() == ctip::ErrorCode::invalid_argument ? 2 : 1;
  } catch (const std::exception& e) {
    std::cerr << "ctip: internal error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
