// The PostgreSQL backend of Store, over libpq (Debian libpq-dev): a small pool of connections
// (one per concurrently working thread), `?` placeholders translated to $n, parameters sent as
// text with their types, results converted by column type to int64, double, text or NULL.
//
// Transactions: write() is READ COMMITTED, so concurrent writers wait only on the rows they
// both touch (whoever needs more serialisation takes a row lock, as the audit log does on
// audit_state); read() is a READ ONLY, REPEATABLE READ transaction, one snapshot for all its
// statements (https://www.postgresql.org/docs/15/transaction-iso.html).
#include <libpq-fe.h>

#include <charconv>
#include <cstdio>
#include <mutex>
#include <unordered_map>

#include "core/error.h"
#include "store/engine.h"
#include "store/sql_placeholders.h"

namespace ctip::store {
namespace {

// Type OIDs of pg_catalog.pg_type (src/include/catalog/pg_type.dat), stable across versions.
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
              kFloat8 = 701, kNumeric = 1700;

// Maps an SQLSTATE (https://www.postgresql.org/docs/15/errcodes-appendix.html) like SQLite's
// extended codes: a duplicate is a conflict (409); other integrity constraint violations
// (class 23: CHECK, NOT NULL, foreign key, exclusion) are bugs (500); data corruption is an
// integrity failure.
[[noreturn]] void fail(const PGresult* res, PGconn* conn, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  // The primary message and the constraint's name only: DETAIL repeats the offending values
  // ("Key (reference)=(P-17) already exists"), which may be personal data and must reach
  // neither a response nor a log.
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  const char* constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : nullptr;
  std::string detail = primary ? primary : PQerrorMessage(conn);
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' ')) detail.pop_back();
  std::string msg = std::string(what) + ": " + detail;
  if (constraint && detail.find(constraint) == std::string::npos)
    msg += std::string(" (constraint ") + constraint + ")";
  std::string_view code = state ? state : "";
  if (code == "23505") throw Error(ErrorCode::conflict, msg);
  if (code == "XX001" || code == "XX002") throw Error(ErrorCode::integrity, msg);
  throw Error(ErrorCode::internal, msg);
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

Value convert(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return null_value;
  const char* p = PQgetvalue(res, row, col);
  size_t n = static_cast<size_t>(PQgetlength(res, row, col));
  auto to_int = [&](int64_t& out) {
    auto [end, ec] = std::from_chars(p, p + n, out);
    return ec == std::errc() && end == p + n;
  };
  switch (PQftype(res, col)) {
    case kInt8:
    case kInt4:
    case kInt2:
    case kOid: {
      int64_t v = 0;
      to_int(v);
      return v;
    }
    case kBool:
      return int64_t{p[0] == 't' ? 1 : 0};
    case kNumeric: {
      // SUM and AVG of integers are numeric: an integral value stays an integer.
      int64_t v = 0;
      if (to_int(v)) return v;
      return std::strtod(p, nullptr);
    }
    case kFloat4:
    case kFloat8:
      return std::strtod(p, nullptr);
    default:
      return std::string(p, n);
  }
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? PQerrorMessage(conn_) : "out of memory";
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      PQfinish(conn_);
      throw Error(ErrorCode::internal, "cannot connect to PostgreSQL: " + msg);
    }
    // Notices ("relation ... already exists, skipping") are not errors; keep stderr for logs.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~PgConnection() override { PQfinish(conn_); }
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  void execute(std::string_view sql, const Params& params) override { run(sql, params); }

  std::vector<Row> query(std::string_view sql, const Params& params) override {
    Result res = run(sql, params);
    std::vector<Row> rows;
    int n = PQntuples(res.get()), cols = PQnfields(res.get());
    rows.reserve(static_cast<size_t>(n));
    for (int r = 0; r < n; ++r) {
      std::vector<Value> values;
      values.reserve(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) values.push_back(convert(res.get(), r, c));
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  int64_t changes() override { return changes_; }

  void execute_script(std::string_view sql) override {
    // The simple query protocol runs several statements in one call.
    Result res(PQexec(conn_, std::string(sql).c_str()));
    auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      fail(res.get(), conn_, "store script failed");
  }

  // Whether the connection can go back to the pool: connected and outside any transaction.
  bool reusable() const {
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

 private:
  Result run(std::string_view sql, const Params& params) {
    std::string text = detail::numbered_placeholders(sql, params.size());
    std::vector<Oid> types(params.size(), 0);
    std::vector<std::string> storage(params.size());
    std::vector<const char*> values(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, int64_t>) {
              types[i] = kInt8;
              storage[i] = std::to_string(v);
              values[i] = storage[i].c_str();
            } else if constexpr (std::is_same_v<T, double>) {
              types[i] = kFloat8;
              char buf[32];
              std::snprintf(buf, sizeof buf, "%.17g", v);
              storage[i] = buf;
              values[i] = storage[i].c_str();
            } else if constexpr (std::is_same_v<T, std::string>) {
              // Text goes as an untyped literal, so PostgreSQL infers the column's type, as
              // SQLite's type affinity does.
              values[i] = v.c_str();
            }
          },
          params[i]);
    }
    Result res(PQexecPrepared(conn_, prepared(sql, text, types).c_str(),
                              static_cast<int>(params.size()), values.data(), nullptr, nullptr, 0));
    auto status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
      fail(res.get(), conn_, "statement failed");
    const char* affected = PQcmdTuples(res.get());
    changes_ = affected && *affected ? std::strtoll(affected, nullptr, 10) : 0;
    return res;
  }

