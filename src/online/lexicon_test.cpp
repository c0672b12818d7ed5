#include "online/lexicon.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"

namespace ctip::online {
namespace {

std::vector<std::string> matched_ids(const Lexicon& lex, std::string_view text) {
  auto p = lex.match(normalize(text));
  std::vector<std::string> out;
  for (uint16_t i : p.indicators) out.push_back(lex.indicators()[i].id);
  return out;
}

bool has(const std::vector<std::string>& v, std::string_view id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

TEST(Lexicon, TheBuiltinLexiconIsValidAndCoversEnglishAndSpanish) {
  const Lexicon& lex = Lexicon::builtin();
  EXPECT_FALSE(lex.version().empty());
  EXPECT_GE(lex.indicators().size(), 40u);
  std::set<std::string> languages, categories;
  for (const auto& i : lex.indicators())
    languages.insert(i.language), categories.insert(i.category);
  EXPECT_TRUE(languages.count("en") && languages.count("es"));
  for (const char* c : {"movement", "youth", "third_person", "multiple_people",
                        "restricted_freedom", "availability"})
    EXPECT_TRUE(categories.count(c)) << c;
}

TEST(Lexicon, MatchesInOnePassWithOffsetsIntoTheOriginal) {
  const Lexicon& lex = Lexicon::builtin();
  std::string text = "Hi! I'm NEW IN TOWN, just   arrived 🌹 available 24/7. Ask for Bella";
  auto n = normalize(text);
  auto p = lex.match(n);
  std::vector<std::string> ids;
  for (uint16_t i : p.indicators) ids.push_back(lex.indicators()[i].id);
  EXPECT_TRUE(has(ids, "en.movement.new_in_town"));
  EXPECT_TRUE(has(ids, "en.movement.just_arrived"));
  EXPECT_TRUE(has(ids, "en.availability.24_7"));
  EXPECT_TRUE(has(ids, "en.third.ask_for"));
  EXPECT_TRUE(has(ids, "und.emoji.rose"));
  double sum = 0;
  for (uint16_t i : p.indicators) sum += lex.indicators()[i].weight;
  EXPECT_DOUBLE_EQ(p.score, sum);
  int town = lex.find("en.movement.new_in_town");
  auto hit = std::find_if(p.hits.begin(), p.hits.end(),
                          [&](const IndicatorHit& h) { return h.indicator == town; });
  ASSERT_NE(hit, p.hits.end());
  EXPECT_EQ(text.substr(hit->begin, hit->end - hit->begin), "NEW IN TOWN");
  int rose = lex.find("und.emoji.rose");
  hit = std::find_if(p.hits.begin(), p.hits.end(),
                     [&](const IndicatorHit& h) { return h.indicator == rose; });
  ASSERT_NE(hit, p.hits.end());
  EXPECT_EQ(text.substr(hit->begin, hit->end - hit->begin), "🌹");
}

TEST(Lexicon, AnIndicatorCountsOncePerAdAndWordBoundariesHold) {
  const Lexicon& lex = Lexicon::builtin();
  auto once = lex.match(normalize("new in town"));
  auto twice = lex.match(normalize("new in town. NEW IN TOWN!"));
  EXPECT_DOUBLE_EQ(once.score, twice.score);
  EXPECT_EQ(twice.hits.size(), 2u);
  EXPECT_FALSE(has(matched_ids(lex, "renew in townhouse"), "en.movement.new_in_town"));
  EXPECT_TRUE(has(matched_ids(lex, "new-in-town"), "en.movement.new_in_town"));
}

TEST(Lexicon, SpanishAccentsAndCaseAreNormalised) {
  const Lexicon& lex = Lexicon::builtin();
  auto ids = matched_ids(lex, "RECIÉN LLEGADA, nueva en la ciudad, tenemos varias chicas 24 horas");
  EXPECT_TRUE(has(ids, "es.movement.recien_llegada"));
  EXPECT_TRUE(has(ids, "es.movement.nueva_en_la_ciudad"));
  EXPECT_TRUE(has(ids, "es.multi.varias_chicas"));
  EXPECT_TRUE(has(ids, "es.availability.24_horas"));
}

TEST(Lexicon, AFirstPersonIndependentAdScoresLow) {
  const Lexicon& lex = Lexicon::builtin();
  auto indep = lex.match(normalize("Hi, I'm Anna. I work from my own apartment, by appointment."));
  auto organised = lex.match(normalize(
      "New girls every week! Our girls are young and just arrived, no english, 24/7 incall only"));
  EXPECT_LT(indep.score, 1.0);
  EXPECT_GT(organised.score, 8.0);
}

std::string doc_with(const std::string& entry) {
  return R"({"version":"t1","categories":{"movement":"m"},
             "sources":[{"id":"s1","citation":"A citation, 2020"}],
             "indicators":[{"id":"ok.one","kind":"phrase","pattern":"new in town","language":"en",
                            "weight":1,"category":"movement","source":"s1"})" +
         (entry.empty() ? "" : "," + entry) + "]}";
}

TEST(Lexicon, ValidationNamesTheBadEntry) {
  EXPECT_EQ(Lexicon::from_json(doc_with("")).indicators().size(), 1u);
  struct Case {
    std::string entry, field;
  };
  std::vector<Case> cases = {
      {R"({"id":"ok.one","kind":"phrase","pattern":"x","language":"en","weight":1,"category":"movement","source":"s1"})",
       "indicators[1].id"},
      {R"({"id":"b","kind":"word","pattern":"x","language":"en","weight":1,"category":"movement","source":"s1"})",
       "indicators[1].kind"},
      {R"({"id":"b","kind":"phrase","pattern":"x","language":"english","weight":1,"category":"movement","source":"s1"})",
       "indicators[1].language"},
      {R"({"id":"b","kind":"phrase","pattern":"x","language":"en","weight":0,"category":"movement","source":"s1"})",
       "indicators[1].weight"},
      {R"({"id":"b","kind":"phrase","pattern":"x","language":"en","weight":1,"category":"nope","source":"s1"})",
       "indicators[1].category"},
      {R"({"id":"b","kind":"phrase","pattern":"x","language":"en","weight":1,"category":"movement","source":"s9"})",
       "indicators[1].source"},
      {R"({"id":"b","kind":"phrase","pattern":"x","language":"en","weight":1,"category":"movement","source":"s1","extra":1})",
       "indicators[1].extra"},
      {R"({"id":"b","kind":"regex","pattern":"(unclosed","language":"en","weight":1,"category":"movement","source":"s1"})",
       "indicators[1].pattern"},
      {R"({"id":"b","kind":"phrase","pattern":"   ","language":"en","weight":1,"category":"movement","source":"s1"})",
       "indicators[1].pattern"},
  };
  for (const auto& c : cases) {
    try {
      Lexicon::from_json(doc_with(c.entry));
      ADD_FAILURE() << c.field;
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), c.field) << e.what();
      EXPECT_NE(std::string(e.what()).find("indicators[1]"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(Lexicon::from_json("{}"), Error);
  EXPECT_THROW(Lexicon::from_json("[1]"), Error);
}

TEST(Lexicon, ScratchIsReusable) {
  const Lexicon& lex = Lexicon::builtin();
  auto scratch = lex.make_scratch();
  for (int i = 0; i < 3; ++i)
    EXPECT_FALSE(lex.match(normalize("just arrived"), scratch).hits.empty());
  EXPECT_TRUE(lex.match(normalize(""), scratch).hits.empty());
}

}  // namespace
}  // namespace ctip::online
