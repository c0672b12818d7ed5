#include "flows/stats/private_release.h"

#include <sodium.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/crypto.h"
#include "core/error.h"

namespace ctip::flows::stats {
namespace {

constexpr double kMicro = 1e6;

class SodiumBits : public RandomBits {
 public:
  SodiumBits() { crypto_init(); }
  uint64_t next64() override {
    uint64_t value = 0;
    randombytes_buf(&value, sizeof value);
    return value;
  }
};

// Bernoulli(numerator / denominator), exactly.
bool bernoulli(uint64_t numerator, uint64_t denominator, RandomBits& bits) {
  return bits.below(denominator) < numerator;
}

// Bernoulli(exp(-numerator / denominator)) for 0 <= numerator <= denominator (CKS 2020,
// Algorithm 1): count K while Bernoulli(gamma / K) succeeds; 1 when the count is odd.
bool bernoulli_exp_minus(uint64_t numerator, uint64_t denominator, RandomBits& bits) {
  uint64_t k = 1;
  while (k < std::numeric_limits<uint64_t>::max() / denominator &&
         bernoulli(numerator, denominator * k, bits)) {
    ++k;
  }
  return k % 2 == 1;
}

int64_t to_micro_rounded_up(double epsilon) {
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(epsilon * kMicro - 1e-6)));
}

void require_epsilon(double epsilon) {
  if (!std::isfinite(epsilon) || epsilon <= 0) {
    invalid("epsilon", "epsilon must be a positive number");
  }
}

}  // namespace

uint64_t RandomBits::below(uint64_t upper) {
  if (upper == 0) throw Error(ErrorCode::internal, "RandomBits::below(0)");
  // Reject the low values that would bias the remainder (as arc4random_uniform does).
  const uint64_t floor = (uint64_t{0} - upper) % upper;
  uint64_t value = next64();
  while (value < floor) value = next64();
  return value % upper;
}

RandomBits& system_randomness() {
  static SodiumBits bits;
  return bits;
}

int64_t sample_discrete_laplace(uint64_t s, uint64_t t, RandomBits& bits) {
  if (s == 0 || t == 0) throw Error(ErrorCode::internal, "discrete Laplace needs s, t >= 1");
  for (;;) {
    const uint64_t u = bits.below(t);
    if (!bernoulli_exp_minus(u, t, bits)) continue;
    uint64_t v = 0;
    while (bernoulli_exp_minus(1, 1, bits)) ++v;
    const uint64_t x = u + t * v;  // geometric with parameter 1 - exp(-1/t)
    const uint64_t y = x / s;      // geometric with parameter 1 - exp(-s/t)
    const bool negative = bernoulli(1, 2, bits);
    if (negative && y == 0) continue;
    return negative ? -static_cast<int64_t>(y) : static_cast<int64_t>(y);
  }
}

PrivacyBudget::PrivacyBudget(std::string dataset, double total_epsilon)
    : dataset_(std::move(dataset)) {
  if (!std::isfinite(total_epsilon) || total_epsilon <= 0) {
    invalid("total_epsilon", "total_epsilon must be a positive number");
  }
  total_micro_ = std::llround(total_epsilon * kMicro);
  if (total_micro_ < 1) invalid("total_epsilon", "total_epsilon must be at least 0.000001");
}

double PrivacyBudget::total() const { return static_cast<double>(total_micro_) / kMicro; }
double PrivacyBudget::spent() const { return static_cast<double>(spent_micro_) / kMicro; }
double PrivacyBudget::remaining() const {
  return static_cast<double>(total_micro_ - spent_micro_) / kMicro;
}

std::optional<std::string> PrivacyBudget::refusal(double epsilon) const {
  if (!std::isfinite(epsilon) || epsilon <= 0) return "epsilon must be a positive number";
  const int64_t wanted = to_micro_rounded_up(epsilon);
  if (spent_micro_ + wanted > total_micro_) {
    char text[256];
    std::snprintf(text, sizeof text,
                  "the privacy budget of dataset \"%s\" is used up: epsilon %g asked, %g of %g "
                  "left (%g spent in %zu releases)",
                  dataset_.c_str(), epsilon, remaining(), total(), spent(), spends_.size());
    return std::string(text);
  }
  return std::nullopt;
}

void PrivacyBudget::spend(double epsilon, std::string purpose) {
  require_epsilon(epsilon);
  if (auto reason = refusal(epsilon)) throw Error(ErrorCode::conflict, *reason, "epsilon");
  const int64_t micro = to_micro_rounded_up(epsilon);
  spent_micro_ += micro;
  spends_.push_back({static_cast<double>(micro) / kMicro, std::move(purpose)});
}

