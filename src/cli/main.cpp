#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <iostream>

#include "app/capabilities.h"
#include "cli/commands.h"
#include "core/error.h"

int main(int argc, char** argv) {
  // Data at rest (issue #7): every file and directory ctip creates is its account's alone
  // (0600/0700), whatever umask it was started with; the store, key and backup code also set
  // explicit modes, so this is the net for whatever else writes a file (job inputs, logs).
  ::umask(077);
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
  // Each capability's commands, in the registry's order (users, audit, screen, ...).
  for (const auto& capability : ctip::app::capabilities())
    if (capability.add_commands) capability.add_commands(app);
  ctip::cli::add_serve_command(app);
  ctip::cli::add_demo_command(app);
  ctip::cli::add_api_commands(app);

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
