#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "audit/audit_log.h"
#include "auth/account_service.h"
#include "auth/testing.h"
#include "core/error.h"
#include "screen/catalogue.h"
#include "screen/coverage.h"
#include "screen/intake.h"
#include "screen/screening.h"
#include "screen/screening_repository.h"
#include "screen/screening_service.h"
#include "screen/stored_screening.h"
#include "store/testing.h"

namespace ctip::screen {
namespace {

TEST(Coverage, CountsDistinctPersonsPerMonthAndSource) {
  std::vector<EncounterRow> rows = {
      {"2026-01", "border", 1, "NG", "presumed_trafficking"},
      {"2026-01", "border", 2, "NL", "presumed_trafficking"},
      {"2026-01", "border", 3, "NL", std::nullopt},     // encountered, not screened
      {"2026-01", "border", 2, "NL", "no_indication"},  // same person again: most severe counts
      {"2026-01", "hotline", 4, std::nullopt, "exploitation_only"},
      {"2026-02", "border", 1, "NG", "possible_trafficking"},
  };
  auto cov = compute_coverage(rows, "NL");
  ASSERT_EQ(cov.cells.size(), 3u);
  const auto& jan_border = cov.cells[0];
  EXPECT_EQ(jan_border.month, "2026-01");
  EXPECT_EQ(jan_border.source, "border");
  EXPECT_EQ(jan_border.encountered, 3);
  EXPECT_EQ(jan_border.screened, 2);
  EXPECT_EQ(jan_border.presumed, 2);
  EXPECT_EQ(jan_border.presumed_own_national, 1);
  EXPECT_EQ(cov.cells[1].source, "hotline");
  EXPECT_EQ(cov.cells[1].exploitation_only, 1);
  EXPECT_EQ(cov.totals.encountered, 4);
  EXPECT_EQ(cov.totals.screened, 3);
  auto j = to_json(cov);
  EXPECT_DOUBLE_EQ(j["months"][0]["own_national_share"].get<double>(), 0.5);
  EXPECT_TRUE(j["months"][1]["own_national_share"].is_null());  // no presumed victims
}

TEST(Coverage, WithoutACountryNoOneIsOwnNational) {
  auto cov = compute_coverage({{"2026-01", "police", 1, "NL", "presumed_trafficking"}}, "");
  EXPECT_EQ(cov.totals.presumed, 1);
  EXPECT_EQ(cov.totals.presumed_own_national, 0);
}

TEST(Referrals, FollowTheEnginesResult) {
  auto result = [](const char* body) {
    return to_json(evaluate(parse_evaluation_input(parse_json(body))));
  };
  auto adult = recommended_referrals(result(
      R"({"profile":"adult_labour","age":30,"answers":{"cd_debt_bondage":"yes","cd_violence_on_victim":"yes"}})"));
  EXPECT_EQ(adult.size(), 5u);
  EXPECT_EQ(adult.front(), "shelter");
  auto child = recommended_referrals(
      result(R"({"profile":"child_labour","age":12,"answers":{"ex_child_begging":"yes"}})"));
  EXPECT_EQ(child.front(), "child_protection");
  EXPECT_EQ(std::find(child.begin(), child.end(), "residence_work_permit"), child.end());
  EXPECT_TRUE(
      recommended_referrals(result(R"({"profile":"adult_labour","age":30,"answers":{}})")).empty());
  EXPECT_TRUE(recommended_referrals(Json::object()).empty());
}

TEST(Intake, ParsingNamesTheField) {
  auto field_of = [](auto fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.field();
    }
    return std::string("no error");
  };
  EXPECT_EQ(field_of([] { parse_person(Json{{"reference", ""}}); }), "person.reference");
  EXPECT_EQ(field_of([] {
              parse_person(Json{{"reference", "P1"}, {"nationality", "XX"}});
            }),
            "person.nationality");
  EXPECT_EQ(field_of([] {
              parse_person(Json{{"reference", "P1"}, {"name", "A"}});
            }),
            "person.name");
  EXPECT_EQ(field_of([] {
              parse_encounter(Json{{"source", "airport"}}, "2026-01-01");
            }),
            "encounter.source");
  EXPECT_EQ(field_of([] {
              parse_encounter(Json{{"source", "border"}, {"date", "2026-02-30"}}, "2026-12-01");
            }),
            "encounter.date");
  EXPECT_EQ(field_of([] {
              parse_encounter(Json{{"source", "border"}, {"date", "2027-01-01"}}, "2026-12-01");
            }),
            "encounter.date");
  auto p = parse_person(Json{{"reference", "P1"}, {"nationality", "ng"}});
  EXPECT_EQ(p.nationality, "NG");
}

// The service: each use case stores its records and its audit entry together, and the CLI's
// operator and the API's user run the same code.
TEST(ScreeningService, ScreeningOpensACaseRecommendsReferralsAndAuditsEachStep) {
  store::testing::TestDatabase db;
  {
    auto store = db.open();
    audit::DirectoryTrustStore trust(db.dir());
    audit::AuditLog log(*store, trust);
    auto op = auth::Actor::operator_named("cli");
    auto u = auth::testing::create_user(
        *store, log, op, {"scr", "long-enough-pass", "Org", "service_provider", "screener"});
    auto other = auth::testing::create_user(
        *store, log, op, {"oth", "long-enough-pass", "Other", "service_provider", "screener"});
    auto a = auth::Actor::user(u, auth::Scope::organisation);
    ScreeningService svc(*store, log);
    store->write([&](store::Connection& c) { svc.set_country(c, op, "nl"); });
    Json body = {{"person", {{"reference", "P-0001"}, {"nationality", "NL"}}},
                 {"encounter", {{"source", "domestic_violence_service"}, {"date", "2026-03-04"}}},
                 {"language", "en"},
                 {"interpreter_used", true},
                 {"profile", "adult_sexual"},
                 {"age", 24},
                 {"answers",
                  {{"dr_deceived_nature_of_job", "yes"},
                   {"dr_deceived_travel_recruitment", "yes"},
                   {"ex_excessive_hours", "yes"},
                   {"ex_low_or_no_pay", "yes"},
                   {"cd_confiscation_of_documents", "yes"},
                   {"cd_debt_bondage", "yes"}}}};
    int64_t before = log.head().tree_size;
    auto view = svc.create_screening(a, parse_new_screening(body, "2026-12-01"));
    EXPECT_EQ(log.head().tree_size, before + 1);
    EXPECT_EQ(log.latest(1).front().event.action, "screenings.create");
    int64_t id = view["screening"]["id"];
    EXPECT_EQ(view["screening"]["person"]["reference"], "P-0001");
    if (view["result"]["outcome"] == "presumed_trafficking") {
      EXPECT_EQ(view["case"]["status"], "presumed");
      EXPECT_EQ(view["referrals"].size(), 5u);
    }
    store->read(
        [&](store::Connection& c) { EXPECT_EQ(ScreeningService::owner_of(c, id), u.org.id); });
    auto r = svc.refer(a, id, "shelter");
    EXPECT_EQ(r["status"], "made");
    EXPECT_THROW(svc.refer(a, id, "spa"), Error);
    EXPECT_EQ(svc.get_screening(a, id)["referrals"].size() > 0, true);
    EXPECT_THROW(svc.get_screening(a, id + 1000), Error);
    EXPECT_EQ(svc.list_screenings(a, 10).size(), 1u);
    // Another organisation's user lists none of it; the operator sees every organisation.
    EXPECT_EQ(svc.list_screenings(auth::Actor::user(other, auth::Scope::organisation), 10).size(),
              0u);
    auto cov = svc.coverage(op, "", "");
    EXPECT_EQ(cov.country, "NL");
    EXPECT_EQ(cov.totals.screened, 1);
    auto last = log.latest(1).front().event;
    EXPECT_EQ(last.action, "screenings.coverage");  // the API's action, from the CLI too
    EXPECT_EQ(last.object_id, "all");
    svc.coverage(a, "", "");
    EXPECT_EQ(log.latest(1).front().event.object_id, std::to_string(u.org.id));
    EXPECT_THROW(svc.coverage(op, "2026-13", ""), Error);
    // A screening needs a user of an organisation.
    EXPECT_THROW(svc.create_screening(op, parse_new_screening(body, "2026-12-01")), Error);
    EXPECT_TRUE(log.verify().ok);
  }
}

// Issue #8 item 3: a child's screening records the child referral set (child protection and a
// guardian, no work permit), on both engines (schema 0009_referral_kinds_child widens the referral
// kinds).
TEST(ScreeningService, AChildIsReferredToChildProtectionAndAGuardian) {
  store::testing::TestDatabase db;
  auto store = db.open();
  audit::DirectoryTrustStore trust(db.dir());
  audit::AuditLog log(*store, trust);
  auto op = auth::Actor::operator_named("cli");
  auto u = auth::testing::create_user(
      *store, log, op, {"scr", "long-enough-pass", "Org", "service_provider", "screener"});
  ScreeningService svc(*store, log);
  Json body = {{"person", {{"reference", "C-0001"}}},
               {"encounter", {{"source", "police"}, {"date", "2026-03-04"}}},
               {"language", "es"},
               {"instrument", "screener"},
               {"age", 11},
               {"may_be_minor", false},
               {"answers", {{"s_illegal_activities", "yes"}, {"s_hurt", "yes"}}}};
  auto view = svc.create_screening(auth::Actor::user(u, auth::Scope::organisation),
                                   parse_new_screening(body, "2026-12-01"));
  EXPECT_EQ(view["result"]["action"], "refer_now");
  std::vector<std::string> kinds;
  for (const auto& r : view["referrals"]) kinds.push_back(r["kind"]);
  ASSERT_FALSE(kinds.empty());
  EXPECT_EQ(kinds.front(), "child_protection");
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "guardian"), kinds.end());
  EXPECT_EQ(std::find(kinds.begin(), kinds.end(), "residence_work_permit"), kinds.end());
}

