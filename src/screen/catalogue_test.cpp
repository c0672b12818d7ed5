// The instrument files (data/instruments), validated in `make test`: every instrument loads,
// and the loader refuses files that break the invariants of README.md.
#include "screen/catalogue.h"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.h"
#include "core/json_input.h"

namespace ctip::screen {
namespace {

const Catalogue& cat() { return Catalogue::builtin(); }

TEST(Instruments, AllFiveProfilesLoadInOrder) {
  std::vector<std::string> ids;
  for (const auto& i : cat().instruments) ids.push_back(i.profile);
  EXPECT_EQ(ids, (std::vector<std::string>{"adult_labour", "adult_sexual", "child_labour",
                                           "child_sexual", "adult_criminality"}));
  EXPECT_EQ(cat().rule().version, "ilo2009-v2");
  EXPECT_EQ(cat().dimensions.size(), 6u);
}

TEST(Instruments, StructureIdsDimensionsAndTranslations) {
  for (const auto& in : cat().instruments) {
    SCOPED_TRACE(in.profile);
    EXPECT_FALSE(in.version.empty());
    EXPECT_FALSE(in.sources.empty());
    std::set<std::string> ids;
    std::map<std::string, int> per_dimension;
    for (const auto& i : in.indicators) {
      SCOPED_TRACE(i.id);
      EXPECT_TRUE(ids.insert(i.id).second) << "duplicate id";
      EXPECT_NE(std::find(kDimensions.begin(), kDimensions.end(), i.dimension), kDimensions.end());
      EXPECT_TRUE(parse_strength(to_string(i.strength)).has_value());
      EXPECT_FALSE(i.label.empty());
      ++per_dimension[i.dimension];
      EXPECT_EQ(i.question.size(), kLanguages.size());
      for (auto lang : kLanguages) {
        auto it = i.question.find(lang);
        ASSERT_NE(it, i.question.end()) << lang;
        EXPECT_GT(it->second.size(), 10u) << lang;
      }
      // Translations are not copies of the English text.
      EXPECT_NE(i.question.at("es"), i.question.at("en"));
      EXPECT_NE(i.question.at("fr"), i.question.at("en"));
      EXPECT_NE(i.question.at("ar"), i.question.at("en"));
    }
    for (auto d : kDimensions) EXPECT_GT(per_dimension[std::string(d)], 0) << d;
    for (auto lang : kLanguages) EXPECT_FALSE(text_in(in.title, lang).empty());
  }
}

TEST(Instruments, AdultLabourHasTheSixtySevenIndicatorsOfTheReference) {
  const auto* in = cat().find_instrument("adult_labour");
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->indicators.size(), 67u);
  std::map<std::string, int> n;
  std::map<std::string, std::map<Strength, int>> by_strength;
  for (const auto& i : in->indicators) {
    ++n[i.dimension];
    ++by_strength[i.dimension][i.strength];
  }
  EXPECT_EQ(n["deceptive_recruitment"], 10);
  EXPECT_EQ(n["coercive_recruitment"], 10);
  EXPECT_EQ(n["recruitment_abuse_of_vulnerability"], 16);
  EXPECT_EQ(n["exploitation"], 9);
  EXPECT_EQ(n["coercion_at_destination"], 15);
  EXPECT_EQ(n["abuse_of_vulnerability_at_destination"], 7);
  // Strong indicators as in the reference: 1, 1, 0, 1, 4, 0.
  EXPECT_EQ(by_strength["deceptive_recruitment"][Strength::strong], 1);
  EXPECT_EQ(by_strength["coercive_recruitment"][Strength::strong], 1);
  EXPECT_EQ(by_strength["recruitment_abuse_of_vulnerability"][Strength::strong], 0);
  EXPECT_EQ(by_strength["recruitment_abuse_of_vulnerability"][Strength::weak], 4);
  EXPECT_EQ(by_strength["exploitation"][Strength::strong], 1);
  EXPECT_EQ(by_strength["coercion_at_destination"][Strength::strong], 4);
  EXPECT_EQ(by_strength["coercion_at_destination"][Strength::weak], 1);
  EXPECT_EQ(by_strength["abuse_of_vulnerability_at_destination"][Strength::weak], 2);
  EXPECT_EQ(in->find("ex_excessive_hours")->strength, Strength::strong);
  EXPECT_EQ(in->find("cd_threat_inform_family")->strength, Strength::weak);
}

TEST(Instruments, ChildListsHaveNoWeakTierAndTheReportedDifferences) {
  for (auto p : {"child_labour", "child_sexual"}) {
    const auto* in = cat().find_instrument(p);
    ASSERT_NE(in, nullptr);
    EXPECT_EQ(in->population, Population::child);
    for (const auto& i : in->indicators) EXPECT_NE(i.strength, Strength::weak) << p << " " << i.id;
    EXPECT_EQ(in->find("dr_deceived_education")->strength, Strength::strong);
    EXPECT_EQ(in->find("cd_forced_tasks_or_clients")->strength, Strength::strong);
    EXPECT_EQ(in->find("cd_threat_inform_family")->strength, Strength::medium);
    EXPECT_EQ(in->find("rv_false_info_law_authorities"), nullptr);
    EXPECT_EQ(in->find("ex_no_social_protection"), nullptr);
  }
  EXPECT_EQ(cat().find_instrument("child_sexual")->find("ex_hazardous_work")->strength,
            Strength::strong);
}

TEST(Instruments, AdultSexualExploitationDimensionHasNoStrongIndicator) {
  const auto* in = cat().find_instrument("adult_sexual");
  for (const auto& i : in->indicators)
    if (i.dimension == "exploitation") {
      EXPECT_NE(i.strength, Strength::strong) << i.id;
    }
  EXPECT_EQ(in->find("cd_forced_tasks_or_clients")->strength, Strength::strong);
}

TEST(Instruments, UncertainStrengthsCarryANote) {
  // Where the reference marks a strength "(?)" the adult labour file says what was chosen.
  const auto* in = cat().find_instrument("adult_labour");
  for (auto id : {"rv_difficulties_in_past", "rv_difficulty_organising_travel",
                  "ex_bad_living_conditions", "ex_hazardous_work", "ex_low_or_no_pay"})
    EXPECT_NE(in->find(id)->note.find("(?)"), std::string::npos) << id;
}

TEST(Screener, AtMostTwentyQuestionsMappedOntoExistingIndicators) {
  const auto& s = cat().screener;
  EXPECT_LE(s.questions.size(), kMaxScreenerQuestions);
  EXPECT_GE(s.questions.size(), 8u);
  for (const auto& q : s.questions) {
    SCOPED_TRACE(q.id);
    for (auto lang : kLanguages) EXPECT_FALSE(text_in(q.text, lang).empty());
    for (const auto& in : cat().instruments) {
      auto it = q.marks.find(in.profile);
      ASSERT_NE(it, q.marks.end()) << in.profile;
      for (const auto& id : it->second) EXPECT_NE(in.find(id), nullptr) << in.profile << " " << id;
    }
  }
  // Every profile is reachable by the routing.
  std::set<std::string> routed;
  for (const auto& r : s.routing) routed.insert(r.profile);
  EXPECT_EQ(routed.size(), cat().instruments.size());
}

TEST(Rule, EveryClauseNeedsMoreThanWeakIndicators) {
  for (const auto& c : cat().rule().dimension_clauses) {
    bool beyond_weak = false;
    for (const auto& t : c.terms)
      beyond_weak |= std::find(t.of.begin(), t.of.end(), Strength::weak) == t.of.end();
    EXPECT_TRUE(beyond_weak) << c.id;
  }
  EXPECT_EQ(cat().rule().adult.back().when.kind, Condition::Kind::always);
  EXPECT_EQ(cat().rule().child.back().when.kind, Condition::Kind::always);
}

// ---- the loader refuses broken data

struct Files {
  std::vector<std::pair<std::string, std::string>> owned;
  Files() {
    owned.reserve(embedded::instruments().size() + 4);  // keeps pointers into it valid
    for (const auto& f : embedded::instruments())
      owned.emplace_back(std::string(f.path), std::string(f.contents));
  }
  Json& edit(const std::string& suffix) {
    for (auto& [path, text] : owned)
      if (path.ends_with(suffix)) {
        edits.emplace_back(&text, parse_json(text));
        return edits.back().second;
      }
    throw std::runtime_error("no file " + suffix);
  }
  // Loads with the edits applied; returns the error message ("" when it loads).
  std::string load() {
    for (auto& [text, j] : edits) *text = j.dump();
    std::vector<embedded::File> files;
    for (const auto& [path, text] : owned) files.push_back({path, text});
    try {
      (void)Catalogue::load(files);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::internal);
      return e.what();
    }
    return "";
  }
  std::deque<std::pair<std::string*, Json>> edits;
};

