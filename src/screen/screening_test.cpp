// The public surface: strict input, evaluation through the catalogue, the JSON contract.
#include "screen/screening.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ctip::screen {
namespace {

std::string field_of(const std::string& body) {
  try {
    auto in = parse_evaluation_input(parse_json(body));
    (void)evaluate(in);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << e.what();
    return e.field();
  }
  return "(accepted)";
}

TEST(Input, RefusesBadInputNamingTheField) {
  const std::string ok = R"("profile":"adult_labour","may_be_minor":false)";
  EXPECT_EQ(field_of(R"({)" + ok + R"(,"age":30,"answers":{},"extra":1})"), "extra");
  EXPECT_EQ(field_of(R"({"profile":"adult_fishing","age":30,"answers":{}})"), "profile");
  EXPECT_EQ(field_of(R"({)" + ok + R"(,"age":30,"answers":{"dr_foo":"yes"}})"), "answers.dr_foo");
  // An indicator of another profile.
  EXPECT_EQ(
      field_of(
          R"({"profile":"adult_sexual","age":30,"answers":{"ex_child_in_commercial_sex":"yes"}})"),
      "answers.ex_child_in_commercial_sex");
  EXPECT_EQ(field_of(R"({)" + ok + R"(,"age":30,"answers":{"dr_deceived_wages":"maybe"}})"),
            "answers.dr_deceived_wages");
  EXPECT_EQ(field_of(R"({)" + ok + R"(,"age":30,"answers":{"dr_deceived_wages":true}})"),
            "answers.dr_deceived_wages");
  for (auto age : {"-1", "121", "17.5", "\"old\"", "\"\"", "true", "null", "[18]"})
    EXPECT_EQ(field_of(R"({)" + ok + R"(,"age":)" + age + R"(,"answers":{}})"), "age") << age;
  EXPECT_EQ(field_of(R"({)" + ok + R"(,"answers":{}})"), "age");
  EXPECT_EQ(field_of(R"({"profile":"adult_labour","age":"unknown","answers":{}})"), "may_be_minor");
  EXPECT_EQ(field_of(R"({)" + ok + R"(,"age":30})"), "answers");
  EXPECT_EQ(field_of(R"({)" + ok + R"(,"age":30,"answers":[]})"), "answers");
  EXPECT_EQ(field_of(R"({)" + ok + R"(,"age":30,"answers":{},"lang":"de"})"), "lang");
  EXPECT_EQ(field_of(R"({)" + ok + R"(,"age":30,"answers":{},"rule_version":"x-v9"})"),
            "rule_version");
  // A child profile for an adult (not possibly a minor) is refused, naming age.
  EXPECT_EQ(field_of(R"({"profile":"child_labour","age":19,"may_be_minor":false,"answers":{}})"),
            "age");
  EXPECT_EQ(field_of(R"({"profile":"child_labour","age":19,"may_be_minor":true,"answers":{}})"),
            "(accepted)");
  EXPECT_EQ(field_of(R"({"profile":"adult_labour","age":0,"answers":{}})"), "(accepted)");
  EXPECT_EQ(field_of(R"({"profile":"adult_labour","age":120,"answers":{}})"), "(accepted)");
}

// Issue #7: an age nested 55,000 deep crashed the server (the message serialised it) and 1e400
// answered 500. Refused while parsing, naming the field; a nested age within the depth limit is
// quoted flat ("an array"), never serialised.
TEST(Input, HostileAgesAreRefusedNamingAgeWithAShortMessage) {
  const std::string ok = R"("profile":"adult_labour","may_be_minor":false,"answers":{})";
  for (size_t depth : {size_t{60}, size_t{55000}}) {
    std::string age = std::string(depth, '[') + std::string(depth, ']');
    try {
      (void)parse_evaluation_input(parse_json("{" + ok + R"(,"age":)" + age + "}"));
      FAIL() << depth;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
      EXPECT_EQ(e.field(), "age");
      EXPECT_LT(std::string(e.what()).size(), 200u) << e.what();
    }
  }
  EXPECT_EQ(field_of("{" + ok + R"(,"age":1e400})"), "age");
  EXPECT_EQ(field_of("{" + ok + R"(,"age":-1e400})"), "age");
  EXPECT_EQ(field_of("{" + ok + R"(,"age":99999999999999999999999})"), "age");
  EXPECT_EQ(field_of("{" + ok + R"(,"age":18446744073709551615})"), "age");
  EXPECT_EQ(field_of("{" + ok + R"(,"age":30,"age":31})"), "age");
  EXPECT_EQ(field_of("{" + ok + R"(,"age":")" + std::string(100000, 'x') + "\"}"), "age");
}

Json evaluate_json(const std::string& body) {
  return to_json(evaluate(parse_evaluation_input(parse_json(body))));
}