// Compact storage (issue #7 item 8): a screening stores its answers and what the engine needs,
// not the rendered result; reading it recomputes the result, which must be exactly what the
// engine gave when the screening was created.
struct Workflow {
  store::testing::TestDatabase db;
  std::unique_ptr<store::Store> store = db.open();
  std::unique_ptr<audit::DirectoryTrustStore> trust =
      std::make_unique<audit::DirectoryTrustStore>(db.dir());
  std::unique_ptr<audit::AuditLog> log = std::make_unique<audit::AuditLog>(*store, *trust);
  auth::Actor op = auth::Actor::operator_named("cli");
  auth::User user = auth::testing::create_user(
      *store, *log, op, {"scr", "long-enough-pass", "Org", "service_provider", "screener"});
  auth::Actor actor = auth::Actor::user(user, auth::Scope::organisation);
  ScreeningService svc{*store, *log};
};

Json screening_body(const std::string& ref, Json extra) {
  Json body = {{"person", {{"reference", ref}}},
               {"encounter", {{"source", "police"}, {"date", "2026-03-04"}}},
               {"language", "en"}};
  for (auto& [k, v] : extra.items()) body[k] = v;
  return body;
}

// Every indicator of a profile answered, cycling through yes/no/unknown from `seed`.
Json full_answers(const std::string& profile, int seed) {
  Json answers = Json::object();
  const char* values[] = {"yes", "no", "no", "unknown", "no"};
  int i = seed;
  for (const auto& ind : Catalogue::builtin().find_instrument(profile)->indicators)
    answers[ind.id] = values[(i++ * 7 + seed) % 5];
  return answers;
}

