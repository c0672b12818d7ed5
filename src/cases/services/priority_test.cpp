#include "cases/services/priority.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace ctip::cases::services {
namespace {

TEST(PriorityModel, TheShippedModelIsVersionedAndReadsEveryInput) {
  const auto& m = builtin_priority_model();
  EXPECT_EQ(m.version, "priority-v1");
  EXPECT_EQ(m.criteria.size(), kPriorityInputs.size());
}

TEST(PriorityModel, BadModelsAreRefusedNamingTheField) {
  auto field_of = [](const std::string& text) {
    try {
      parse_priority_model(text);
    } catch (const Error& e) {
      return e.field();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(field_of(R"({"criteria":[]})"), "version");
  EXPECT_EQ(field_of(R"({"version":"v","criteria":[]})"), "criteria");
  EXPECT_EQ(
      field_of(
          R"({"version":"v","criteria":[{"input":"age","label":"x","kind":"flag","weight":1,"max":1}]})"),
      "criteria[0].input");
  EXPECT_EQ(
      field_of(
          R"({"version":"v","criteria":[{"input":"violence","label":"x","kind":"flag","weight":-1,"max":1}]})"),
      "criteria[0].weight");
  EXPECT_EQ(
      field_of(
          R"({"version":"v","criteria":[{"input":"violence","label":"x","kind":"flag","weight":1,"max":2}]})"),
      "criteria[0].max");
  EXPECT_EQ(
      field_of(
          R"({"version":"v","criteria":[{"input":"violence","label":"x","kind":"flag","weight":1,"max":1},{"input":"violence","label":"y","kind":"flag","weight":1,"max":1}]})"),
      "criteria[1].input");
}

TEST(PriorityRanking, ChildrenAndOngoingExploitationComeFirstAndEachPointIsExplained) {
  const auto& m = builtin_priority_model();
  std::vector<PriorityItem> items = {
      {"case", 1, {{"victims", 8}, {"evidence_strength", 3}}},                           // 32 + 15
      {"case", 2, {{"children_involved", 1}, {"ongoing_exploitation", 1}}},              // 55
      {"investigation", 3, {{"network_risk", 0.5}, {"victims", 40}, {"violence", 1}}}};  // 10+40+20
  auto r = rank_items(items, m);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(items[r[0].index].id, 3);
  EXPECT_DOUBLE_EQ(r[0].score, 70);
  EXPECT_EQ(items[r[1].index].id, 2);
  EXPECT_DOUBLE_EQ(r[1].score, 55);
  EXPECT_EQ(items[r[2].index].id, 1);
  EXPECT_DOUBLE_EQ(r[2].score, 47);
  // Every criterion is listed, recorded or not, and the points add up to the score.
  for (const auto& ri : r) {
    ASSERT_EQ(ri.contributions.size(), m.criteria.size());
    double sum = 0;
    for (const auto& c : ri.contributions) sum += c.points;
    EXPECT_DOUBLE_EQ(sum, ri.score);
  }
  // The victims count above the cap says so.
  bool capped = false;
  for (const auto& c : r[0].contributions)
    if (c.input == "victims") capped = c.text.find("counted as 10") != std::string::npos;
  EXPECT_TRUE(capped);
  EXPECT_EQ(r[1].contributions[3].text, "Number of victims: not recorded (+0)");
}

TEST(PriorityRanking, AChangedWeightChangesTheOrder) {
  auto m = builtin_priority_model();
  std::vector<PriorityItem> items = {{"case", 1, {{"children_involved", 1}}},
                                     {"case", 2, {{"violence", 1}}}};
  EXPECT_EQ(items[rank_items(items, m)[0].index].id, 1);
  for (auto& c : m.criteria)
    if (c.input == "violence") c.weight = 100;
  EXPECT_EQ(items[rank_items(items, m)[0].index].id, 2);
}

}  // namespace
}  // namespace ctip::cases::services
