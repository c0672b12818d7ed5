// The Store: ctip's only way to persistent data, on SQLite or PostgreSQL. Callers write
// portable SQL (`?` parameters, BIGINT/DOUBLE PRECISION/TEXT columns, RETURNING, ON CONFLICT,
// no engine-only functions) against Connection and run on both engines unchanged. Hashes and
// keys are stored as hex TEXT, booleans as BIGINT 0/1, times as RFC 3339 TEXT in UTC or BIGINT
// milliseconds. Results come back as int64, double, text or NULL on both engines.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ctip::store {

using Value = std::variant<std::monostate, int64_t, double, std::string>;
inline const Value null_value{};

class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool is_null(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  int64_t integer(size_t i) const;
  double real(size_t i) const;
  // TEXT (and an INTEGER rendered as text); empty for NULL.
  std::string text(size_t i) const;
  std::optional<std::string> optional_text(size_t i) const;
  std::optional<int64_t> optional_integer(size_t i) const;
  const Value& value(size_t i) const { return values_.at(i); }

 private:
  std::vector<Value> values_;
};

using Params = std::vector<Value>;

// One connection, used by one thread at a time.
// Errors: a UNIQUE (or primary key) violation throws Error(conflict) (HTTP 409); a CHECK,
// NOT NULL or foreign key violation is a bug in the caller and throws Error(internal) (500).
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void execute(std::string_view sql, const Params& params = {}) = 0;
  virtual std::vector<Row> query(std::string_view sql, const Params& params = {}) = 0;
  std::optional<Row> query_one(std::string_view sql, const Params& params = {});
  // The first row of a query that always returns one (an aggregate, INSERT ... RETURNING);
  // Error(internal) when it returned none.
  Row query_row(std::string_view sql, const Params& params = {});
  // Rows changed by the last INSERT/UPDATE/DELETE.
  virtual int64_t changes() = 0;
  // Runs several statements without parameters (migrations).
  virtual void execute_script(std::string_view sql) = 0;
};

struct Migration {
  int version;
  std::string name;
  std::string_view sql;
};

struct CheckReport {
  bool ok = true;
  std::vector<std::string> problems;  // empty when ok
  int schema_version = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Opens the store that `url` names and applies pending migrations unless `migrate` is false:
  //   sqlite:DIR             the embedded SQLite store in DIR/ctip.sqlite (DIR made 0700 and
  //                          the store's files 0600 whatever the umask; DIR created when
  //                          absent); what `--data DIR` means
  //   postgresql://...       a PostgreSQL database, a libpq connection URI
  //                          (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING);
  //                          `postgres://` is accepted too
  // Throws Error(invalid_argument, field "store") for another scheme, and Error(integrity) when
  // the store's schema is newer than this binary knows (naming both versions): an older binary
  // must not write to tables whose meaning it does not know.
  static std::unique_ptr<Store> open(std::string_view url, bool migrate = true);
  // The URL of the SQLite store in a data directory: "sqlite:" + dir.
  static std::string sqlite_url(const std::filesystem::path& data_dir);
  // Whether the store at `url` exists, for commands that must not create one: the SQLite file
  // is there. A PostgreSQL database is created by its administrator, so always true; opening
  // it reports a wrong URL.
  static bool exists(std::string_view url);

  // "sqlite" or "postgresql".
  virtual std::string_view engine() const = 0;

  // Runs fn inside one write transaction (SQLite: BEGIN IMMEDIATE, one writer at a time;
  // PostgreSQL: READ COMMITTED, row locks), committing when fn returns and rolling back when
  // it throws: a failed import or request leaves the store as it was. Callers that need
  // serialisation across processes take it themselves (e.g. the audit log locks audit_state).
  virtual void write(const std::function<void(Connection&)>& fn) = 0;
  // Runs fn on a connection with a consistent read snapshot (PostgreSQL: a READ ONLY,
  // REPEATABLE READ transaction).
  virtual void read(const std::function<void(Connection&)>& fn) = 0;

  // Applies pending migrations; returns how many were applied.
  virtual int migrate() = 0;
  virtual int schema_version() = 0;
  // A consistent online copy of the whole store at `target` (a file that must not exist,
  // created 0600), taken from one read snapshot so that it finishes under steady writes
  // (SQLite: VACUUM INTO). PostgreSQL: throws Error(invalid_argument) explaining pg_dump and
  // PITR (docs/operations.md).
  virtual void backup(const std::filesystem::path& target) = 0;
  // Structural checks: page integrity, foreign keys, migrations.
  virtual CheckReport check() = 0;

  // The migrations compiled into this binary, ordered by version.
  static std::vector<Migration> known_migrations();
};

}  // namespace ctip::store