std::vector<Json> varied_bodies() {
  std::vector<Json> out;
  int n = 0;
  for (const char* profile :
       {"adult_labour", "adult_sexual", "child_labour", "child_sexual", "adult_criminality"}) {
    bool child = std::string(profile).starts_with("child");
    for (int seed = 0; seed < 4; ++seed)
      for (const char* lang : {"en", "ar"})
        out.push_back(screening_body(
            "CMP-" + std::to_string(++n),
            {{"profile", profile},
             {"language", lang},
             {"age", child ? Json(15) : (seed == 3 ? Json("unknown") : Json(30 + seed))},
             {"may_be_minor", seed == 3},
             {"answers", full_answers(profile, seed)}}));
  }
  // The screener: routed, and with a profile given.
  Json screener = {{"s_job_different", "yes"}, {"s_pay_less_than_promised", "yes"}};
  out.push_back(screening_body(
      "CMP-S1",
      {{"instrument", "screener"}, {"profile", "screener"}, {"age", 25}, {"answers", screener}}));
  out.push_back(screening_body("CMP-S2", {{"instrument", "screener"},
                                          {"age", "unknown"},
                                          {"may_be_minor", true},
                                          {"answers", screener}}));
  out.push_back(screening_body("CMP-S3", {{"instrument", "screener"},
                                          {"profile", "adult_sexual"},
                                          {"age", 40},
                                          {"answers", screener}}));
  // A partly answered full instrument (ask_next, could_become).
  out.push_back(screening_body(
      "CMP-P1", {{"profile", "adult_labour"},
                 {"age", 22},
                 {"answers", {{"ex_excessive_hours", "yes"}, {"dr_deceived_wages", "yes"}}}}));
  return out;
}

