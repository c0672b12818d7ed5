// The resumable, correctable workflow (issue #8 items 7 and 8): drafts saved as answers are
// given, the interview setup (consent or assent, danger check), the full interview that
// completes a screener on the same encounter, and corrections with their history. On SQLite
// and PostgreSQL (ctip_add_store_test).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "audit/audit_log.h"
#include "auth/account_service.h"
#include "auth/testing.h"
#include "core/error.h"
#include "screen/coverage.h"
#include "screen/interview.h"
#include "screen/screening_service.h"
#include "screen/summary_pdf.h"
#include "store/testing.h"

namespace ctip::screen {
namespace {

struct Fixture {
  store::testing::TestDatabase db;
  std::unique_ptr<store::Store> store = db.open();
  audit::DirectoryTrustStore trust{db.dir()};
  audit::AuditLog log{*store, trust};
  auth::Actor op = auth::Actor::operator_named("cli");
  auth::User user = auth::testing::create_user(
      *store, log, op, {"scr", "long-enough-pass", "Org", "service_provider", "screener"});
  auth::User other_user = auth::testing::create_user(
      *store, log, op, {"oth", "long-enough-pass", "Other", "service_provider", "screener"});
  auth::Actor actor = auth::Actor::user(user, auth::Scope::organisation);
  auth::Actor other = auth::Actor::user(other_user, auth::Scope::organisation);
  ScreeningService svc{*store, log};

  int64_t count(const std::string& table) {
    int64_t n = 0;
    store->read(
        [&](store::Connection& c) { n = c.query_row("SELECT count(*) FROM " + table).integer(0); });
    return n;
  }
  std::string last_action() { return log.latest(1).front().event.action; }
};

std::string field_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.field();
  }
  return "no error";
}

ErrorCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  return ErrorCode::internal;
}

Json interview(Json overrides = Json::object()) {
  Json j = {{"consent",
             {{"kind", "consent"},
              {"given", true},
              {"confidentiality_explained", true},
              {"right_to_stop_explained", true}}},
            {"safety", {{"someone_waiting", "no"}, {"family_at_risk", "no"}}},
            {"place", "Port authority office"},
            {"sex", "female"},
            {"interface_language", "fr"}};
  for (auto& [k, v] : overrides.items()) j[k] = v;
  return j;
}

// The screener, all "yes": possible or presumed trafficking under the rule.
Json screener_body(const std::string& ref, Json extra = Json::object()) {
  Json body = {{"person", {{"reference", ref}}},
               {"encounter", {{"source", "border"}, {"date", "2026-03-04"}}},
               {"language", "ar"},
               {"instrument", "screener"},
               {"age", 29},
               {"answers",
                {{"s_job_different", "yes"},
                 {"s_long_hours", "yes"},
                 {"s_little_or_no_pay", "yes"},
                 {"s_documents_kept", "yes"},
                 {"s_not_free_to_leave", "yes"},
                 {"s_hurt", "yes"}}}};
  for (auto& [k, v] : extra.items()) body[k] = v;
  return body;
}

ScreeningRequest request(const Json& body) { return parse_screening_request(body, "2026-12-01"); }

std::string log_object(Fixture& f) { return f.log.latest(1).front().event.object_id; }

TEST(Interview, ParsingNamesTheField) {
  auto parse = [](Json j, bool child = false, bool interpreter = false) {
    return [=] { parse_interview(j, child, interpreter); };
  };
  Json no_consent = interview();
  no_consent["consent"]["given"] = false;
  EXPECT_EQ(field_of(parse(no_consent)), "interview.consent.given");
  Json unread = interview();
  unread["consent"]["confidentiality_explained"] = false;
  EXPECT_EQ(field_of(parse(unread)), "interview.consent.confidentiality_explained");
  Json no_stop = interview();
  no_stop["consent"]["right_to_stop_explained"] = false;
  EXPECT_EQ(field_of(parse(no_stop)), "interview.consent.right_to_stop_explained");
  // A child assents; consent is refused for a child, assent accepted.
  EXPECT_EQ(field_of(parse(interview(), true)), "interview.consent.kind");
  Json assent = interview();
  assent["consent"]["kind"] = "assent";
  EXPECT_EQ(field_of(parse(assent, true)), "no error");
  EXPECT_EQ(field_of(parse(
                interview({{"safety", {{"someone_waiting", "maybe"}, {"family_at_risk", "no"}}}}))),
            "interview.safety.someone_waiting");
  EXPECT_EQ(field_of(parse(interview({{"sex", "f"}}))), "interview.sex");
  EXPECT_EQ(field_of(parse(interview({{"interface_language", "de"}}))),
            "interview.interface_language");
  EXPECT_EQ(field_of(parse(interview(), false, true)), "interview.interpreter_language");
  EXPECT_EQ(field_of(parse(interview({{"interpreter_language", "ar"}}), false, true)), "no error");
  EXPECT_EQ(field_of(parse(interview({{"place", "a\nb"}}))), "interview.place");
  EXPECT_EQ(field_of(parse(interview({{"name", "x"}}))), "interview.name");

  auto s = parse_interview(
      interview({{"safety", {{"someone_waiting", "no"}, {"family_at_risk", "yes"}}}}), false,
      false);
  EXPECT_TRUE(s.urgent());
  EXPECT_EQ(to_json(s)["safety"]["urgent"], true);
}

