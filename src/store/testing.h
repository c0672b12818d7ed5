// A fresh, empty store for one test, on the engine the test run asks for (contracts item 4):
//   CTIP_TEST_ENGINE=sqlite       SQLite in a temporary directory (the default)
//   CTIP_TEST_ENGINE=postgresql   a fresh schema on the server CTIP_TEST_PG names (a
//                                 postgresql:// URL, e.g. from scripts/with-postgres.sh), dropped
//                                 afterwards; fails when CTIP_TEST_PG is unset
// Without CTIP_TEST_ENGINE, CTIP_TEST_PG alone selects PostgreSQL (running a binary by hand).
// ctest runs each store-using test binary once per engine (ctip_add_store_test in
// src/store/CMakeLists.txt sets CTIP_TEST_ENGINE).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "store/store.h"

namespace ctip::store::testing {

class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // The store's URL: open it as often as a test likes (each Store is like another process).
  const std::string& url() const { return url_; }
  // A temporary directory, removed afterwards: SQLite's data directory, and the place for the
  // files a test keeps beside the store (the audit log's key and head files).
  const std::filesystem::path& dir() const { return dir_; }
  bool postgresql() const { return !schema_.empty(); }
  // Store::open(url(), migrate).
  std::unique_ptr<Store> open(bool migrate = true) const { return Store::open(url_, migrate); }

 private:
  void create();

  std::filesystem::path dir_;
  std::string url_;
  std::string server_url_;  // PostgreSQL: the server, to drop the schema
  std::string schema_;      // PostgreSQL: this test's schema
};

// The engine a test binary was asked to run on: "sqlite" or "postgresql".
std::string engine();

}  // namespace ctip::store::testing