TEST(CompactScreenings, TheRecomputedResultIsTheOneTheEngineGaveAtCreation) {
  Workflow w;
  int compared = 0;
  for (const auto& body : varied_bodies()) {
    auto in = parse_new_screening(body, "2026-12-01");
    auto created = w.svc.create_screening(w.actor, in);
    EXPECT_EQ(created["result"], in.screening.result) << body.dump();
    int64_t id = created["screening"]["id"];
    auto read = w.svc.get_screening(w.actor, id);
    EXPECT_EQ(read["result"], in.screening.result) << body.dump();
    EXPECT_EQ(read["screening"]["answers"], body["answers"]);
    ++compared;
  }
  EXPECT_GT(compared, 40);
  // Nothing rendered is stored.
  w.store->read([](store::Connection& c) {
    EXPECT_EQ(c.query_row("SELECT count(*) FROM screenings WHERE result <> ''").integer(0), 0);
  });
}

TEST(CompactScreenings, AnswersRoundTripAndDamageIsAnIntegrityError) {
  Json answers = full_answers("adult_labour", 1);
  auto packed = pack_answers(answers);
  EXPECT_TRUE(packed.starts_with("z1:"));
  EXPECT_LT(packed.size(), answers.dump().size() / 2);
  EXPECT_EQ(unpack_answers(packed), answers);
  EXPECT_EQ(unpack_answers(answers.dump()), answers);  // rows written before stay readable
  EXPECT_THROW(unpack_answers("z1:!!!"), Error);
  EXPECT_THROW(unpack_answers("z1:AAAA"), Error);
}

TEST(CompactScreenings, RowsWrittenBeforeAreReadAsStoredAndCompactedWhenIdentical) {
  Workflow w;
  std::vector<std::pair<int64_t, Json>> old_rows;
  for (const auto& body : varied_bodies()) {
    auto in = parse_new_screening(body, "2026-12-01");
    int64_t id = w.svc.create_screening(w.actor, in)["screening"]["id"];
    // Rewrite the row as ctip wrote it before schema 0008: plain answers, the whole result.
    w.store->write([&](store::Connection& c) {
      c.execute(
          "UPDATE screenings SET answers = ?, result = ?, requested_profile = NULL WHERE id = ?",
          {in.screening.answers.dump(), in.screening.result.dump(), id});
    });
    old_rows.emplace_back(id, in.screening.result);
  }
  // One old row whose stored result the engine would not give (as if rendered by another
  // version): it keeps its stored result.
  int64_t odd = old_rows.front().first;
  Json odd_result = old_rows.front().second;
  odd_result["note"] = "rendered by another version";
  w.store->write([&](store::Connection& c) {
    c.execute("UPDATE screenings SET result = ? WHERE id = ?", {odd_result.dump(), odd});
  });
  old_rows.front().second = odd_result;
  for (const auto& [id, result] : old_rows)
    EXPECT_EQ(w.svc.get_screening(w.actor, id)["result"], result);

  auto [converted, kept] = w.svc.compact(w.op, 7);  // several batches
  EXPECT_EQ(converted, static_cast<int64_t>(old_rows.size()) - 1);
  EXPECT_EQ(kept, 1);
  EXPECT_EQ(w.log->latest(1).front().event.action, "screenings.compact");
  for (const auto& [id, result] : old_rows)
    EXPECT_EQ(w.svc.get_screening(w.actor, id)["result"], result);
  w.store->read([&](store::Connection& c) {
    EXPECT_EQ(c.query_row("SELECT count(*) FROM screenings WHERE result <> ''").integer(0), 1);
  });
  EXPECT_TRUE(w.log->verify().ok);
}

TEST(CompactScreenings, AChangedDecisionIsRefusedNotShown) {
  Workflow w;
  auto in = parse_new_screening(varied_bodies().front(), "2026-12-01");
  int64_t id = w.svc.create_screening(w.actor, in)["screening"]["id"];
  w.store->write([&](store::Connection& c) {
    c.execute("UPDATE screenings SET instrument_version = 'adult_labour@0.9.0' WHERE id = ?", {id});
  });
  try {
    w.svc.get_screening(w.actor, id);
    FAIL() << "expected an integrity error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::integrity);
    EXPECT_NE(std::string(e.what()).find("adult_labour@0.9.0"), std::string::npos);
  }
}