TEST(Evaluate, ResultCarriesTheContractFields) {
  auto j = evaluate_json(R"({"profile":"adult_labour","age":34,"may_be_minor":false,"answers":{
      "ex_excessive_hours":"yes","ex_low_or_no_pay":"yes",
      "cd_confiscation_of_documents":"yes","cd_threat_violence_victim":"yes",
      "dr_deceived_nature_of_job":"unknown"}})");
  for (auto key :
       {"outcome", "could_become", "rules_applied", "dimensions", "ask_next", "instrument_version",
        "rule_version", "explanation", "groups", "unexplored_dimensions", "next_step"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["outcome"], "possible_trafficking");
  EXPECT_EQ(j["could_become"], "presumed_trafficking");
  EXPECT_EQ(j["instrument_version"], "adult_labour@1.1.0");
  EXPECT_EQ(j["rule_version"], "ilo2009-v2");
  EXPECT_EQ(j["rules_applied"]["rule_set"], "ilo2009-v2");
  EXPECT_EQ(j["action"], "refer_now");
  EXPECT_EQ(j["action_reasons"][0]["id"], "possible_trafficking");
  EXPECT_EQ(j["rules_applied"]["combination"], "adult");
  EXPECT_EQ(j["explanation"]["clause"], "adult_two_of_r_e_d");
  ASSERT_EQ(j["dimensions"].size(), 6u);
  const auto& ex = j["dimensions"][3];
  EXPECT_EQ(ex["id"], "exploitation");
  EXPECT_EQ(ex["positive"], true);
  EXPECT_EQ(ex["clause"], "strong_and_other");
  EXPECT_EQ(ex["met_indicators"].size(), 2u);
  EXPECT_EQ(ex["title"], "Exploitation");
  EXPECT_FALSE(j["ask_next"].empty());
  // Safety questions first (violence at recruitment), then the rest of recruitment.
  EXPECT_EQ(j["ask_next"][0]["id"], "cr_violence_on_victim");
  EXPECT_EQ(j["ask_next"][0]["safety"], true);
  bool deception = false;
  for (const auto& a : j["ask_next"]) deception |= a["id"] == "dr_deceived_nature_of_job";
  EXPECT_TRUE(deception);
  EXPECT_FALSE(j["ask_next"][0]["text"].get<std::string>().empty());
  EXPECT_EQ(j["next_step"]["action"], "ask_next");
}

TEST(Evaluate, QuestionTextsFollowTheLanguage) {
  auto j = evaluate_json(R"({"profile":"adult_labour","age":34,"answers":{},"lang":"ar"})");
  EXPECT_EQ(j["lang"], "ar");
  EXPECT_EQ(j["dimensions"][0]["title"], "التجنيد بالخداع");
}

TEST(Evaluate, AgeBuiltInCodeIsReadLikeAParsedAge) {
  // nlohmann::json holds a parsed 34 as unsigned and a 34 built in code as signed.
  Json built = {{"profile", "adult_labour"}, {"age", 34}, {"answers", Json::object()}};
  EXPECT_EQ(parse_evaluation_input(built).age.years, 34);
  built["age"] = -1;
  EXPECT_THROW(parse_evaluation_input(built), Error);
  built["age"] = 121;
  EXPECT_THROW(parse_evaluation_input(built), Error);
}

TEST(Evaluate, UnknownAgeMayBeMinorAppliesTheChildRuleToAnAdultProfile) {
  auto j = evaluate_json(R"({"profile":"adult_labour","age":"unknown","may_be_minor":true,
      "answers":{"ex_excessive_hours":"yes","ex_hazardous_work":"yes"}})");
  EXPECT_EQ(j["rules_applied"]["combination"], "child");
  EXPECT_EQ(j["rules_applied"]["age"], "unknown");
  EXPECT_EQ(j["outcome"], "possible_trafficking");  // an adult would be exploitation_only
}

TEST(Screener, RoutesByAgeAndContext) {
  auto route = [](const std::string& body) {
    return parse_evaluation_input(parse_json(body)).profile;
  };
  EXPECT_EQ(route(R"({"profile":"screener","age":30,"answers":{}})"), "adult_labour");
  EXPECT_EQ(route(R"({"profile":"screener","age":30,"answers":{"s_sexual":"yes"}})"),
            "adult_sexual");
  EXPECT_EQ(route(R"({"profile":"screener","age":30,"answers":{"s_illegal_activities":"yes"}})"),
            "adult_criminality");
  EXPECT_EQ(route(R"({"profile":"screener","age":15,"answers":{"s_sexual":"yes"}})"),
            "child_sexual");
  EXPECT_EQ(route(R"({"profile":"screener","age":"unknown","may_be_minor":true,
                      "answers":{"s_illegal_activities":"yes"}})"),
            "child_labour");
}