TEST(Interview, DraftAndCorrectionParsingNamesTheField) {
  auto draft = [](Json state) { return [=] { parse_draft(Json{{"state", state}}); }; };
  EXPECT_EQ(field_of(draft({{"step", "lunch"}})), "state.step");
  EXPECT_EQ(field_of(draft({{"step", "questions"}, {"answers", {{"s_hurt", "perhaps"}}}})),
            "state.answers.s_hurt");
  EXPECT_EQ(field_of(draft({{"step", "questions"}, {"answers", {{"S-1", "yes"}}}})),
            "state.answers.S-1");
  EXPECT_EQ(field_of(draft({{"step", "setup"}, {"setup", {{"personRef", "A\u202eB"}}}})),
            "state.setup.personRef");
  EXPECT_EQ(field_of(draft({{"step", "setup"}, {"html", "<b>"}})), "state.html");
  EXPECT_EQ(field_of(draft({{"step", "setup"}, {"setup", {{"big", std::string(70000, 'x')}}}})),
            "state");
  EXPECT_EQ(field_of([] { parse_correction(Json{{"answers", {{"s_hurt", "yes"}}}}); }), "reason");
  EXPECT_EQ(field_of([] {
              parse_correction(Json{{"answers", Json::object()}, {"reason", "typo"}});
            }),
            "answers");
}

TEST(Drafts, SavedAsAnsweredReadBackAndCompletedByTheScreening) {
  Fixture f;
  auto d = f.svc.create_draft(f.actor, parse_draft(Json{{"state", {{"step", "setup"}}}}));
  int64_t id = d["id"];
  EXPECT_EQ(d["status"], "open");
  EXPECT_EQ(d["revision"], 1);
  EXPECT_EQ(f.last_action(), "screenings.draft.create");
  // Each answer is a save; the revision guards against a stale page.
  Json state = {{"step", "questions"},
                {"setup", {{"personRef", "DRAFT-0001"}}},
                {"answers", {{"s_job_different", "yes"}}}};
  auto saved = f.svc.save_draft(f.actor, id, parse_draft(Json{{"state", state}, {"revision", 1}}));
  EXPECT_EQ(saved["revision"], 2);
  EXPECT_EQ(f.last_action(), "screenings.draft.save");
  EXPECT_EQ(code_of([&] {
              f.svc.save_draft(f.actor, id, parse_draft(Json{{"state", state}, {"revision", 1}}));
            }),
            ErrorCode::conflict);
  // Read back as saved (a reload), listed for the organisation only.
  EXPECT_EQ(f.svc.get_draft(f.actor, id)["state"], state);
  auto list = f.svc.list_drafts(f.actor, 10);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["reference"], "DRAFT-0001");
  EXPECT_EQ(list[0]["answered"], 1);
  EXPECT_EQ(list[0]["step"], "questions");
  EXPECT_EQ(f.svc.list_drafts(f.other, 10).size(), 0u);
  f.store->read([&](store::Connection& c) {
    EXPECT_EQ(ScreeningService::draft_owner_of(c, id), f.user.org.id);
  });

  // Recording the screening completes the draft in the same transaction.
  Json body = screener_body("DRAFT-0001", {{"draft_id", id}, {"interview", interview()}});
  auto view = f.svc.create_screening(f.actor, request(body));
  int64_t screening_id = view["screening"]["id"];
  EXPECT_EQ(view["screening"]["interview"]["consent"]["kind"], "consent");
  EXPECT_EQ(view["screening"]["interview"]["interface_language"], "fr");
  EXPECT_EQ(view["screening"]["language"], "ar");  // the interview's language, separate
  auto closed = f.svc.get_draft(f.actor, id);
  EXPECT_EQ(closed["status"], "completed");
  EXPECT_EQ(closed["screening_id"], screening_id);
  EXPECT_EQ(f.svc.list_drafts(f.actor, 10).size(), 0u);
  // A completed draft neither changes nor completes another screening.
  EXPECT_EQ(code_of([&] {
              f.svc.save_draft(f.actor, id, parse_draft(Json{{"state", state}}));
            }),
            ErrorCode::conflict);
  int64_t screenings = f.count("screenings");
  EXPECT_EQ(code_of([&] { f.svc.create_screening(f.actor, request(body)); }), ErrorCode::conflict);
  EXPECT_EQ(f.count("screenings"), screenings);  // rolled back
  EXPECT_TRUE(f.log.verify().ok);
}

