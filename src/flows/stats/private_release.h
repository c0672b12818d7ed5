// A differentially private release of a table of counts (issue #9 item 4): discrete Laplace
// noise on every cell (exact sampling, Canonne, Kamath & Steinke 2020), each person's
// contribution bounded, and an epsilon budget per dataset that refuses a release once it would
// be overspent. Pure: the ledger is a value the integrator persists (to_json / from_json); the
// randomness is a parameter (libsodium's by default). See README.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "flows/stats/count_table.h"

namespace ctip::flows::stats {

// Uniform random bits. The default (system_randomness) is libsodium's randombytes.
class RandomBits {
 public:
  virtual ~RandomBits() = default;
  virtual uint64_t next64() = 0;
  // A uniform integer in [0, upper), upper >= 1, without modulo bias.
  uint64_t below(uint64_t upper);
};
RandomBits& system_randomness();

// One draw from the discrete Laplace distribution P(z) ∝ exp(-|z| * s / t) (scale t / s),
// exactly, with integer arithmetic only (CKS 2020, Algorithms 1 and 2). s, t >= 1.
int64_t sample_discrete_laplace(uint64_t s, uint64_t t, RandomBits& bits);

// The epsilon ledger of one dataset: pure epsilon-DP composes by addition, so the budget is
// the sum of the epsilons of every release of the dataset. Epsilon is kept in millionths,
// each spend rounded up, so that sums are exact.
class PrivacyBudget {
 public:
  struct Spend {
    double epsilon = 0;
    std::string purpose;  // e.g. the release's id and table
  };

  // Throws Error(invalid_argument, field "total_epsilon") when it is not positive and finite.
  PrivacyBudget(std::string dataset, double total_epsilon);

  const std::string& dataset() const { return dataset_; }
  double total() const;
  double spent() const;
  double remaining() const;
  const std::vector<Spend>& spends() const { return spends_; }

  // Why spending `epsilon` would be refused, or nullopt when it may be spent.
  std::optional<std::string> refusal(double epsilon) const;
  // Records the spend, or throws Error naming the field "epsilon": invalid_argument when
  // epsilon <= 0 or not finite, conflict when it exceeds what is left (nothing is recorded).
  void spend(double epsilon, std::string purpose);

  // {"dataset", "total_epsilon", "spent_epsilon", "spends": [{"epsilon", "purpose"}]}
  nlohmann::json to_json() const;
  // Throws Error(invalid_argument) naming the field when the JSON is not a ledger or its spends
  // exceed its total.
  static PrivacyBudget from_json(const nlohmann::json& json);

 private:
  std::string dataset_;
  int64_t total_micro_ = 0;
  int64_t spent_micro_ = 0;
  std::vector<Spend> spends_;
};

struct PrivacyParameters {
  double epsilon = 0;
  // The most records one person can have in the table (each adds 1 to one cell): the L1
  // sensitivity of the table. The caller bounds it when aggregating (README.md).
  int64_t max_records_per_person = 1;
};

struct PrivateRelease {
  CountTable table;                 // noisy counts, negative ones published as 0
  std::vector<int64_t> row_totals;  // sums of the published cells (post-processing)
  std::vector<int64_t> column_totals;
  int64_t grand_total = 0;
  std::string mechanism = "discrete Laplace";
  double epsilon = 0;
  int64_t sensitivity = 1;
  double scale = 0;  // the noise's scale: P(z) ∝ exp(-|z| / scale), scale >= sensitivity / epsilon
  std::string dataset;

  // {"mechanism", "epsilon", "sensitivity", "scale", "dataset", "rows", "columns", "cells",
  //  "row_totals", "column_totals", "grand_total"}
  nlohmann::json to_json() const;
};

// Spends `parameters.epsilon` from `budget` (refusing as PrivacyBudget::spend does, and naming
// max_records_per_person when it is below 1), then adds independent discrete Laplace noise of
// scale max_records_per_person / epsilon to every cell.
PrivateRelease release_private(const CountTable& table, const PrivacyParameters& parameters,
                               PrivacyBudget& budget, const std::string& purpose,
                               RandomBits& bits = system_randomness());

}  // namespace ctip::flows::stats