// The figure of issue #7: 2,000 fully answered screenings take at most 4 KB each in the store,
// everything included (persons, encounters, cases, referrals, audit entries, indexes). Before
// the compact form it was about 34 KB on SQLite (44.6 KB in the review's store).
TEST(CompactScreenings, AScreeningTakesAtMostFourKilobytes) {
  Workflow w;
  constexpr int kScreenings = 2000;
  const char* profiles[] = {"adult_labour", "adult_sexual", "adult_criminality"};
  w.store->write([&](store::Connection& c) {
    for (int i = 0; i < kScreenings; ++i) {
      auto body = screening_body("SIZE-" + std::to_string(i),
                                 {{"profile", profiles[i % 3]},
                                  {"age", 20 + i % 40},
                                  {"answers", full_answers(profiles[i % 3], i)}});
      w.svc.create_screening(c, w.actor, parse_new_screening(body, "2026-12-01"));
    }
  });
  double per_screening = 0;
  w.store->read([&](store::Connection& c) {
    if (w.db.postgresql()) {
      // The live rows of every table that grows with screenings (pg_column_size of the row:
      // TOAST-compressed as stored). The files would also count dead row versions (audit_state
      // is updated by every append) that autovacuum reclaims, and each table's fixed pages.
      int64_t bytes = 0;
      for (const char* table : {"screenings", "encounters", "persons", "cases", "referrals",
                                "audit_entries", "audit_tree_heads", "audit_nodes"})
        bytes += c.query_row(std::string("SELECT COALESCE(sum(pg_column_size(t.*)), 0) FROM ") +
                             table + " t")
                     .integer(0);
      per_screening = static_cast<double>(bytes) / kScreenings;
    } else {
      per_screening = static_cast<double>(c.query_row("PRAGMA page_count").integer(0) *
                                          c.query_row("PRAGMA page_size").integer(0)) /
                      kScreenings;
    }
  });
  std::cout << "[ figure ] " << store::testing::engine() << ": " << per_screening
            << " bytes per screening (2,000 fully answered)\n";
  EXPECT_LE(per_screening, 4096.0);
}

// Pseudonymous references (issue #7 item 9): the review stored names, NUL and bidi overrides.
std::string field_of_reference(const std::string& reference) {
  try {
    parse_person(Json{{"reference", reference}});
  } catch (const Error& e) {
    return e.field();
  }
  return "accepted";
}

TEST(References, ControlInvisibleAndBidiCharactersAreRefusedWhateverThePattern) {
  EXPECT_EQ(field_of_reference("CASE-0001"), "accepted");
  EXPECT_EQ(field_of_reference(std::string("CASE\0-01", 8)), "person.reference");  // NUL
  EXPECT_EQ(field_of_reference("CASE\t001"), "person.reference");
  EXPECT_EQ(field_of_reference("CASE\x7f"
                               "001"),
            "person.reference");
  EXPECT_EQ(field_of_reference("CASE\xc2\x85"
                               "01"),
            "person.reference");  // U+0085
  EXPECT_EQ(field_of_reference("CASE-\xe2\x80\xae"
                               "1000"),
            "person.reference");  // U+202E RLO
  EXPECT_EQ(field_of_reference("CASE-\xe2\x81\xa6"
                               "10"),
            "person.reference");  // U+2066 LRI
  EXPECT_EQ(field_of_reference("CA\xe2\x80\x8b"
                               "SE"),
            "person.reference");  // U+200B ZWSP
  EXPECT_EQ(field_of_reference("\xef\xbb\xbf"
                               "CASE"),
            "person.reference");                                       // U+FEFF
  EXPECT_EQ(field_of_reference("CASE-\xff"), "person.reference");      // not UTF-8
  EXPECT_EQ(field_of_reference("CASE-\xc0\xae"), "person.reference");  // overlong
  EXPECT_EQ(field_of_reference(std::string(65, 'A')), "person.reference");
  EXPECT_EQ(field_of_reference("Fall-Jos\xc3\xa9"), "accepted");  // the pattern decides (below)
}

