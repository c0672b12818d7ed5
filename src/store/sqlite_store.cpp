// The SQLite backend of Store: WAL journal, foreign keys on, busy timeout, a small pool of
// connections (one per concurrently working thread).
//
// Durability: WAL with synchronous=NORMAL keeps every committed transaction across a crash of
// the process (SIGKILL); only an operating-system crash or power loss may roll back the most
// recent commits (https://www.sqlite.org/pragma.html#pragma_synchronous). Tests kill the
// server with SIGKILL during writes and check that nothing committed is lost.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <mutex>

#include "core/error.h"
#include "store/engine.h"

namespace ctip::store {
namespace {

constexpr const char* kStoreFile = "ctip.sqlite";

// Data at rest (issue #7): the store holds personal data, so its directory is 0700 and its
// files 0600 whatever the umask. SQLite creates the -wal and -shm files with the mode of the
// database file (https://www.sqlite.org/src/doc/trunk/src/os_unix.c, findCreateFileMode), so
// creating the database 0600 covers them; files an older ctip created 0644 are tightened here.
void make_private_directory(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec)
    throw Error(ErrorCode::internal,
                "cannot create data directory " + dir.string() + ": " + ec.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  // Not permitted: the directory is another account's (e.g. an auditor's account reading the
  // server's directory through a group); its owner keeps it as they chose.
  if (ec && ec != std::errc::operation_not_permitted)
    throw Error(ErrorCode::internal, "cannot make data directory " + dir.string() +
                                         " private (mode 0700): " + ec.message());
}

// Creates `file` 0600 when absent (O_EXCL: `exclusive`), else tightens an existing one to 0600.
void make_private_file(const std::filesystem::path& file, bool exclusive) {
  int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : 0), 0600);
  if (fd < 0)
    throw Error(ErrorCode::invalid_argument,
                "cannot create " + file.string() + ": " + std::strerror(errno), "target");
  int rc = ::fchmod(fd, 0600);
  int err = errno;
  ::close(fd);
  if (rc != 0)
    throw Error(ErrorCode::internal,
                "cannot make " + file.string() + " private (mode 0600): " + std::strerror(err));
}