TEST(Drafts, AnotherOrganisationsDraftIsNotFoundAndNothingIsStored) {
  Fixture f;
  auto d = f.svc.create_draft(f.actor, parse_draft(Json{{"state", {{"step", "questions"}}}}));
  int64_t id = d["id"];
  int64_t screenings = f.count("screenings"), encounters = f.count("encounters"),
          persons = f.count("persons"), entries = f.log.head().tree_size;
  auto error = [&] {
    f.svc.create_screening(f.other, request(screener_body("OTHER-0001", {{"draft_id", id}})));
  };
  EXPECT_EQ(code_of(error), ErrorCode::not_found);
  EXPECT_EQ(field_of(error), "draft_id");
  EXPECT_EQ(f.count("screenings"), screenings);
  EXPECT_EQ(f.count("encounters"), encounters);
  EXPECT_EQ(f.count("persons"), persons);
  EXPECT_EQ(f.log.head().tree_size, entries);
  EXPECT_EQ(f.svc.get_draft(f.actor, id)["status"], "open");
  // An absent draft: the same answer.
  EXPECT_EQ(
      field_of([&] {
        f.svc.create_screening(f.actor, request(screener_body("OWN-0001", {{"draft_id", 987654}})));
      }),
      "draft_id");
  // Discarding is audited and idempotent; a discarded draft is no longer listed.
  f.svc.discard_draft(f.actor, id);
  EXPECT_EQ(f.last_action(), "screenings.draft.discard");
  f.svc.discard_draft(f.actor, id);
  EXPECT_EQ(f.svc.list_drafts(f.actor, 10).size(), 0u);
}

TEST(Drafts, UrgentDangerRecommendsProtectionWhateverTheOutcome) {
  Fixture f;
  Json all_no = {{"s_job_different", "no"}, {"s_long_hours", "no"}, {"s_hurt", "no"}};
  auto calm = f.svc.create_screening(
      f.actor,
      request(screener_body("CALM-0001", {{"answers", all_no}, {"interview", interview()}})));
  EXPECT_EQ(calm["referrals"].size(), 0u);
  auto urgent = f.svc.create_screening(
      f.actor,
      request(screener_body(
          "URGENT-0001",
          {{"answers", all_no},
           {"interview",
            interview(
                {{"safety", {{"someone_waiting", "yes"}, {"family_at_risk", "declined"}}}})}})));
  EXPECT_EQ(urgent["screening"]["interview"]["safety"]["urgent"], true);
  std::set<std::string> kinds;
  for (const auto& r : urgent["referrals"]) kinds.insert(r["kind"].get<std::string>());
  EXPECT_EQ(kinds, (std::set<std::string>{"shelter", "medical_care", "legal_aid"}));
  // The urgent referrals belong to a case opened for them (schema 0011); the calm one has none.
  EXPECT_TRUE(calm["case"].is_null());
  ASSERT_TRUE(urgent["case"].is_object());
  EXPECT_EQ(urgent["case"]["status"], "urgent");
  // Without consent nothing is recorded; a child's consent must be an assent.
  Json refused = interview();
  refused["consent"]["given"] = false;
  EXPECT_EQ(field_of([&] {
              request(screener_body("NO-0001", {{"interview", refused}}));
            }),
            "interview.consent.given");
  EXPECT_EQ(field_of([&] {
              request(screener_body("CHILD-0001", {{"age", 15}, {"interview", interview()}}));
            }),
            "interview.consent.kind");
}