TEST(References, TheDefaultPatternIsLettersDigitsAndHyphenFourToThirtyTwo) {
  auto ok = [](const std::string& r) {
    try {
      check_reference(r, std::string(kDefaultReferencePattern));
      return true;
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), "person.reference");
      return false;
    }
  };
  EXPECT_TRUE(ok("bench-123-4"));
  EXPECT_TRUE(ok("DEMO-1"));
  EXPECT_TRUE(ok("abcd"));
  EXPECT_TRUE(ok(std::string(32, 'x')));
  EXPECT_FALSE(ok("abc"));
  EXPECT_FALSE(ok(std::string(33, 'x')));
  EXPECT_FALSE(ok("Maria Lopez"));
  EXPECT_FALSE(ok("maria.lopez@example.org"));
  EXPECT_FALSE(ok("Fall-Jos\xc3\xa9"));
  EXPECT_FALSE(ok("CASE_01"));
  EXPECT_THROW(check_reference_pattern("[a-z"), Error);
  EXPECT_THROW(check_reference_pattern(".*"), Error);  // accepts an empty reference
  EXPECT_NO_THROW(check_reference_pattern("SH_[0-9]{4}"));
}

TEST(References, TheServiceAppliesTheStoresPatternAndAuditsChangingIt) {
  Workflow w;
  auto body = [](const std::string& ref) {
    return screening_body(
        ref,
        {{"profile", "adult_labour"}, {"age", 30}, {"answers", {{"ex_excessive_hours", "yes"}}}});
  };
  auto field_of = [&](const std::string& ref) {
    try {
      w.svc.create_screening(w.actor, parse_new_screening(body(ref), "2026-12-01"));
    } catch (const Error& e) {
      return e.field();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(field_of("Maria Lopez"), "person.reference");
  EXPECT_EQ(field_of("SH_0001"), "person.reference");
  EXPECT_EQ(field_of("SH-0001"), "accepted");
  EXPECT_THROW(
      w.svc.record_encounter(w.actor, parse_new_encounter({{"person", {{"reference", "Ana Silva"}}},
                                                           {"encounter", {{"source", "hotline"}}}},
                                                          "2026-12-01")),
      Error);
  w.store->write([&](store::Connection& c) {
    EXPECT_THROW(w.svc.set_reference_pattern(c, w.op, "("), Error);
  });
  w.store->write(
      [&](store::Connection& c) { w.svc.set_reference_pattern(c, w.op, "SH_[0-9]{4}"); });
  EXPECT_EQ(w.log->latest(1).front().event.action, "settings.update");
  EXPECT_EQ(w.log->latest(1).front().event.object_id, "reference_pattern");
  EXPECT_EQ(field_of("SH_0001"), "accepted");
  EXPECT_EQ(field_of("SH-0002"), "person.reference");
  w.store->read([](store::Connection& c) {
    EXPECT_EQ(c.query_row("SELECT count(*) FROM persons").integer(0), 2);
  });
}

// Encounters for a new reference recorded at the same moment by several requests: one person,
// every encounter stored (before: the second insert of the reference failed with 409 on
// PostgreSQL, found by bench/run.sh --store pg).
TEST(ScreeningService, ConcurrentEncountersOfOneNewReferenceMakeOnePerson) {
  Workflow w;
  constexpr int kThreads = 6, kReferences = 15;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      for (int r = 0; r < kReferences; ++r) {
        try {
          w.svc.record_encounter(
              w.actor,
              parse_new_encounter({{"person", {{"reference", "RACE-" + std::to_string(r)}}},
                                   {"encounter", {{"source", "hotline"}}}},
                                  "2026-12-01"));
        } catch (const Error&) {
          ++failures;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  w.store->read([&](store::Connection& c) {
    EXPECT_EQ(c.query_row("SELECT count(*) FROM persons").integer(0), kReferences);
    EXPECT_EQ(c.query_row("SELECT count(*) FROM encounters").integer(0), kThreads * kReferences);
  });
  // A nationality given is kept when a later encounter gives none.
  auto record = [&](Json person) {
    w.svc.record_encounter(
        w.actor, parse_new_encounter({{"person", person}, {"encounter", {{"source", "hotline"}}}},
                                     "2026-12-01"));
  };
  record({{"reference", "RACE-0"}, {"nationality", "NG"}});
  record({{"reference", "RACE-0"}});
  w.store->read([&](store::Connection& c) {
    EXPECT_EQ(c.query_row("SELECT nationality FROM persons WHERE reference = 'RACE-0'").text(0),
              "NG");
  });
}

}  // namespace
}  // namespace ctip::screen