void tighten_if_present(const std::filesystem::path& file) {
  if (::chmod(file.c_str(), 0600) != 0 && errno != ENOENT)
    throw Error(ErrorCode::internal,
                "cannot make " + file.string() + " private (mode 0600): " + std::strerror(errno));
}

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
  int code = db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;
  // A duplicate is the caller's input colliding with existing data (409); any other constraint
  // (CHECK, NOT NULL, foreign key) means the code let bad data through: a bug (500).
  // https://www.sqlite.org/rescode.html#constraint_unique
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
    throw Error(ErrorCode::conflict, msg);
  if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
    throw Error(ErrorCode::integrity, msg);
  throw Error(ErrorCode::internal, msg);
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(const std::filesystem::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      std::string msg = "cannot open store " + file.string() + ": " +
                        (db_ ? sqlite3_errmsg(db_) : "out of memory");
      sqlite3_close(db_);
      throw Error(ErrorCode::internal, msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    try {
      execute_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    } catch (...) {
      // A throwing constructor runs no destructor: close here (a file that is not a store).
      sqlite3_close(db_);
      throw;
    }
  }
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }

  void execute(std::string_view sql, const Params& params) override {
    sqlite3_stmt* stmt = prepare(sql, params);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    finish(stmt, rc, sql);
  }

  std::vector<Row> query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* stmt = prepare(sql, params);
    std::vector<Row> rows;
    int rc;
    int n = sqlite3_column_count(stmt);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      std::vector<Value> values;
      values.reserve(n);
      for (int i = 0; i < n; ++i) {
        switch (sqlite3_column_type(stmt, i)) {
          case SQLITE_INTEGER:
            values.emplace_back(int64_t{sqlite3_column_int64(stmt, i)});
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, i));
            break;
          case SQLITE_NULL:
            values.emplace_back(std::monostate{});
            break;
          default: {
            const auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(stmt, i));
            values.emplace_back(std::string(p ? p : "", sqlite3_column_bytes(stmt, i)));
          }
        }
      }
      rows.emplace_back(std::move(values));
    }
    finish(stmt, rc, sql);
    return rows;
  }

  int64_t changes() override { return sqlite3_changes64(db_); }

  void execute_script(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw Error(ErrorCode::internal, "store script failed: " + msg);
    }
  }

  sqlite3* handle() { return db_; }

 private:
  sqlite3_stmt* prepare(std::string_view sql, const Params& params) {
    sqlite3_stmt* stmt = nullptr;
    std::string key(sql);
    auto it = std::find_if(cache_.begin(), cache_.end(), [&](auto& e) { return e.first == key; });
    if (it != cache_.end()) {
      stmt = it->second;
    } else {
      if (sqlite3_prepare_v2(db_, key.c_str(), static_cast<int>(key.size()), &stmt, nullptr) !=
          SQLITE_OK)
        fail(db_, "cannot prepare statement");
      if (cache_.size() >= 64) {
        sqlite3_finalize(cache_.front().second);
        cache_.erase(cache_.begin());
      }
      cache_.emplace_back(std::move(key), stmt);
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (static_cast<int>(params.size()) != sqlite3_bind_parameter_count(stmt))
      throw Error(ErrorCode::internal, "statement expects " +
                                           std::to_string(sqlite3_bind_parameter_count(stmt)) +
                                           " parameters, got " + std::to_string(params.size()));
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i + 1);
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>)
              return sqlite3_bind_null(stmt, idx);
            else if constexpr (std::is_same_v<T, int64_t>)
              return sqlite3_bind_int64(stmt, idx, v);
            else if constexpr (std::is_same_v<T, double>)
              return sqlite3_bind_double(stmt, idx, v);
            else
              return sqlite3_bind_text(stmt, idx, v.data(), static_cast<int>(v.size()),
                                       SQLITE_TRANSIENT);
          },
          params[i]);
      if (rc != SQLITE_OK) fail(db_, "cannot bind parameter");
    }
    return stmt;
  }

  void finish(sqlite3_stmt* stmt, int rc, std::string_view) {
    if (rc != SQLITE_DONE) {
      sqlite3_reset(stmt);
      fail(db_, "statement failed");
    }
    sqlite3_reset(stmt);
  }

  sqlite3* db_ = nullptr;
  std::vector<std::pair<std::string, sqlite3_stmt*>> cache_;
};

class SqliteStore final : public detail::BasicStore {
 public:
  explicit SqliteStore(const std::filesystem::path& dir) {
    make_private_directory(dir);
    file_ = dir / kStoreFile;
    make_private_file(file_, false);
    tighten_if_present(dir / (std::string(kStoreFile) + "-wal"));
    tighten_if_present(dir / (std::string(kStoreFile) + "-shm"));
    // Opening one connection now surfaces a bad path or a file that is not a store at once.
    auto c = std::make_unique<SqliteConnection>(file_);
    static_cast<Connection&>(*c).query("SELECT count(*) FROM sqlite_master");
    idle_.push_back(std::move(c));
  }

  void write(const std::function<void(Connection&)>& fn) override {
    // One writer at a time within the process, queued on a mutex: SQLite's busy handler would
    // otherwise make waiting writers sleep and retry, which is unfair and turns contention
    // into second-long tail latencies. Other processes still wait on the busy timeout.
    std::lock_guard writer(write_mu_);
    in_transaction("BEGIN IMMEDIATE", fn);
  }

  void read(const std::function<void(Connection&)>& fn) override { in_transaction("BEGIN", fn); }

  std::string_view engine() const override { return "sqlite"; }

