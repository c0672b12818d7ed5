#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"

namespace ctip::cli {

void add_data_option(CLI::App& cmd, std::string& data_dir) {
  cmd.add_option("--data", data_dir, "Data directory of the embedded store")
      ->default_val("./ctip-data");
}

std::unique_ptr<store::Store> open_existing_store(const std::string& data_dir, bool migrate) {
  if (!store::Store::sqlite_exists(data_dir))
    throw Error(ErrorCode::invalid_argument,
                "no ctip store in '" + data_dir +
                    "': pass --data DIR (create one with 'ctip demo' or 'ctip users add')",
                "--data");
  return store::Store::open_sqlite(data_dir, migrate);
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
