#include "online/linking/evaluation.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/error.h"

namespace ctip::online::linking {
namespace {

uint64_t pairs(uint64_t n) { return n * (n - 1) / 2; }

// Sum over the distinct values of `labels` (ignoring -1) of C(count, 2).
template <typename T>
uint64_t pairs_within(std::vector<T>& labels) {
  std::sort(labels.begin(), labels.end());
  uint64_t total = 0;
  for (size_t i = 0; i < labels.size();) {
    size_t j = i;
    while (j < labels.size() && labels[j] == labels[i]) ++j;
    total += pairs(j - i);
    i = j;
  }
  return total;
}

}  // namespace

PairwiseScores pairwise_scores(std::span<const int64_t> predicted, std::span<const int64_t> truth) {
  if (predicted.size() != truth.size())
    invalid("truth", "the prediction and the truth must label the same ads");
  std::vector<int64_t> p, t;
  std::vector<std::pair<int64_t, int64_t>> both;
  for (size_t i = 0; i < predicted.size(); ++i) {
    if (predicted[i] >= 0) p.push_back(predicted[i]);
    if (truth[i] >= 0) t.push_back(truth[i]);
    if (predicted[i] >= 0 && truth[i] >= 0) both.emplace_back(predicted[i], truth[i]);
  }
  PairwiseScores s;
  s.predicted_pairs = pairs_within(p);
  s.true_pairs = pairs_within(t);
  s.correct_pairs = pairs_within(both);
  if (s.predicted_pairs > 0)
    s.precision = static_cast<double>(s.correct_pairs) / static_cast<double>(s.predicted_pairs);
  if (s.true_pairs > 0)
    s.recall = static_cast<double>(s.correct_pairs) / static_cast<double>(s.true_pairs);
  s.f1 = s.precision + s.recall > 0 ? 2 * s.precision * s.recall / (s.precision + s.recall) : 0;
  return s;
}

double organised_false_positive_rate(std::span<const uint8_t> independent,
                                     std::span<const uint8_t> organised) {
  if (independent.size() != organised.size())
    invalid("organised", "one flag per ad is needed on both sides");
  size_t total = 0, wrong = 0;
  for (size_t i = 0; i < independent.size(); ++i) {
    if (!independent[i]) continue;
    ++total;
    wrong += organised[i];
  }
  return total == 0 ? 0 : static_cast<double>(wrong) / static_cast<double>(total);
}

}  // namespace ctip::online::linking
