// Investigation priorities (issue #11 item 5): the queue of cases and online networks that law
// enforcement works from, ranked by criteria that are data (data/investigations/priority-v*.json,
// compiled into the binary), each rank explained criterion by criterion. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::cases::services {

// The inputs a criterion may read (priority-v1.json "input").
inline constexpr std::array<std::string_view, 6> kPriorityInputs = {
    "children_involved", "ongoing_exploitation", "violence",
    "victims",           "evidence_strength",    "network_risk"};

struct PriorityCriterion {
  std::string input;  // of kPriorityInputs
  std::string label;
  std::string kind;  // flag | count | scale
  double weight = 0;
  double max = 1;  // the value is capped here
};

struct PriorityModel {
  std::string version;  // "priority-v1"
  std::vector<PriorityCriterion> criteria;
};

// Parses a model file; throws Error(invalid_argument) naming the field (unknown input, kind,
// negative weight, max <= 0, a flag with max other than 1, a criterion given twice).
PriorityModel parse_priority_model(std::string_view json_text);
// The newest model shipped in data/investigations/ (the highest version).
const PriorityModel& builtin_priority_model();
// Every shipped model by version.
const std::map<std::string, PriorityModel>& builtin_priority_models();

// One queue item: a case referred to law enforcement, or an investigation (of a case or of an
// online network). Inputs not known are absent and add nothing, which the explanation says.
struct PriorityItem {
  std::string kind;  // "case" or "investigation"
  int64_t id = 0;
  std::map<std::string, double> inputs;  // input -> value
};

struct Contribution {
  std::string input;
  std::string label;
  std::optional<double> value;  // absent: not recorded
  double points = 0;
  std::string text;  // "Children involved: yes (+30)"
};

struct RankedItem {
  size_t index = 0;
  int rank = 0;
  double score = 0;
  std::vector<Contribution> contributions;  // in the model's order
};

// Ranks by score (highest first), ties by more victims then the lower id. Values outside a
// criterion's range are capped (a count above max counts as max; negatives as 0).
std::vector<RankedItem> rank_items(std::span<const PriorityItem> items, const PriorityModel& model);

}  // namespace ctip::cases::services
