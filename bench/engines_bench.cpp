// Micro-benchmarks of the pure engines: what one request or one import costs in CPU.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <random>

#include "auth/permissions.h"
#include "screen/coverage.h"

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
  std::vector<screen::EncounterRow> rows;
  for (int64_t i = 0; i < state.range(0); ++i) {
    screen::EncounterRow r;
    r.month = "2026-" + std::string(rng() % 12 < 9 ? "0" : "1") + std::to_string(rng() % 9 + 1);
    r.source = sources[rng() % 6];
    r.person_id = static_cast<int64_t>(rng() % (state.range(0) / 2 + 1));
    r.nationality = rng() % 3 == 0 ? "NL" : "NG";
    if (rng() % 4) r.outcome = outcomes[rng() % 4];
    rows.push_back(std::move(r));
  }
  for (auto _ : state) benchmark::DoNotOptimize(screen::compute_coverage(rows, "NL"));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Coverage)->Arg(10000)->Arg(100000);

}  // namespace

#include "audit/merkle.h"
#include "screen/screening.h"

namespace {

using namespace ctip;

// One audit append's tree work: hash the leaf, fold it into the frontier, compute the root.
void BM_MerkleAppend(benchmark::State& state) {
  audit::merkle::Frontier f;
  uint64_t i = 0;
  for (auto _ : state) {
    f.append(audit::merkle::hash_leaf("entry " + std::to_string(i++)));
    benchmark::DoNotOptimize(f.root());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MerkleAppend);

// Inclusion proof and its check over a log of N entries (proofs read every leaf hash).
void BM_InclusionProof(benchmark::State& state) {
  std::vector<audit::merkle::Hash> leaves;
  for (int64_t i = 0; i < state.range(0); ++i)
    leaves.push_back(audit::merkle::hash_leaf("entry " + std::to_string(i)));
  auto root = audit::merkle::root(leaves);
  uint64_t i = 0;
  for (auto _ : state) {
    uint64_t index = (i++ * 7919) % leaves.size();
    auto path = audit::merkle::inclusion_proof(leaves, index);
    if (!audit::merkle::verify_inclusion(index, leaves.size(), leaves[index], path, root))
      state.SkipWithError("proof did not verify");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InclusionProof)->Arg(1 << 10)->Arg(1 << 16);

// One full-interview evaluation (67 indicators, adult labour), parse to JSON result.
void BM_ScreeningEvaluate(benchmark::State& state) {
  const auto& inst = *screen::Catalogue::builtin().find_instrument("adult_labour");
  Json answers = Json::object();
  int k = 0;
  for (const auto& ind : inst.indicators)
    answers[ind.id] = (k++ % 3 == 0) ? "yes" : (k % 3 == 1 ? "no" : "unknown");
  Json input = {{"profile", "adult_labour"}, {"age", 30}, {"answers", answers}};
  for (auto _ : state)
    benchmark::DoNotOptimize(
        screen::to_json(screen::evaluate(screen::parse_evaluation_input(input))));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ScreeningEvaluate);

}  // namespace
