// The engine-independent half of the Store: rows, the embedded migrations and their runner,
// and Store::open, which picks the backend from the URL's scheme.
#include "store/store.h"

#include <algorithm>
#include <charconv>

#include "core/embedded.h"
#include "core/error.h"
#include "core/time.h"
#include "store/engine.h"

namespace ctip::store {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";
constexpr const char* kSqliteFile = "ctip.sqlite";

int migration_version(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  int v = 0;
  auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), v);
  if (ec != std::errc() || p == name.data())
    throw Error(ErrorCode::internal,
                "migration file without a leading number: " + std::string(path));
  return v;
}

bool is_postgresql_url(std::string_view url) {
  return url.starts_with("postgresql://") || url.starts_with("postgres://");
}

int latest_known_version() {
  auto known = Store::known_migrations();
  return known.empty() ? 0 : known.back().version;
}

}  // namespace

int64_t Row::integer(size_t i) const {
  const auto& v = values_.at(i);
  if (auto p = std::get_if<int64_t>(&v)) return *p;
  if (auto d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto s = std::get_if<std::string>(&v)) {
    int64_t out = 0;
    std::from_chars(s->data(), s->data() + s->size(), out);
    return out;
  }
  return 0;
}

double Row::real(size_t i) const {
  const auto& v = values_.at(i);
  if (auto d = std::get_if<double>(&v)) return *d;
  if (auto p = std::get_if<int64_t>(&v)) return static_cast<double>(*p);
  return 0;
}

std::string Row::text(size_t i) const {
  const auto& v = values_.at(i);
  if (auto s = std::get_if<std::string>(&v)) return *s;
  if (auto p = std::get_if<int64_t>(&v)) return std::to_string(*p);
  if (auto d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

std::optional<std::string> Row::optional_text(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

std::optional<int64_t> Row::optional_integer(size_t i) const {
  if (is_null(i)) return std::nullopt;
  return integer(i);
}

std::optional<Row> Connection::query_one(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

Row Connection::query_row(std::string_view sql, const Params& params) {
  auto rows = query(sql, params);
  if (rows.empty())
    throw Error(ErrorCode::internal, "a query that always returns a row returned none");
  return std::move(rows.front());
}

std::vector<Migration> Store::known_migrations() {
  std::vector<Migration> out;
  for (const auto& f : embedded::migrations()) {
    auto slash = f.path.rfind('/');
    out.push_back({migration_version(f.path), std::string(f.path.substr(slash + 1)), f.contents});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].version == out[i - 1].version)
      throw Error(ErrorCode::internal,
                  "two migrations share version " + std::to_string(out[i].version));
  return out;
}

std::string Store::sqlite_url(const std::filesystem::path& data_dir) {
  return std::string(kSqliteScheme) + data_dir.string();
}

bool Store::exists(std::string_view url) {
  if (url.starts_with(kSqliteScheme))
    return std::filesystem::exists(std::filesystem::path(url.substr(kSqliteScheme.size())) /
                                   kSqliteFile);
  return is_postgresql_url(url);
}

std::unique_ptr<Store> Store::open(std::string_view url, bool migrate) {
  std::unique_ptr<detail::BasicStore> s;
  if (url.starts_with(kSqliteScheme)) {
    auto dir = url.substr(kSqliteScheme.size());
    if (dir.empty())
      throw Error(ErrorCode::invalid_argument,
                  "sqlite: needs a data directory, e.g. sqlite:./ctip-data", "store");
    s = detail::open_sqlite_store(std::filesystem::path(dir));
  } else if (is_postgresql_url(url)) {
    s = detail::open_postgresql_store(std::string(url));
  } else {
    // The URL may hold a password: name only its scheme.
    auto colon = url.find(':');
    throw Error(ErrorCode::invalid_argument,
                "unknown store '" + std::string(url.substr(0, std::min(colon, size_t{16}))) +
                    "...': use sqlite:DIR or postgresql://...",
                "store");
  }
  s->refuse_newer_schema();
  if (migrate) s->migrate();
  return s;
}

namespace detail {

std::string engine_sections(std::string_view sql, std::string_view engine) {
  static constexpr std::string_view kMarker = "-- ctip:engine ";
  std::string out;
  bool keep = true;
  while (!sql.empty()) {
    size_t end = sql.find('\n');
    std::string_view line = sql.substr(0, end == std::string_view::npos ? sql.size() : end + 1);
    sql.remove_prefix(line.size());
    if (line.starts_with(kMarker)) {
      std::string_view name = line.substr(kMarker.size());
      while (!name.empty() && (name.back() == '\n' || name.back() == '\r' || name.back() == ' '))
        name.remove_suffix(1);
      keep = name == "all" || name == engine;
      continue;
    }
    if (keep) out += line;
  }
  return out;
}

int BasicStore::migrate() {
  int applied = 0;
  write([&](Connection& c) {
    lock_for_migration(c);
    c.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    int current = static_cast<int>(
        c.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").integer(0));
    for (const auto& m : known_migrations()) {
      if (m.version <= current) continue;
      c.execute_script(migration_sql(m.sql));
      c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                {int64_t{m.version}, m.name, now_iso()});
      ++applied;
    }
  });
  return applied;
}

int BasicStore::schema_version() {
  int v = 0;
  read([&](Connection& c) {
    if (!has_table(c, "schema_migrations")) return;
    v = static_cast<int>(
        c.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").integer(0));
  });
  return v;
}

void BasicStore::refuse_newer_schema() {
  int have = schema_version(), latest = latest_known_version();
  if (have > latest)
    throw Error(ErrorCode::integrity,
                "the store's schema version " + std::to_string(have) +
                    " is newer than this binary knows (" + std::to_string(latest) +
                    "): run a ctip at least as new as the one that migrated it");
}

void BasicStore::check_schema_version(CheckReport& report) {
  report.schema_version = schema_version();
  int latest = latest_known_version();
  if (report.schema_version < latest)
    report.problems.push_back("schema version " + std::to_string(report.schema_version) +
                              " is behind this binary's " + std::to_string(latest) +
                              ": run 'ctip db migrate'");
  if (report.schema_version > latest)
    report.problems.push_back("schema version " + std::to_string(report.schema_version) +
                              " is newer than this binary knows (" + std::to_string(latest) + ")");
}

}  // namespace detail
}  // namespace ctip::store
