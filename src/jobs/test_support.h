// Shared set-up of the jobs tests: a fresh store (store/testing.h: SQLite or PostgreSQL) with
// the schema, two organisations with one user each, and the audit log.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>

#include "audit/audit_log.h"
#include "audit/trust_store.h"
#include "jobs/job_service.h"
#include "store/store.h"
#include "store/testing.h"

namespace ctip::jobs::testing {

inline std::filesystem::path fresh_dir(const std::string& name) {
  static std::mt19937_64 rng{std::random_device{}()};
  auto dir = std::filesystem::temp_directory_path() /
             ("ctip-jobs-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(rng()));
  std::filesystem::create_directories(dir);
  return dir;
}

// Two organisations (ids 1 and 2) with a user each (ids 1 and 2); a table for kinds' output.
inline void seed(store::Store& store) {
  store.write([](store::Connection& c) {
    c.execute(
        "INSERT INTO organisations (id, name, kind, created_at) VALUES "
        "(1, 'Org A', 'service_provider', '2026-01-01T00:00:00.000Z'), "
        "(2, 'Org B', 'law_enforcement', '2026-01-01T00:00:00.000Z')");
    c.execute(
        "INSERT INTO users (id, username, org_id, role, password_hash, created_at) VALUES "
        "(1, 'alice', 1, 'caseworker', 'x', '2026-01-01T00:00:00.000Z'), "
        "(2, 'bob', 2, 'investigator', 'x', '2026-01-01T00:00:00.000Z')");
    c.execute("CREATE TABLE job_output (job_id BIGINT NOT NULL, n BIGINT NOT NULL)");
  });
}

// A job's result, or null: a missing result fails the comparison instead of crashing the test.
inline Json result_of(const Job& job) { return job.result ? *job.result : Json(); }

inline Caller alice() { return {1, "alice", 1, false}; }
inline Caller bob() { return {2, "bob", 2, false}; }

struct Env {
  // A fresh store on the engine of the run (store/testing.h); the jobs directory and the audit
  // log's files in its temporary directory.
  explicit Env(const std::string& /*name*/) : dir(db.dir()) { open(true); }
  ~Env() {
    audit.reset();
    trust.reset();
    store.reset();
  }
  // Opens (again) the store in `dir`, as a restarted process would.
  void open(bool first) {
    audit.reset();
    store = db.open();
    if (first) seed(*store);
    trust = std::make_unique<audit::DirectoryTrustStore>(dir);
    audit = std::make_unique<audit::AuditLog>(*store, *trust);
  }
  ServiceOptions options(int workers = 1) const {
    ServiceOptions o;
    o.jobs_dir = dir / "jobs";
    o.workers = workers;
    o.progress_interval = std::chrono::milliseconds(0);
    return o;
  }
  int64_t count(const std::string& sql) {
    int64_t n = 0;
    store->read([&](store::Connection& c) { n = c.query_row(sql).integer(0); });
    return n;
  }
  // Files in the jobs directory (inputs and partial uploads).
  size_t job_files() const {
    size_t n = 0;
    if (!std::filesystem::exists(dir / "jobs")) return 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir / "jobs")) ++n;
    return n;
  }
  store::testing::TestDatabase db;
  std::filesystem::path dir;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<audit::DirectoryTrustStore> trust;
  std::unique_ptr<audit::AuditLog> audit;
};

}  // namespace ctip::jobs::testing