TEST(Loader, AcceptsTheShippedFiles) { EXPECT_EQ(Files().load(), ""); }

TEST(Loader, RefusesADuplicateIndicatorId) {
  Files f;
  auto& j = f.edit("adult_labour.json");
  j["indicators"][1]["id"] = j["indicators"][0]["id"];
  auto msg = f.load();
  EXPECT_NE(msg.find("duplicate indicator id"), std::string::npos) << msg;
  EXPECT_NE(msg.find("adult_labour.json"), std::string::npos) << msg;
}

TEST(Loader, RefusesAMissingOrEmptyTranslation) {
  Files f;
  f.edit("adult_sexual.json")["indicators"][3]["question"].erase("ar");
  EXPECT_NE(f.load().find("indicators[3].question.ar"), std::string::npos);
  Files g;
  g.edit("child_labour.json")["indicators"][0]["question"]["fr"] = "  ";
  EXPECT_NE(g.load().find("must not be empty"), std::string::npos);
}

TEST(Loader, RefusesAFeminineWordingThatIsTheDefaultOrInALanguageWithoutOne) {
  Files f;
  auto& ind = f.edit("adult_labour.json")["indicators"][0];
  ind["question_feminine"]["ar"] = ind["question"]["ar"];
  auto msg = f.load();
  EXPECT_NE(msg.find("indicators[0].question_feminine.ar"), std::string::npos) << msg;
  EXPECT_NE(msg.find("the same as the default"), std::string::npos) << msg;
  Files g;
  g.edit("adult_labour.json")["indicators"][0]["question_feminine"]["en"] = "Are you?";
  EXPECT_NE(g.load().find("indicators[0].question_feminine.en"), std::string::npos);
  Files h;
  h.edit("screener.json")["questions"][2]["text_child_feminine"] = Json::object();
  EXPECT_NE(h.load().find("questions[2].text_child_feminine"), std::string::npos);
}

