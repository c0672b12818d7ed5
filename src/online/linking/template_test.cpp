#include "online/linking/template.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "online/linking/testing/stand_in_features.h"
#include "online/linking/testing/synthetic_ads.h"

namespace ctip::online::linking {
namespace {

using testing::stand_in_tokens;

struct Ads {
  std::vector<std::vector<std::string>> tokens;
  std::vector<std::string> cities;
  std::vector<TemplateAd> view() const {
    std::vector<TemplateAd> out;
    for (size_t i = 0; i < tokens.size(); ++i) out.push_back({tokens[i], cities[i]});
    return out;
  }
};

TEST(ClusterTemplate, FindsTheSlots) {
  const char* names[] = {"anna", "bella", "cora", "dina", "ella", "fay"};
  const char* ages[] = {"21", "23", "25", "22", "24", "26"};
  const char* cities[] = {"boston", "denver", "austin", "miami", "tulsa", "reno"};
  Ads ads;
  for (int i = 0; i < 6; ++i) {
    ads.tokens.push_back(stand_in_tokens(std::string("hi gentlemen my name is ") + names[i] +
                                         " i am " + ages[i] + " years old just arrived in " +
                                         cities[i] + " call me for a good time"));
    ads.cities.emplace_back(cities[i]);
  }
  const auto t = build_template(ads.view());
  EXPECT_EQ(t.text(),
            "hi gentlemen my name is {1:text} i am {2:age} years old just arrived in {3:city} "
            "call me for a good time");
  ASSERT_EQ(t.slots, 3u);
  ASSERT_EQ(t.fills.size(), 6u);
  EXPECT_EQ(t.fills[1].values, (std::vector<std::string>{"bella", "23", "denver"}));
  EXPECT_EQ(t.fills[1].missing_tokens, 0);
  EXPECT_TRUE(t.compresses);
  EXPECT_LT(t.description_bits, t.raw_bits);
}

// A word most ads share stays literal; a word only one ad has becomes a slot for that ad only;
// the description-length choice drops a token that half the ads lack when that is cheaper.
TEST(ClusterTemplate, EditsBecomeSlotsOrMissingTokens) {
  Ads ads;
  const std::vector<std::string> texts{
      "sweet and sexy new in town available now call 5550101",
      "sweet and sexy new in town available now call 5550101",
      "sweet and very sexy new in town available now call 5550101",
      "sweet and sexy new in town available now call 5550101",
      "sweet sexy new in town available now call 5550101",
  };
  for (const auto& s : texts) {
    ads.tokens.push_back(stand_in_tokens(s));
    ads.cities.emplace_back("");
  }
  const auto t = build_template(ads.view());
  EXPECT_EQ(t.text(), "sweet and {1:text} sexy new in town available now call 5550101");
  EXPECT_EQ(t.fills[2].values[0], "very");
  EXPECT_EQ(t.fills[0].values[0], "");
  EXPECT_EQ(t.fills[4].missing_tokens, 1);  // lacks "and"
}

// Variants of one 40-word text with a name, an age and a city slot and two random edits each:
// the template keeps the shared words, and the slots hold the varying values.
TEST(ClusterTemplate, FindsTheSlotsOfEditedVariants) {
  testing::SyntheticText gen(17);
  const auto base = gen.words(40);
  Ads ads;
  for (int i = 0; i < 30; ++i) {
    ads.tokens.push_back(gen.variant(base, {4, 12, 25}, 2));
    std::string city;
    for (const auto& token : ads.tokens.back())
      for (const char* c : {"boston", "denver", "austin", "miami", "tulsa", "reno"})
        if (token == c) city = token;
    ads.cities.push_back(city);
  }
  const auto t = build_template(ads.view());
  EXPECT_TRUE(t.compresses);
  size_t literal = 0;
  for (const auto& part : t.parts) literal += !part.slot;
  EXPECT_GE(literal, 34u);  // 37 shared words; edits may cost a few
  EXPECT_LE(literal, 37u);
  // The slots where the name, the age and the city go.
  std::vector<SlotKind> kinds;
  for (const auto& part : t.parts)
    if (part.slot) kinds.push_back(part.kind);
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), SlotKind::city), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), SlotKind::number), kinds.end());
  // An ad's own values are in its fill: its name (one of the generator's eight) is in a slot.
  const std::vector<std::string> names{"anna", "bella", "cora", "dina",
                                       "ella", "fay",   "gina", "hana"};
  size_t with_name = 0, name_in_slot = 0;
  for (size_t a = 0; a < ads.tokens.size(); ++a) {
    for (const auto& token : ads.tokens[a]) {
      if (std::find(names.begin(), names.end(), token) == names.end()) continue;
      ++with_name;
      for (const auto& v : t.fills[a].values)
        if (v.find(token) != std::string::npos) {
          ++name_in_slot;
          break;
        }
      break;
    }
  }
  EXPECT_GE(with_name, 25u);
  EXPECT_GE(name_in_slot, with_name * 9 / 10);
}

TEST(ClusterTemplate, UnrelatedAdsDoNotCompress) {
  Ads ads;
  ads.tokens.push_back(stand_in_tokens("alpha beta gamma delta epsilon zeta"));
  ads.tokens.push_back(stand_in_tokens("one two three four five six seven"));
  ads.tokens.push_back(stand_in_tokens("red green blue cyan magenta yellow"));
  ads.cities.assign(3, "");
  const auto t = build_template(ads.view());
  EXPECT_FALSE(t.compresses);
  EXPECT_TRUE(build_template({}).parts.empty());
}

TEST(ClusterTemplate, Deterministic) {
  Ads ads;
  for (int i = 0; i < 20; ++i) {
    ads.tokens.push_back(stand_in_tokens("visit " + std::to_string(i) + " the best spa in town " +
                                         (i % 3 ? "open late" : "open early") + " ask for " +
                                         std::to_string(i * 7)));
    ads.cities.emplace_back("");
  }
  const auto a = build_template(ads.view()), b = build_template(ads.view());
  EXPECT_EQ(a.text(), b.text());
  // "late" (in two thirds of the ads) stays literal; the others lack it and put "early" in the
  // slot after it.
  EXPECT_EQ(a.text(),
            "visit {1:number} the best spa in town open late {2:text} ask for {3:number}");
  EXPECT_EQ(a.fills[0].values[1], "early");
  EXPECT_EQ(a.fills[0].missing_tokens, 1);
  EXPECT_EQ(a.fills[1].values[1], "");
}

}  // namespace
}  // namespace ctip::online::linking
