// Micro-benchmarks of the pure engines: what one request or one import costs in CPU.
#include <benchmark/benchmark.h>

#include <random>

#include "auth/permissions.h"
#include "cases/coverage.h"

namespace {

using namespace ctip;

void BM_PermissionCheck(benchmark::State& state) {
  const auto& m = auth::PermissionMatrix::builtin();
  const auto& roles = m.roles();
  const auto& actions = m.actions();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(m.allows(roles[i % roles.size()], actions[i % actions.size()]));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PermissionCheck);

// Coverage over N encounter rows (a national year has tens of thousands of encounters).
void BM_Coverage(benchmark::State& state) {
  std::mt19937 rng(7);
  const char* sources[] = {"border",
                           "police",
                           "hotline",
                           "labour_inspection",
                           "domestic_violence_service",
                           "smuggling_interception"};
  const char* outcomes[] = {"presumed_trafficking", "possible_trafficking", "exploitation_only",
                            "no_indication"};
  std::vector<cases::EncounterRow> rows;
  for (int64_t i = 0; i < state.range(0); ++i) {
    cases::EncounterRow r;
    r.month = "2026-" + std::string(rng() % 12 < 9 ? "0" : "1") + std::to_string(rng() % 9 + 1);
    r.source = sources[rng() % 6];
    r.person_id = static_cast<int64_t>(rng() % (state.range(0) / 2 + 1));
    r.nationality = rng() % 3 == 0 ? "NL" : "NG";
    if (rng() % 4) r.outcome = outcomes[rng() % 4];
    rows.push_back(std::move(r));
  }
  for (auto _ : state) benchmark::DoNotOptimize(cases::compute_coverage(rows, "NL"));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Coverage)->Arg(10000)->Arg(100000);

}  // namespace
