// Helpers every command uses (library ctip_cli_support, linked by the capabilities' CLIs).
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