TEST(Loader, RefusesAScreenerQuestionWithoutAChildWording) {
  Files f;
  f.edit("screener.json")["questions"][3].erase("text_child");
  auto msg = f.load();
  EXPECT_NE(msg.find("questions[3].text_child"), std::string::npos) << msg;
  Files g;
  g.edit("screener.json")["questions"][0]["text_child"].erase("es");
  EXPECT_NE(g.load().find("questions[0].text_child.es"), std::string::npos);
}

TEST(Loader, RefusesAnUnknownStrengthOrDimension) {
  Files f;
  f.edit("adult_labour.json")["indicators"][0]["strength"] = "very strong";
  EXPECT_NE(f.load().find("strength must be strong, medium or weak"), std::string::npos);
  Files g;
  g.edit("adult_labour.json")["indicators"][0]["dimension"] = "exploitation";
  EXPECT_NE(g.load().find("has the prefix of deceptive_recruitment"), std::string::npos);
}

TEST(Loader, RefusesAProfileWithoutADimension) {
  Files f;
  auto& inds = f.edit("adult_criminality.json")["indicators"];
  Json kept = Json::array();
  for (auto& i : inds)
    if (i["dimension"] != "abuse_of_vulnerability_at_destination") kept.push_back(i);
  inds = kept;
  EXPECT_NE(f.load().find("dimension 'abuse_of_vulnerability_at_destination' has no indicator"),
            std::string::npos);
}

TEST(Loader, RefusesAnUnknownFieldInAnInstrument) {
  Files f;
  f.edit("adult_labour.json")["indicators"][2]["weight"] = 3;
  EXPECT_NE(f.load().find("indicators[2].weight"), std::string::npos);
}

