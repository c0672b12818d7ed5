#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "store/store.h"

namespace ctip::cli {

void add_db_commands(CLI::App& app) {
  auto* db = app.add_subcommand("db", "Manage the store: migrate, back up, check");
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
  auto* backup = db->add_subcommand("backup", "Write a consistent copy of the store while it runs");
  add_data_option(*backup, data_dir);
  backup->add_option("--to", target, "File to create (must not exist)")->required();
  backup->footer(
      "Example:\n  ctip db backup --data ./ctip-data --to /backups/ctip-2026-11-28.sqlite\n\n"
      "A PostgreSQL store (--store postgresql://...) is backed up with pg_dump instead; keep\n"
      "the --data directory's audit-signing.key and audit-head.json beside the dump.");
  backup->callback([] {
    auto s = open_existing_store(data_dir, false);
    s->backup(target);
    std::cout << "backup written to " << target << "\n";
  });

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