TEST(Drafts, TheFullInterviewFollowsTheScreenerOnTheSameEncounter) {
  Fixture f;
  auto first = f.svc.create_screening(f.actor, request(screener_body("FOLLOW-0001")));
  int64_t screener_id = first["screening"]["id"];
  int64_t encounters = f.count("encounters");
  Json full = {
      {"person", {{"reference", "FOLLOW-0001"}}},
      {"encounter", {{"source", "border"}, {"date", "2026-03-04"}}},
      {"language", "ar"},
      {"profile", "adult_labour"},
      {"age", 29},
      {"follows", screener_id},
      {"answers", {{"ex_excessive_hours", "yes"}, {"cd_confiscation_of_documents", "yes"}}}};
  auto second = f.svc.create_screening(f.actor, request(full));
  EXPECT_EQ(second["screening"]["follows"], screener_id);
  EXPECT_EQ(f.count("encounters"), encounters);  // no second encounter: coverage counts one
  // Another organisation cannot follow it; the reference must be the same person's.
  Json other_ref = full;
  other_ref["person"]["reference"] = "FOLLOW-0002";
  EXPECT_EQ(field_of([&] { f.svc.create_screening(f.actor, request(other_ref)); }),
            "person.reference");
  EXPECT_EQ(code_of([&] { f.svc.create_screening(f.other, request(full)); }), ErrorCode::not_found);
  // A draft may name the screening it completes; another organisation's is not found.
  EXPECT_EQ(code_of([&] {
              f.svc.create_draft(f.other, parse_draft(Json{{"state", {{"step", "questions"}}},
                                                           {"follows", screener_id}}));
            }),
            ErrorCode::not_found);
  auto d = f.svc.create_draft(
      f.actor, parse_draft(Json{{"state", {{"step", "questions"}}}, {"follows", screener_id}}));
  EXPECT_EQ(d["follows"], screener_id);
}

TEST(Corrections, ReEvaluateKeepTheHistoryAndAreAudited) {
  Fixture f;
  Json few = {{"s_job_different", "yes"}, {"s_long_hours", "no"}};
  auto view =
      f.svc.create_screening(f.actor, request(screener_body("CORR-0001", {{"answers", few}})));
  int64_t id = view["screening"]["id"];
  std::string before = view["result"]["outcome"];
  EXPECT_TRUE(view["case"].is_null()) << before;
  EXPECT_EQ(view["corrections"].size(), 0u);

  Json more = {{"s_long_hours", "yes"},
               {"s_little_or_no_pay", "yes"},
               {"s_documents_kept", "yes"},
               {"s_not_free_to_leave", "yes"},
               {"s_hurt", "yes"}};
  auto corrected = f.svc.correct(
      f.actor, id,
      parse_correction(Json{{"answers", more}, {"reason", "the person said more later"}}));
  EXPECT_EQ(f.last_action(), "screenings.correct");
  std::string after = corrected["result"]["outcome"];
  EXPECT_NE(after, before);
  EXPECT_TRUE(after == "possible_trafficking" || after == "presumed_trafficking") << after;
  EXPECT_FALSE(corrected["case"].is_null());
  EXPECT_GE(corrected["referrals"].size(), 1u);
  EXPECT_EQ(corrected["screening"]["answers"]["s_long_hours"], "yes");
  EXPECT_EQ(corrected["screening"]["answers"]["s_job_different"], "yes");  // kept
  ASSERT_EQ(corrected["corrections"].size(), 1u);
  const auto& k = corrected["corrections"][0];
  EXPECT_EQ(k["previous_outcome"], before);
  EXPECT_EQ(k["outcome"], after);
  EXPECT_EQ(k["reason"], "the person said more later");
  EXPECT_EQ(k["corrected_by"], "scr");
  EXPECT_EQ(k["changed"].size(), 5u);
  // Read again: the recomputed result is the corrected one.
  EXPECT_EQ(f.svc.get_screening(f.actor, id)["result"], corrected["result"]);

  // An id the instrument does not have is named, and nothing changes; nor does a correction
  // that changes nothing.
  int64_t entries = f.log.head().tree_size;
  EXPECT_EQ(field_of([&] {
              f.svc.correct(
                  f.actor, id,
                  parse_correction(Json{{"answers", {{"s_bogus", "yes"}}}, {"reason", "x"}}));
            }),
            "answers.s_bogus");
  EXPECT_EQ(
      field_of([&] {
        f.svc.correct(f.actor, id, parse_correction(Json{{"answers", more}, {"reason", "again"}}));
      }),
      "answers");
  EXPECT_EQ(f.log.head().tree_size, entries);
  EXPECT_EQ(f.svc.get_screening(f.actor, id)["corrections"].size(), 1u);
  EXPECT_EQ(
      code_of([&] {
        f.svc.correct(f.actor, 987654, parse_correction(Json{{"answers", more}, {"reason", "x"}}));
      }),
      ErrorCode::not_found);
  EXPECT_TRUE(f.log.verify().ok);
}