  // VACUUM INTO writes the snapshot of one read transaction into a new file: in WAL mode it
  // neither blocks writers nor restarts when they commit, so it ends in time proportional to
  // the store's size under any write load (the online backup API restarts on every write from
  // another connection; https://www.sqlite.org/lang_vacuum.html#vacuuminto). The copy is
  // compact (no free pages) and is made 0600 before anything is written to it.
  void backup(const std::filesystem::path& target) override {
    if (std::filesystem::exists(target))
      throw Error(ErrorCode::invalid_argument, "backup target exists: " + target.string(),
                  "target");
    make_private_file(target, true);
    try {
      Lease lease(*this);
      lease->execute("VACUUM INTO ?", {target.string()});
      // VACUUM INTO does not sync the new file (it is written without a journal).
      int fd = ::open(target.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0 || ::fsync(fd) != 0) {
        if (fd >= 0) ::close(fd);
        throw Error(ErrorCode::internal, "cannot sync backup " + target.string());
      }
      ::close(fd);
    } catch (...) {
      std::error_code ec;
      std::filesystem::remove(target, ec);  // no half-written backup is left behind
      throw;
    }
  }

  CheckReport check() override {
    CheckReport report;
    read([&](Connection& c) {
      for (const auto& r : c.query("PRAGMA integrity_check")) {
        if (r.text(0) != "ok") report.problems.push_back("integrity: " + r.text(0));
      }
      for (const auto& r : c.query("PRAGMA foreign_key_check")) {
        report.problems.push_back("foreign key: table " + r.text(0) + " row " + r.text(1) +
                                  " refers to a missing row in " + r.text(2));
      }
    });
    check_schema_version(report);
    report.ok = report.problems.empty();
    return report;
  }

 protected:
  bool has_table(Connection& c, std::string_view table) override {
    return c.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                       {std::string(table)})
               .integer(0) > 0;
  }

  // The migrations' one non-portable phrase: SQLite has no identity columns, and an
  // INTEGER PRIMARY KEY is its equivalent (an alias of the rowid, assigned max + 1 when not
  // given; https://www.sqlite.org/lang_createtable.html#rowid).
  std::string migration_sql(std::string_view portable) const override {
    static constexpr std::string_view kIdentity =
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    std::string out = detail::engine_sections(portable, "sqlite");
    for (size_t at = out.find(kIdentity); at != std::string::npos; at = out.find(kIdentity, at))
      out.replace(at, kIdentity.size(), "INTEGER PRIMARY KEY");
    return out;
  }

 private:
  // Commits when fn returns, rolls back when it throws.
  void in_transaction(const char* begin, const std::function<void(Connection&)>& fn) {
    Lease lease(*this);
    lease->execute(begin);
    try {
      fn(*lease);
      lease->execute("COMMIT");
    } catch (...) {
      try {
        lease->execute("ROLLBACK");
      } catch (...) {
        // ignored: the original error is rethrown below; a failed rollback adds nothing.
      }
      throw;
    }
  }

  class Lease {
   public:
    explicit Lease(SqliteStore& s) : store_(s) {
      std::lock_guard lock(store_.mu_);
      if (!store_.idle_.empty()) {
        conn_ = std::move(store_.idle_.back());
        store_.idle_.pop_back();
      }
      if (!conn_) conn_ = std::make_unique<SqliteConnection>(store_.file_);
    }
    ~Lease() {
      std::lock_guard lock(store_.mu_);
      if (store_.idle_.size() < 16) store_.idle_.push_back(std::move(conn_));
    }
    Connection* operator->() { return conn_.get(); }
    Connection& operator*() { return *conn_; }

   private:
    SqliteStore& store_;
    std::unique_ptr<SqliteConnection> conn_;
  };

  std::filesystem::path file_;
  std::mutex mu_;
  std::mutex write_mu_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_;
};

}  // namespace

std::unique_ptr<detail::BasicStore> detail::open_sqlite_store(const std::filesystem::path& dir) {
  return std::make_unique<SqliteStore>(dir);
}

}  // namespace ctip::store
