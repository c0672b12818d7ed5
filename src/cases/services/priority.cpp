#include "cases/services/priority.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/embedded.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"

namespace ctip::embedded {
const std::vector<File>& investigation_priorities();  // data/investigations/*.json
}  // namespace ctip::embedded

namespace ctip::cases::services {
namespace {

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

double input_of(const PriorityItem& item, const std::string& input, double fallback) {
  auto it = item.inputs.find(input);
  return it == item.inputs.end() ? fallback : it->second;
}

}  // namespace

PriorityModel parse_priority_model(std::string_view text) {
  Json doc = parse_json(text, "priority model");
  if (!doc.is_object()) invalid("priority model", "the model is a JSON object");
  PriorityModel m;
  if (!doc.contains("version") || !doc["version"].is_string() ||
      doc["version"].get<std::string>().empty())
    invalid("version", "the model needs a version string");
  m.version = doc["version"].get<std::string>();
  if (!doc.contains("criteria") || !doc["criteria"].is_array() || doc["criteria"].empty())
    invalid("criteria", "the model needs a non-empty list of criteria");
  for (size_t i = 0; i < doc["criteria"].size(); ++i) {
    const auto& c = doc["criteria"][i];
    std::string at = "criteria[" + std::to_string(i) + "]";
    if (!c.is_object()) invalid(at, "a criterion is an object");
    PriorityCriterion pc;
    auto str = [&](const char* key) -> std::string {
      if (!c.contains(key) || !c[key].is_string()) invalid(at + "." + key, "a string is needed");
      return c[key].get<std::string>();
    };
    auto num = [&](const char* key) -> double {
      if (!c.contains(key) || !c[key].is_number()) invalid(at + "." + key, "a number is needed");
      return c[key].get<double>();
    };
    pc.input = str("input");
    if (std::ranges::find(kPriorityInputs, pc.input) == kPriorityInputs.end())
      invalid(at + ".input", "'" + pc.input + "' is not one of " + core::joined(kPriorityInputs));
    pc.label = str("label");
    pc.kind = str("kind");
    if (pc.kind != "flag" && pc.kind != "count" && pc.kind != "scale")
      invalid(at + ".kind", "kind is flag, count or scale");
    pc.weight = num("weight");
    if (pc.weight < 0) invalid(at + ".weight", "a weight cannot be negative");
    pc.max = num("max");
    if (pc.max <= 0) invalid(at + ".max", "max must be above 0");
    if (pc.kind == "flag" && pc.max != 1) invalid(at + ".max", "a flag's max is 1");
    for (const auto& other : m.criteria)
      if (other.input == pc.input) invalid(at + ".input", "'" + pc.input + "' is given twice");
    m.criteria.push_back(std::move(pc));
  }
  return m;
}

const std::map<std::string, PriorityModel>& builtin_priority_models() {
  static const std::map<std::string, PriorityModel> models = [] {
    std::map<std::string, PriorityModel> out;
    for (const auto& f : embedded::investigation_priorities()) {
      auto m = parse_priority_model(f.contents);
      out.emplace(m.version, std::move(m));
    }
    return out;
  }();
  return models;
}

const PriorityModel& builtin_priority_model() {
  const auto& all = builtin_priority_models();
  if (all.empty()) throw Error(ErrorCode::internal, "no investigation priority model is built in");
  return all.rbegin()->second;
}

std::vector<RankedItem> rank_items(std::span<const PriorityItem> items, const PriorityModel& m) {
  std::vector<RankedItem> out;
  out.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    RankedItem r;
    r.index = i;
    for (const auto& c : m.criteria) {
      Contribution k;
      k.input = c.input;
      k.label = c.label;
      auto it = items[i].inputs.find(c.input);
      if (it == items[i].inputs.end()) {
        k.text = c.label + ": not recorded (+0)";
      } else {
        double v = std::clamp(it->second, 0.0, c.max);
        if (c.kind == "flag") v = v > 0 ? 1 : 0;
        k.value = v;
        k.points = c.weight * v;
        std::string shown = c.kind == "flag" ? (v > 0 ? "yes" : "no") : number_text(it->second);
        if (c.kind != "flag" && it->second != v) shown += ", counted as " + number_text(v);
        k.text = c.label + ": " + shown + " (+" + number_text(k.points) + ")";
      }
      r.score += k.points;
      r.contributions.push_back(std::move(k));
    }
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [&](const RankedItem& a, const RankedItem& b) {
    if (a.score != b.score) return a.score > b.score;
    double va = input_of(items[a.index], "victims", 0), vb = input_of(items[b.index], "victims", 0);
    if (va != vb) return va > vb;
    if (items[a.index].kind != items[b.index].kind)
      return items[a.index].kind < items[b.index].kind;
    return items[a.index].id < items[b.index].id;
  });
  for (size_t i = 0; i < out.size(); ++i) out[i].rank = static_cast<int>(i + 1);
  return out;
}

}  // namespace ctip::cases::services