// The text of a PDF, read back with poppler's pdftotext; empty when it is not installed.
std::string pdf_text(const std::string& pdf, const std::filesystem::path& dir) {
  if (!std::filesystem::exists("/usr/bin/pdftotext")) return {};
  auto file = dir / "summary.pdf";
  std::ofstream(file, std::ios::binary) << pdf;
  std::string out;
  FILE* p = popen(("/usr/bin/pdftotext -enc UTF-8 '" + file.string() + "' -").c_str(), "r");
  if (!p) return {};
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  pclose(p);
  return out;
}

TEST(SummaryPdf, TheExportIsAuditedAndThePdfSaysWhatWasRecordedInBothLanguages) {
  Fixture f;
  auto view = f.svc.create_screening(
      f.actor, request(screener_body(
                   "PDF-0001", {{"interpreter_used", true},
                                {"interview", interview({{"interpreter_language", "ar"}})}})));
  int64_t id = view["screening"]["id"];
  auto exported = f.svc.export_summary(f.actor, id);
  EXPECT_EQ(f.last_action(), "screenings.export");
  EXPECT_EQ(log_object(f), std::to_string(id));
  std::string pdf = summary_pdf(exported, "fr");
  ASSERT_GT(pdf.size(), 1000u);
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf.find("DejaVuSans"), std::string::npos) << "the font is embedded";
  EXPECT_EQ(field_of([&] { summary_pdf(exported, "de"); }), "lang");
  EXPECT_EQ(code_of([&] { f.svc.export_summary(f.actor, 987654); }), ErrorCode::not_found);
  std::string text = pdf_text(pdf, f.db.dir());
  if (text.empty()) GTEST_SKIP() << "pdftotext (poppler-utils) is not installed";
  // pdftotext splits some shaped Arabic words into pieces; "التاريخ" comes back whole.
  for (const char* expected : {"PDF-0001", "scr", "Résumé du repérage", "التاريخ",
                               "Orienter maintenant", "Signature de l'intervieweur", "(ar)"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " in\n" << text;
}

TEST(Coverage, CellsOfFewerThanFivePersonsAreSuppressed) {
  std::vector<EncounterRow> rows;
  for (int64_t p = 1; p <= 6; ++p) rows.push_back({"2026-01", "border", p, "NG", "no_indication"});
  for (int64_t p = 7; p <= 10; ++p) rows.push_back({"2026-01", "hotline", p, "NG", std::nullopt});
  rows.push_back({"2026-02", "border", 11, "NG", "presumed_trafficking"});
  auto cov = compute_coverage(rows, "NL");
  ASSERT_EQ(cov.cells.size(), 3u);
  suppress_small_cells(cov);
  ASSERT_EQ(cov.cells.size(), 1u);
  EXPECT_EQ(cov.cells[0].source, "border");
  EXPECT_EQ(cov.cells[0].encountered, 6);
  EXPECT_EQ(cov.suppressed_cells, 2);
  EXPECT_EQ(cov.totals.encountered, 11);  // the totals cover 11 persons
  auto j = to_json(cov);
  EXPECT_EQ(j["suppressed_cells"], 2);
  EXPECT_EQ(j["totals_suppressed"], false);
  // Totals of fewer than five are suppressed too.
  auto few = compute_coverage({{"2026-03", "police", 1, "NL", "presumed_trafficking"}}, "NL");
  suppress_small_cells(few);
  EXPECT_TRUE(few.cells.empty());
  EXPECT_TRUE(few.totals_suppressed);
  EXPECT_EQ(few.totals.presumed, 0);
}

}  // namespace
}  // namespace ctip::screen