  // The name of a prepared statement for sql with these parameter types, preparing it on first
  // use: PostgreSQL then parses and plans it once per connection (as SQLite's statement cache
  // does), not on every call. Statements of transaction control ("BEGIN", "COMMIT") are cheap
  // but cached alike.
  const std::string& prepared(std::string_view sql, const std::string& text,
                              const std::vector<Oid>& types) {
    std::string key(sql);
    key += '\0';
    for (Oid t : types) key += std::to_string(t) + ",";
    if (auto it = statements_.find(key); it != statements_.end()) return it->second;
    if (statements_.size() >= kMaxStatements) {
      Result r(PQexec(conn_, "DEALLOCATE ALL"));
      statements_.clear();
    }
    std::string name = "ctip_" + std::to_string(++prepared_count_);
    Result res(
        PQprepare(conn_, name.c_str(), text.c_str(), static_cast<int>(types.size()), types.data()));
    if (!res || PQresultStatus(res.get()) != PGRES_COMMAND_OK)
      fail(res.get(), conn_, "cannot prepare statement");
    return statements_.emplace(std::move(key), std::move(name)).first->second;
  }

  static constexpr size_t kMaxStatements = 256;
  PGconn* conn_;
  int64_t changes_ = 0;
  std::unordered_map<std::string, std::string> statements_;  // sql and types -> name
  uint64_t prepared_count_ = 0;
};

class PgStore final : public detail::BasicStore {
 public:
  explicit PgStore(std::string conninfo) : conninfo_(std::move(conninfo)) {
    // Connecting now surfaces a wrong URL, password or database at once.
    idle_.push_back(std::make_unique<PgConnection>(conninfo_));
  }

  std::string_view engine() const override { return "postgresql"; }

  void write(const std::function<void(Connection&)>& fn) override {
    in_transaction("BEGIN ISOLATION LEVEL READ COMMITTED", fn);
  }

  void read(const std::function<void(Connection&)>& fn) override {
    in_transaction("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", fn);
  }

  void backup(const std::filesystem::path&) override {
    throw Error(ErrorCode::invalid_argument,
                "a PostgreSQL store is backed up with PostgreSQL's own tools, not 'ctip db "
                "backup': copy the --data directory's audit-head.json and audit-signing.key "
                "first, then run pg_dump --format=custom --file=FILE 'postgresql://...' (or "
                "keep a PITR base backup and WAL archive); see docs/operations.md",
                "target");
  }

  CheckReport check() override {
    CheckReport report;
    // PostgreSQL enforces foreign keys and checks its pages itself (data checksums, amcheck);
    // what can go wrong at this level is an index left invalid by a failed CREATE INDEX
    // CONCURRENTLY.
    read([&](Connection& c) {
      for (const auto& r :
           c.query("SELECT i.indexrelid::regclass::text FROM pg_index i JOIN pg_class t ON t.oid = "
                   "i.indrelid WHERE NOT i.indisvalid AND t.relnamespace = "
                   "to_regnamespace(current_schema())::oid"))
        report.problems.push_back("invalid index: " + r.text(0));
    });
    check_schema_version(report);
    report.ok = report.problems.empty();
    return report;
  }

 protected:
  bool has_table(Connection& c, std::string_view table) override {
    return c.query_row("SELECT to_regclass(?) IS NOT NULL", {std::string(table)}).integer(0) != 0;
  }

  void lock_for_migration(Connection& c) override {
    // Two servers starting at once on one database migrate one after the other; the lock is
    // released at commit (https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS).
    c.execute("SELECT pg_advisory_xact_lock(?)", {int64_t{0x63746970}});  // "ctip"
  }

 private:
  void in_transaction(const char* begin, const std::function<void(Connection&)>& fn) {
    Lease lease(*this);
    lease->execute(begin, {});
    try {
      fn(*lease);
      lease->execute("COMMIT", {});
    } catch (...) {
      try {
        lease->execute("ROLLBACK", {});
      } catch (...) {
        // ignored: the original error is rethrown below; a failed rollback adds nothing.
      }
      throw;
    }
  }

  class Lease {
   public:
    explicit Lease(PgStore& s) : store_(s) {
      {
        std::lock_guard lock(store_.mu_);
        if (!store_.idle_.empty()) {
          conn_ = std::move(store_.idle_.back());
          store_.idle_.pop_back();
        }
      }
      // A connection the server closed (restart, idle timeout) is replaced, not reused.
      if (conn_ && !conn_->reusable()) conn_.reset();
      if (!conn_) conn_ = std::make_unique<PgConnection>(store_.conninfo_);
    }
    ~Lease() {
      if (!conn_->reusable()) return;
      std::lock_guard lock(store_.mu_);
      if (store_.idle_.size() < kMaxIdle) store_.idle_.push_back(std::move(conn_));
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    PgConnection* operator->() { return conn_.get(); }
    PgConnection& operator*() { return *conn_; }

   private:
    PgStore& store_;
    std::unique_ptr<PgConnection> conn_;
  };

  // As many as the server has worker threads (ServerOptions::threads): a connection closed on
  // return would be opened again by the next request, a new server process each time.
  static constexpr size_t kMaxIdle = 32;
  std::string conninfo_;
  std::mutex mu_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
};

}  // namespace

std::unique_ptr<detail::BasicStore> detail::open_postgresql_store(const std::string& conninfo) {
  return std::make_unique<PgStore>(conninfo);
}

}  // namespace ctip::store