TEST(Screener, MapsAnswersAndNamesTheNextInterview) {
  auto in = parse_evaluation_input(parse_json(R"({"profile":"screener","age":28,"answers":{
      "s_job_different":"yes","s_pay_less_than_promised":"yes","s_long_hours":"yes",
      "s_little_or_no_pay":"yes","s_documents_kept":"yes","s_not_free_to_leave":"yes",
      "s_sexual":"yes","s_illegal_activities":"yes","s_hurt":"no","s_debt":"unknown"}})"));
  EXPECT_EQ(in.profile, "adult_sexual");
  ASSERT_TRUE(in.screener.has_value());
  EXPECT_EQ(in.screener->also_consider, std::vector<std::string>{"adult_criminality"});
  EXPECT_EQ(in.answers.at("dr_deceived_nature_of_job"), Answer::yes);
  EXPECT_EQ(in.answers.at("cd_violence_on_victim"), Answer::no);
  EXPECT_EQ(in.answers.count("cd_debt_bondage"), 0u);
  auto j = to_json(evaluate(in));
  // R (deception: 1 strong + 1 medium) and D (documents and confinement, 2 strong) are positive;
  // E has only medium indicators in the adult sexual list (hours, pay): 2 medium, not positive.
  EXPECT_EQ(j["outcome"], "possible_trafficking");
  EXPECT_EQ(j["screener"]["profile_routed"], true);
  EXPECT_EQ(j["next_step"]["action"], "full_interview");
  EXPECT_EQ(j["next_step"]["profile"], "adult_sexual");
  auto unexplored = j["unexplored_dimensions"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(unexplored.begin(), unexplored.end(), "recruitment_abuse_of_vulnerability"),
            unexplored.end());
}

TEST(Screener, AGivenProfileIsKeptAndIndicatorIdsAreRefused) {
  auto in = parse_screener_input(
      parse_json(R"({"profile":"adult_labour","age":40,"answers":{"s_sexual":"yes"}})"));
  EXPECT_EQ(in.profile, "adult_labour");
  EXPECT_FALSE(in.screener->profile_routed);
  EXPECT_EQ(in.screener->also_consider, std::vector<std::string>{"adult_sexual"});
  try {
    (void)parse_evaluation_input(
        parse_json(R"({"profile":"screener","age":40,"answers":{"dr_deceived_wages":"yes"}})"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "answers.dr_deceived_wages");
  }
}

TEST(Render, InstrumentForAForm) {
  auto j = instrument_json("child_sexual", "fr");
  EXPECT_EQ(j["profile"], "child_sexual");
  EXPECT_EQ(j["dir"], "ltr");
  ASSERT_EQ(j["dimensions"].size(), 6u);
  EXPECT_EQ(j["dimensions"][0]["title"], "Recrutement trompeur");
  EXPECT_FALSE(j["dimensions"][3]["indicators"][0]["text"].get<std::string>().empty());
  EXPECT_EQ(instrument_json("adult_labour", "ar")["dir"], "rtl");
  EXPECT_THROW((void)instrument_json("adult_labour", "de"), Error);
  EXPECT_THROW((void)instrument_json("nobody", "en"), Error);
}

TEST(Render, IndicatorListContract) {
  auto j = indicators_json("adult_labour", "es");
  ASSERT_EQ(j.size(), 67u);
  for (const auto& i : j)
    for (auto key : {"id", "dimension", "strength", "text"}) EXPECT_TRUE(i.contains(key)) << key;
  EXPECT_EQ(j[0]["id"], "dr_deceived_nature_of_job");
  EXPECT_EQ(j[0]["strength"], "strong");
}

TEST(Render, ProfilesAndScreener) {
  auto p = profiles_json();
  EXPECT_EQ(p["profiles"].size(), 5u);
  EXPECT_EQ(p["languages"].size(), 4u);
  EXPECT_EQ(p["profiles"][0]["id"], "adult_labour");
  auto s = screener_json("es");
  EXPECT_LE(s["questions"].size(), 20u);
  EXPECT_EQ(s["questions"][0]["id"], "s_job_different");
  EXPECT_TRUE(s["questions"][0]["marks"].contains("adult_criminality"));
}

TEST(Render, TextExplainsTheResult) {
  auto r = evaluate(parse_evaluation_input(parse_json(
      R"({"profile":"adult_labour","age":34,"answers":{"ex_excessive_hours":"yes","ex_wage_manipulation":"yes"}})")));
  auto t = to_text(r);
  EXPECT_NE(t.find("Outcome:      exploitation only"), std::string::npos) << t;
  EXPECT_NE(t.find("[+] E  exploitation"), std::string::npos) << t;
}

}  // namespace
}  // namespace ctip::screen
