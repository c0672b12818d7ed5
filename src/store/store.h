// The Store: ctip's only way to persistent data. Callers write portable SQL (`?` parameters,
// INTEGER/REAL/TEXT columns, RETURNING, no SQLite-only functions where a portable form exists)
// against Connection, so that a PostgreSQL backend can be added beside the SQLite one without
// touching them. Hashes and keys are stored as hex TEXT, booleans as INTEGER 0/1, times as
// RFC 3339 TEXT in UTC.
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
class Connection {
 public:
  virtual ~Connection() = default;
  virtual void execute(std::string_view sql, const Params& params = {}) = 0;
  virtual std::vector<Row> query(std::string_view sql, const Params& params = {}) = 0;
  std::optional<Row> query_one(std::string_view sql, const Params& params = {});
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

  // Opens (creating when absent) the embedded SQLite store in `data_dir` and applies pending
  // migrations unless `migrate` is false.
  static std::unique_ptr<Store> open_sqlite(const std::filesystem::path& data_dir,
                                            bool migrate = true);
  // Whether `data_dir` holds an SQLite store (for commands that must not create one).
  static bool sqlite_exists(const std::filesystem::path& data_dir);

  const std::filesystem::path& data_dir() const { return data_dir_; }

  // Runs fn inside one transaction that takes the write lock at its start (BEGIN IMMEDIATE in
  // SQLite), committing when fn returns and rolling back when it throws: a failed import or
  // request leaves the store as it was.
  virtual void write(const std::function<void(Connection&)>& fn) = 0;
  // Runs fn on a connection with a consistent read snapshot.
  virtual void read(const std::function<void(Connection&)>& fn) = 0;

  // Applies pending migrations; returns how many were applied.
  virtual int migrate() = 0;
  virtual int schema_version() = 0;
  // A consistent online copy of the whole store at `target` (a file that must not exist).
  virtual void backup(const std::filesystem::path& target) = 0;
  // Structural checks: page integrity, foreign keys, migrations.
  virtual CheckReport check() = 0;

  // The migrations compiled into this binary, ordered by version.
  static std::vector<Migration> known_migrations();

 protected:
  std::filesystem::path data_dir_;
};

}  // namespace ctip::store