nlohmann::json PrivacyBudget::to_json() const {
  nlohmann::json spends = nlohmann::json::array();
  for (const Spend& s : spends_) spends.push_back({{"epsilon", s.epsilon}, {"purpose", s.purpose}});
  return {{"dataset", dataset_},
          {"total_epsilon", total()},
          {"spent_epsilon", spent()},
          {"spends", std::move(spends)}};
}

PrivacyBudget PrivacyBudget::from_json(const nlohmann::json& json) {
  auto field = [&](const char* name) -> const nlohmann::json& {
    if (!json.is_object() || !json.contains(name)) {
      invalid(name, std::string("the privacy ledger has no \"") + name + "\"");
    }
    return json.at(name);
  };
  const auto& dataset = field("dataset");
  if (!dataset.is_string()) invalid("dataset", "dataset must be a string");
  const auto& total = field("total_epsilon");
  if (!total.is_number()) invalid("total_epsilon", "total_epsilon must be a number");
  PrivacyBudget budget(dataset.get<std::string>(), total.get<double>());
  const auto& spends = field("spends");
  if (!spends.is_array()) invalid("spends", "spends must be an array");
  for (const auto& s : spends) {
    if (!s.is_object() || !s.contains("epsilon") || !s.at("epsilon").is_number() ||
        !s.contains("purpose") || !s.at("purpose").is_string()) {
      invalid("spends", "each spend needs a number \"epsilon\" and a string \"purpose\"");
    }
    const double epsilon = s.at("epsilon").get<double>();
    require_epsilon(epsilon);
    if (budget.refusal(epsilon)) {
      invalid("spends", "the ledger's spends exceed its total_epsilon");
    }
    budget.spend(epsilon, s.at("purpose").get<std::string>());
  }
  if (json.contains("spent_epsilon") &&
      (!json.at("spent_epsilon").is_number() ||
       std::llround(json.at("spent_epsilon").get<double>() * kMicro) != budget.spent_micro_)) {
    invalid("spent_epsilon", "spent_epsilon does not equal the sum of the spends");
  }
  return budget;
}

nlohmann::json PrivateRelease::to_json() const {
  nlohmann::json cells = nlohmann::json::array();
  for (size_t r = 0; r < table.rows.size(); ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (size_t c = 0; c < table.columns.size(); ++c) row.push_back(table.count(r, c));
    cells.push_back(std::move(row));
  }
  return {{"mechanism", mechanism},     {"epsilon", epsilon},
          {"sensitivity", sensitivity}, {"scale", scale},
          {"dataset", dataset},         {"rows", table.rows},
          {"columns", table.columns},   {"cells", std::move(cells)},
          {"row_totals", row_totals},   {"column_totals", column_totals},
          {"grand_total", grand_total}};
}

PrivateRelease release_private(const CountTable& table, const PrivacyParameters& parameters,
                               PrivacyBudget& budget, const std::string& purpose,
                               RandomBits& bits) {
  validate(table);
  require_epsilon(parameters.epsilon);
  if (parameters.max_records_per_person < 1) {
    invalid("max_records_per_person", "max_records_per_person must be at least 1");
  }
  // The noise's rate s / t = epsilon / sensitivity, epsilon rounded down to millionths (never
  // above what the ledger charges, which rounds up).
  const auto s = static_cast<uint64_t>(std::floor(parameters.epsilon * kMicro + 1e-6));
  if (s == 0) invalid("epsilon", "epsilon must be at least 0.000001");
  const auto t = static_cast<uint64_t>(parameters.max_records_per_person) * 1'000'000u;
  budget.spend(parameters.epsilon, purpose);

  PrivateRelease release;
  release.table = table;
  release.epsilon = parameters.epsilon;
  release.sensitivity = parameters.max_records_per_person;
  release.scale = static_cast<double>(t) / static_cast<double>(s);
  release.dataset = budget.dataset();
  release.row_totals.assign(table.rows.size(), 0);
  release.column_totals.assign(table.columns.size(), 0);
  for (size_t r = 0; r < table.rows.size(); ++r) {
    for (size_t c = 0; c < table.columns.size(); ++c) {
      int64_t& cell = release.table.counts[r * table.columns.size() + c];
      cell = std::max<int64_t>(0, cell + sample_discrete_laplace(s, t, bits));
      release.row_totals[r] += cell;
      release.column_totals[c] += cell;
      release.grand_total += cell;
    }
  }
  return release;
}

}  // namespace ctip::flows::stats
