// What the SQLite and PostgreSQL backends share, internal to src/store: the migration runner,
// the refusal of a newer schema, the checks of the schema version. Each backend supplies the
// few engine-specific pieces.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "store/store.h"

namespace ctip::store::detail {

// A migration's statements for one engine. A line "-- ctip:engine sqlite" (or postgresql)
// starts statements for that engine only, "-- ctip:engine all" ends them; everything else is
// portable. For the few changes no portable SQL can make (changing a CHECK constraint: SQLite
// rebuilds the table, PostgreSQL alters the constraint and keeps its identity sequence).
std::string engine_sections(std::string_view sql, std::string_view engine);

class BasicStore : public Store {
 public:
  int migrate() override;
  int schema_version() override;

  // Throws Error(integrity) naming both versions when the store's schema is newer than the
  // newest migration compiled into this binary. Called by open() before anything else.
  void refuse_newer_schema();

 protected:
  // Whether the table exists (in the connection's schema search path).
  virtual bool has_table(Connection& c, std::string_view table) = 0;
  // Serialises migrations of several processes on one store (PostgreSQL: an advisory lock);
  // SQLite's write transaction is already exclusive.
  virtual void lock_for_migration(Connection&) {}
  // A migration's SQL as this engine runs it (PostgreSQL: its sections, engine_sections()).
  virtual std::string migration_sql(std::string_view portable) const {
    return engine_sections(portable, "postgresql");
  }
  // Adds the schema-version problems (behind or ahead of this binary) to a report.
  void check_schema_version(CheckReport& report);
};

// Backends, created by Store::open.
std::unique_ptr<BasicStore> open_sqlite_store(const std::filesystem::path& data_dir);
std::unique_ptr<BasicStore> open_postgresql_store(const std::string& conninfo);

}  // namespace ctip::store::detail
