// The audit log on a real SQLite store (issue #6 item 6): group-committed record() throughput
// with N concurrent threads, and verify() and inclusion proofs over a log of one million
// entries. The million-entry store is built once (about a minute) in $CTIP_BENCH_AUDIT_DIR or
// /tmp/ctip-bench-audit-1m and reused; `ctip audit verify --data DIR` runs on it too.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>

#include "audit/audit_log.h"
#include "audit/merkle.h"
#include "core/crypto.h"

namespace {

using namespace ctip;
namespace fs = std::filesystem;

constexpr int64_t kMillion = 1'000'000;
// Entries per group commit when building the big log: what 16 concurrent requests share.
constexpr size_t kBuildBatch = 16;

audit::Event read_event(int64_t i) {
  return {100 + i % 50, "worker" + std::to_string(i % 50),
          1 + i % 7,    "screenings.read",
          "screening",  std::to_string(i),
          "success"};
}

struct OpenLog {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<audit::DirectoryTrustStore> trust;
  std::unique_ptr<audit::AuditLog> log;
  explicit OpenLog(const fs::path& dir) {
    store = store::Store::open(store::Store::sqlite_url(dir));
    trust = std::make_unique<audit::DirectoryTrustStore>(dir);
    log = std::make_unique<audit::AuditLog>(*store, *trust);
  }
};

fs::path million_dir() {
  const char* env = std::getenv("CTIP_BENCH_AUDIT_DIR");
  return env ? fs::path(env) : fs::temp_directory_path() / "ctip-bench-audit-1m";
}

// The million-entry log, built on first use.
OpenLog& million_log() {
  static std::unique_ptr<OpenLog> open;
  if (open) return *open;
  fs::path dir = million_dir();
  if (fs::exists(dir)) {
    open = std::make_unique<OpenLog>(dir);
    if (open->log->head().tree_size == kMillion) return *open;
    open.reset();
    fs::remove_all(dir);
  }
  std::cerr << "building a " << kMillion << "-entry audit log in " << dir << " ...\n";
  open = std::make_unique<OpenLog>(dir);
  std::vector<audit::Event> batch;
  for (int64_t i = 1; i <= kMillion; ++i) {
    batch.push_back(read_event(i));
    if (batch.size() == kBuildBatch || i == kMillion) {
      open->log->record_all(batch);
      batch.clear();
    }
  }
  return *open;
}

struct Shared {
  fs::path dir;
  std::unique_ptr<OpenLog> open;
};
Shared shared;

// Audited reads from N request threads at once: each record() returns once its entry is
// committed and its batch's head signed and published.
void BM_AuditRecord(benchmark::State& state) {
  if (state.thread_index() == 0) {
    shared.dir = fs::temp_directory_path() / ("ctip-bench-audit-" + std::to_string(::getpid()));
    fs::remove_all(shared.dir);
    shared.open = std::make_unique<OpenLog>(shared.dir);
  }
  int64_t i = 0;
  for (auto _ : state) shared.open->log->record(read_event(++i));
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    int64_t heads = 0, size = shared.open->log->head().tree_size;
    shared.open->store->read([&](store::Connection& c) {
      heads = c.query_row("SELECT COUNT(*) FROM audit_tree_heads").integer(0);
    });
    state.counters["entries_per_head"] =
        heads ? static_cast<double>(size) / static_cast<double>(heads) : 0;
    shared.open.reset();
    fs::remove_all(shared.dir);
  }
}
BENCHMARK(BM_AuditRecord)->Threads(1)->Threads(4)->Threads(16)->UseRealTime();

void BM_AuditVerify1M(benchmark::State& state) {
  OpenLog& open = million_log();
  for (auto _ : state) {
    auto r = open.log->verify();
    if (!r.ok || r.entries != kMillion) state.SkipWithError(r.message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * kMillion);
}
BENCHMARK(BM_AuditVerify1M)->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

// One inclusion proof for a random entry of the 1M log against its latest head.
void BM_AuditInclusionProof1M(benchmark::State& state) {
  OpenLog& open = million_log();
  auto head = open.log->head();
  auto unhex = [](const std::string& h) {
    std::string raw = from_hex(h);
    audit::merkle::Hash out{};
    std::copy(raw.begin(), raw.end(), out.begin());
    return out;
  };
  const auto root = unhex(head.root_hash);
  std::mt19937_64 rng(7);
  for (auto _ : state) {
    int64_t seq = 1 + static_cast<int64_t>(rng() % kMillion);
    auto proof = open.log->inclusion_proof(seq, head.tree_size);
    // Check it as a client would, outside the timing: the server's cost is the proof.
    state.PauseTiming();
    std::vector<audit::merkle::Hash> path;
    for (const auto& h : proof) path.push_back(unhex(h));
    auto leaf = unhex(open.log->entries(seq - 1, 1).at(0).leaf_hash);
    if (!audit::merkle::verify_inclusion(static_cast<uint64_t>(seq - 1),
                                         static_cast<uint64_t>(head.tree_size), leaf, path, root))
      state.SkipWithError("proof did not verify");
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AuditInclusionProof1M)->Unit(benchmark::kMicrosecond);

}  // namespace