TEST(Loader, RefusesAScreenerMappingOntoAMissingIndicator) {
  Files f;
  f.edit("screener.json")["questions"][0]["marks"]["adult_labour"] = {"dr_no_such_thing"};
  EXPECT_NE(f.load().find("'dr_no_such_thing' is not an indicator of adult_labour"),
            std::string::npos);
}

TEST(Loader, RefusesAScreenerQuestionCountingTwiceInADimension) {
  Files f;
  f.edit("screener.json")["questions"][0]["marks"]["adult_labour"] = {"dr_deceived_nature_of_job",
                                                                      "dr_deceived_contract"};
  EXPECT_NE(f.load().find("marks two indicators of deceptive_recruitment"), std::string::npos);
}

TEST(Loader, RefusesMoreThanTwentyScreenerQuestions) {
  Files f;
  auto& qs = f.edit("screener.json")["questions"];
  while (qs.size() <= kMaxScreenerQuestions) {
    Json q = qs[0];
    q["id"] = "s_extra_" + std::to_string(qs.size());
    for (auto& [p, ids] : q["marks"].items()) ids = Json::array();
    qs.push_back(q);
  }
  EXPECT_NE(f.load().find("1 to 20 questions"), std::string::npos);
}

TEST(Loader, RefusesARuleThatWeakIndicatorsAloneCouldSatisfy) {
  Files f;
  f.edit("ilo2009-v1.json")["dimension_rule"]["clauses"].push_back(
      {{"id", "four_weak"},
       {"requires", {{{"of", {"weak"}}, {"at_least", 4}}}},
       {"text", "4 weak"}});
  EXPECT_NE(f.load().find("weak indicators alone would satisfy clause 'four_weak'"),
            std::string::npos);
}

TEST(Loader, RefusesACombinationWithoutAFinalAlwaysClause) {
  Files f;
  f.edit("ilo2009-v1.json")["combinations"]["child"].erase(2);
  EXPECT_NE(f.load().find("the last clause must be"), std::string::npos);
}

TEST(Loader, RefusesTwoCurrentRules) {
  Files f;
  auto copy = f.edit("ilo2009-v2.json");
  copy["version"] = "ilo2009-v9";
  f.owned.emplace_back("data/instruments/rules/ilo2009-v9.json", copy.dump());
  EXPECT_NE(f.load().find("exactly one decision rule must be current"), std::string::npos);
}

// ---- issue #8: action rules, decisive indicators, outcomes of rule v2

