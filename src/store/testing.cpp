#include "store/testing.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>

#include "core/error.h"

namespace ctip::store::testing {
namespace {

std::atomic<int> counter{0};

std::string unique_suffix() {
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(rd() % 1000000);
}

// Runs one statement on the server outside any Store (creating and dropping schemas).
void admin(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(conn) != CONNECTION_OK) {
    error = PQerrorMessage(conn);
  } else {
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    PGresult* r = PQexec(conn, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK) error = PQresultErrorMessage(r);
    PQclear(r);
  }
  PQfinish(conn);
  if (!error.empty()) throw Error(ErrorCode::internal, "test database: " + sql + ": " + error);
}

}  // namespace

std::string engine() {
  const char* e = std::getenv("CTIP_TEST_ENGINE");
  if (e && *e) return e;
  const char* pg = std::getenv("CTIP_TEST_PG");
  return pg && *pg ? "postgresql" : "sqlite";
}

TestDatabase::TestDatabase() {
  try {
    create();
  } catch (...) {
    // A throwing constructor runs no destructor: remove the directory here.
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

void TestDatabase::create() {
  std::string suffix = unique_suffix();
  dir_ = std::filesystem::temp_directory_path() / ("ctip-test-" + suffix);
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  std::string e = engine();
  if (e == "sqlite") {
    url_ = Store::sqlite_url(dir_);
    return;
  }
  if (e != "postgresql")
    throw Error(ErrorCode::internal, "CTIP_TEST_ENGINE must be sqlite or postgresql, not " + e);
  const char* pg = std::getenv("CTIP_TEST_PG");
  if (!pg || !*pg)
    throw Error(
        ErrorCode::internal,
        "this test runs on PostgreSQL but CTIP_TEST_PG is not set: run it through "
        "scripts/with-postgres.sh (make cpp-test does), or exclude the label: ctest -LE pg");
  server_url_ = pg;
  schema_ = "ctip_test_" + suffix;
  admin(server_url_, "CREATE SCHEMA " + schema_);
  // Every connection of the test's stores works in its schema only.
  url_ = server_url_ + (server_url_.find('?') == std::string::npos ? "?" : "&") +
         "options=-csearch_path%3D" + schema_;
}

TestDatabase::~TestDatabase() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  if (schema_.empty()) return;
  try {
    admin(server_url_, "DROP SCHEMA " + schema_ + " CASCADE");
  } catch (...) {
    // ignored: the server is thrown away after the run; a leftover schema harms nothing.
  }
}

}  // namespace ctip::store::testing
