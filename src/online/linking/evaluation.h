// Quality of a linking against ground truth (issue #10, "Benchmark"): pairwise precision,
// recall and F1 of predicted groups, and the false-positive rate of the organised ranking on
// independent posters. See README.md, "Evaluation".
#pragma once

#include <cstdint>
#include <span>

namespace ctip::online::linking {

// A pair of ads is predicted when both have the same predicted group, true when both have the
// same true group; a group label of -1 means "alone" (in no group). precision = correct /
// predicted pairs, recall = correct / true pairs (each 1 when its denominator is 0), F1 their
// harmonic mean.
struct PairwiseScores {
  uint64_t predicted_pairs = 0, true_pairs = 0, correct_pairs = 0;
  double precision = 1, recall = 1, f1 = 1;
};

// predicted and truth have one label per ad. Throws Error(invalid_argument) when their
// lengths differ.
PairwiseScores pairwise_scores(std::span<const int64_t> predicted, std::span<const int64_t> truth);

// The share of independent ads (independent[i] != 0) that sit in a network ranked as organised
// (organised[i]); 0 when there are no independent ads.
double organised_false_positive_rate(std::span<const uint8_t> independent,
                                     std::span<const uint8_t> organised);

}  // namespace ctip::online::linking