TEST(Loader, RefusesAnActionRuleNamingAnUnknownIndicator) {
  Files f;
  f.edit("actions-v1.json")["safety_indicators"].push_back("cd_no_such_thing");
  auto msg = f.load();
  EXPECT_NE(msg.find("unknown indicator 'cd_no_such_thing'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("safety_indicators[6]"), std::string::npos) << msg;
}

TEST(Loader, RefusesAnActionRuleWithAnUnknownReferralOrAWorkPermitForAChild) {
  Files f;
  f.edit("actions-v1.json")["referrals"]["refer_now"].push_back("astrology");
  EXPECT_NE(f.load().find("unknown referral kind 'astrology'"), std::string::npos);
  Files g;
  g.edit("actions-v1.json")["referrals"]["child"].push_back("residence_work_permit");
  EXPECT_NE(g.load().find("a child is not referred for a work permit"), std::string::npos);
  Files h;
  h.edit("actions-v1.json")["texts"].erase("all_no");
  EXPECT_NE(h.load().find("texts.all_no"), std::string::npos);
}

TEST(Loader, RefusesTwoCurrentActionRules) {
  Files f;
  auto copy = f.edit("actions-v1.json");
  copy["version"] = "actions-v2";
  f.owned.emplace_back("data/instruments/rules/actions-v2.json", copy.dump());
  EXPECT_NE(f.load().find("exactly one action rule must be current"), std::string::npos);
}

TEST(Loader, ADecisiveIndicatorIsForChildrenAndCitesItsSource) {
  Files f;
  f.edit("adult_labour.json")["indicators"][0]["decisive"] = true;
  EXPECT_NE(f.load().find("only a child instrument marks indicators decisive"), std::string::npos);
  Files g;
  auto& inds = g.edit("child_labour.json")["indicators"];
  for (auto& i : inds)
    if (i.value("decisive", false)) i.erase("note");
  EXPECT_NE(g.load().find("needs a note citing its legal source"), std::string::npos);
}

TEST(Loader, RefusesAnOutcomeOutOfOrderOrAClauseGivingAnUnlistedOutcome) {
  Files f;
  auto& outcomes = f.edit("ilo2009-v2.json")["outcomes"];
  std::swap(outcomes[0], outcomes[1]);
  EXPECT_NE(f.load().find("least serious first"), std::string::npos);
  Files g;
  auto& v1 = g.edit("ilo2009-v1.json");
  v1["combinations"]["adult"][2]["outcome"] = "coercion_only";
  EXPECT_NE(g.load().find("not a combination outcome of this rule"), std::string::npos);
}

TEST(Instruments, ChildPerSeIndicatorsAreDecisiveWithTheirLegalSource) {
  for (auto profile : {"child_labour", "child_sexual"}) {
    SCOPED_TRACE(profile);
    const auto* in = cat().find_instrument(profile);
    ASSERT_NE(in, nullptr);
    std::set<std::string> decisive;
    for (const auto& i : in->indicators)
      if (i.decisive) {
        decisive.insert(i.id);
        EXPECT_EQ(i.dimension, "exploitation") << i.id;
        EXPECT_NE(i.note.find("182"), std::string::npos) << i.id;
      }
    for (auto id : {"ex_child_illicit_activities", "ex_hazardous_work"})
      EXPECT_TRUE(decisive.count(id)) << id;
    // The missing child indicators of issue #8 item 3.
    for (auto id : {"cr_parent_or_guardian_paid", "vd_unaccompanied_or_separated",
                    "cd_false_age_on_documents"})
      EXPECT_NE(in->find(id), nullptr) << id;
    // Worded for a child: no "contract you signed", informal address in es and fr.
    for (const auto& i : in->indicators) {
      EXPECT_EQ(text_in(i.question, "en").find("contract you signed"), std::string::npos) << i.id;
      EXPECT_EQ(text_in(i.question, "es").find("usted"), std::string::npos) << i.id;
      for (auto formal : {"vous", "Vous", "votre", "Votre", "vos ", "Vos "})
        EXPECT_EQ(text_in(i.question, "fr").find(formal), std::string::npos) << i.id;
    }
  }
  const auto* labour = cat().find_instrument("child_labour");
  for (auto id : {"ex_child_in_commercial_sex", "ex_child_begging", "ex_child_armed_groups",
                  "ex_work_inappropriate_for_age"})
    EXPECT_NE(labour->find(id), nullptr) << id;
  EXPECT_TRUE(cat().find_instrument("child_sexual")->find("ex_child_in_commercial_sex")->decisive);
  for (const auto& in : cat().instruments) {
    if (in.population != Population::adult) continue;
    for (const auto& i : in.indicators) EXPECT_FALSE(i.decisive) << in.profile << " " << i.id;
  }
}

TEST(Instruments, AbuseOfVulnerabilityQuestionsAskWhetherTheSituationWasUsed) {
  // Issue #8 item 4: the recruiter or the employer used the situation; poverty alone is not it.
  const std::set<std::string> exempt = {
      "rv_false_info_law_authorities", "rv_false_info_migration",  // told false things
  };
  for (const auto& in : cat().instruments)
    for (const auto& i : in.indicators) {
      if (i.dimension != "recruitment_abuse_of_vulnerability" &&
          i.dimension != "abuse_of_vulnerability_at_destination")
        continue;
      if (exempt.count(i.id) || i.id == "vd_unaccompanied_or_separated") continue;
      const auto& q = text_in(i.question, "en");
      bool used =
          q.find(" use") != std::string::npos || q.find("take advantage") != std::string::npos;
      EXPECT_TRUE(used) << in.profile << " " << i.id << ": " << q;
    }
  for (const auto& in : cat().instruments) {
    const auto& wages = text_in(in.find("dr_deceived_wages")->question, "en");
    EXPECT_NE(wages.find("Before you left"), std::string::npos) << in.profile << ": " << wages;
  }
}

}  // namespace
}  // namespace ctip::screen
