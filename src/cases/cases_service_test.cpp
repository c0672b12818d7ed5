// The case management service over a real store (SQLite, and PostgreSQL under ctest's pg
// label): cases opened by screening get their file on first use; every read is audited; who
// sees a case (organisation, shares, investigators) is enforced; consent gates sharing,
// transfers and the export; bad input and missing consent leave nothing half-written; notes are
// append-only; alerts and overdue tasks follow their thresholds; the HTCDS export reads back
// through the flows importer.
#include "cases/cases_service.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/trust_store.h"
#include "auth/account_service.h"
#include "auth/testing.h"
#include "cases/case_file.h"
#include "core/error.h"
#include "core/time.h"
#include "flows/import.h"
#include "screen/intake.h"
#include "screen/screening_service.h"
#include "store/testing.h"

namespace ctip::cases {
namespace {

struct Fixture {
  store::testing::TestDatabase db;
  std::unique_ptr<store::Store> store = db.open();
  audit::DirectoryTrustStore trust{db.dir()};
  audit::AuditLog log{*store, trust};
  auth::Actor op = auth::Actor::operator_named("cli");
  auth::AccountService accounts{*store, log};
  auth::User worker_user = auth::testing::create_user(
      *store, log, op, {"worker", "long-enough-pass", "NGO A", "service_provider", "caseworker"});
  auth::User other_user = auth::testing::create_user(
      *store, log, op, {"other", "long-enough-pass", "NGO B", "service_provider", "caseworker"});
  auth::User police_user = auth::testing::create_user(
      *store, log, op,
      {"detective", "long-enough-pass", "Police", "law_enforcement", "investigator"});
  auth::Actor worker = auth::Actor::user(worker_user, auth::Scope::organisation);
  auth::Actor other = auth::Actor::user(other_user, auth::Scope::organisation);
  auth::Actor police = auth::Actor::user(police_user, auth::Scope::organisation);
  screen::ScreeningService screenings{*store, log};
  CasesService svc{*store, log};
  std::string today = now_iso().substr(0, 10);
  int serial = 0;

  // A screening of possible trafficking (it opens a case); returns the case id.
  int64_t screened_case(const auth::Actor& by) {
    Json body = {
        {"person", {{"reference", "PERSON-" + std::to_string(++serial)}, {"nationality", "RO"}}},
        {"encounter", {{"source", "labour_inspection"}, {"date", "2026-03-04"}}},
        {"language", "en"},
        {"profile", "adult_labour"},
        {"age", 24},
        {"answers",
         {{"cd_debt_bondage", "yes"},
          {"cd_violence_on_victim", "yes"},
          {"ex_excessive_hours", "yes"},
          {"ex_low_or_no_pay", "yes"}}}};
    auto view = screenings.create_screening(by, screen::parse_new_screening(body, today));
    return view["case"]["id"].get<int64_t>();
  }
  int64_t count(const std::string& sql, const store::Params& params = {}) {
    int64_t n = 0;
    store->read([&](store::Connection& c) { n = c.query_row(sql, params).integer(0); });
    return n;
  }
  int64_t audited(const std::string& action) {
    audit::EntryFilter f;
    f.action = action;
    return static_cast<int64_t>(log.query(f, 1000).size());
  }
  void execute(const std::string& sql, const store::Params& params = {}) {
    store->write([&](store::Connection& c) { c.execute(sql, params); });
  }
};

template <typename Fn>
ErrorCode code_of(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error thrown";
  return ErrorCode::internal;
}

TEST(CasesService, AScreeningsCaseGetsItsFileOnFirstReadAndEveryReadIsAudited) {
  Fixture f;
  int64_t id = f.screened_case(f.worker);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM case_files"), 0) << "screening writes no case file";
  auto view = f.svc.get(f.worker, id);
  EXPECT_EQ(view["victim_status"], "possible");
  EXPECT_EQ(view["person"]["age"], 24);
  EXPECT_EQ(view["person"]["nationality"], "RO");
  EXPECT_EQ(view["screening"]["outcome"], "possible_trafficking");
  ASSERT_EQ(view["status_history"].size(), 1u);
  EXPECT_TRUE(view["status_history"][0]["from"].is_null());
  bool screening_in_timeline = false;
  for (const auto& e : view["timeline"]) screening_in_timeline |= e["kind"] == "screening";
  EXPECT_TRUE(screening_in_timeline);
  f.svc.get(f.worker, id);
  EXPECT_EQ(f.audited("cases.read"), 2) << "one audit entry per read of personal data";
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM case_files"), 1);
  auto list = f.svc.list(f.worker, {});
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(f.audited("cases.list"), 1);
}

TEST(CasesService, OpensACaseForAScreeningWithoutOneOnlyInTheOwnOrganisation) {
  Fixture f;
  Json body = {{"person", {{"reference", "QQ-1"}}},
               {"encounter", {{"source", "hotline"}, {"date", "2026-03-04"}}},
               {"language", "en"},
               {"profile", "adult_sexual"},
               {"age", 30},
               {"answers", {{"ex_excessive_hours", "yes"}}}};
  auto s = f.screenings.create_screening(f.worker, screen::parse_new_screening(body, f.today));
  ASSERT_TRUE(s["case"].is_null());
  int64_t screening = s["screening"]["id"].get<int64_t>();
  NewCase in = parse_new_case({{"screening_id", screening}, {"sex", "female"}}, 2026);
  EXPECT_EQ(code_of([&] { f.svc.create(f.other, in); }), ErrorCode::not_found);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM cases"), 0);
  auto view = f.svc.create(f.worker, in);
  EXPECT_EQ(view["person"]["sex"], "female");
  EXPECT_EQ(view["opened_status"], "indicators");
  EXPECT_EQ(code_of([&] { f.svc.create(f.worker, in); }), ErrorCode::conflict);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM cases"), 1);
}

TEST(CasesService, VictimStatusChangesAreKeptInTheHistory) {
  Fixture f;
  int64_t id = f.screened_case(f.worker);
  f.svc.set_status(f.worker, id, {"presumed", "indicators confirmed at interview"});
  auto view = f.svc.set_status(f.worker, id, {"confirmed", "identified by the NRM"});
  EXPECT_EQ(view["victim_status"], "confirmed");
  ASSERT_EQ(view["status_history"].size(), 3u);
  EXPECT_EQ(view["status_history"][2]["from"], "presumed");
  EXPECT_EQ(view["status_history"][2]["reason"], "identified by the NRM");
  EXPECT_EQ(code_of([&] {
              f.svc.set_status(f.worker, id, {"confirmed", "again"});
            }),
            ErrorCode::conflict);
  EXPECT_EQ(f.audited("cases.status"), 2);
}

TEST(CasesService, OtherOrganisationsAndInvestigatorsSeeOnlyWhatIsShared) {
  Fixture f;
  int64_t id = f.screened_case(f.worker);
  EXPECT_EQ(code_of([&] { f.svc.get(f.other, id); }), ErrorCode::not_found);
  EXPECT_EQ(code_of([&] { f.svc.get(f.police, id); }), ErrorCode::not_found);
  EXPECT_EQ(f.audited("access.denied"), 2);
  EXPECT_TRUE(f.svc.list(f.police, {}).empty());

  // No consent for law enforcement: refused, nothing shared.
  EXPECT_EQ(code_of([&] { f.svc.share_with_law_enforcement(f.worker, id, *f.police.org_id); }),
            ErrorCode::conflict);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM case_shares"), 0);
  // Not a law-enforcement organisation.
  f.svc.record_consent(f.worker, id, {"law_enforcement", true});
  EXPECT_EQ(code_of([&] { f.svc.share_with_law_enforcement(f.worker, id, *f.other.org_id); }),
            ErrorCode::invalid_argument);
  f.svc.share_with_law_enforcement(f.worker, id, *f.police.org_id);
  auto seen = f.svc.get(f.police, id);
  EXPECT_EQ(seen["access"], "shared");
  EXPECT_FALSE(seen.contains("consents")) << "a shared viewer does not see the consents";
  EXPECT_EQ(f.svc.list(f.police, {}).size(), 1u);
  EXPECT_EQ(code_of([&] { f.svc.get(f.other, id); }), ErrorCode::not_found);
  // A shared viewer adds to the justice track, but does not change the case file.
  f.svc.add_proceeding(f.police,
                       parse_proceeding({{"case_id", id}, {"kind", "investigation"}}, f.today));
  EXPECT_EQ(code_of([&] {
              f.svc.set_status(f.police, id, {"confirmed", "x"});
            }),
            ErrorCode::permission_denied);
  // Notes of the owner stay with the owner.
  f.svc.add_note(f.worker, id, {"met at the shelter"});
  f.svc.add_note(f.police, id, {"statement taken"});
  EXPECT_EQ(f.svc.get(f.police, id)["notes"].size(), 1u);
  EXPECT_EQ(f.svc.get(f.worker, id)["notes"].size(), 2u);

  // Withdrawing the consent ends the share.
  auto r = f.svc.record_consent(f.worker, id, {"law_enforcement", false});
  EXPECT_EQ(r["shares_ended"], 1);
  EXPECT_EQ(code_of([&] { f.svc.get(f.police, id); }), ErrorCode::not_found);
}

TEST(CasesService, ATransferNeedsTheTransferConsentAndMovesTheWholeCase) {
  Fixture f;
  int64_t id = f.screened_case(f.worker);
  f.svc.record_consent(f.worker, id, {"services", true});  // not the transfer purpose
  EXPECT_EQ(code_of([&] {
              f.svc.transfer(f.worker, id, {*f.other.org_id, "moved"});
            }),
            ErrorCode::conflict);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM case_transfers"), 0);
  EXPECT_EQ(f.count("SELECT org_id FROM cases WHERE id = ?", {id}), *f.worker.org_id);
  EXPECT_EQ(f.audited("cases.transfer"), 0);
  f.svc.record_consent(f.worker, id, {"transfer", true});
  f.svc.transfer(f.worker, id, {*f.other.org_id, "moved to another city"});
  EXPECT_EQ(f.count("SELECT org_id FROM cases WHERE id = ?", {id}), *f.other.org_id);
  EXPECT_EQ(f.svc.get(f.other, id)["access"], "owner");
  EXPECT_EQ(f.svc.get(f.worker, id)["access"], "shared") << "the giver keeps a transfer share";
  EXPECT_EQ(code_of([&] {
              f.svc.transfer(f.worker, id, {*f.worker.org_id, "back"});
            }),
            ErrorCode::permission_denied);
  EXPECT_EQ(f.audited("cases.transfer"), 1);
}

TEST(CasesService, PermitsRaiseAlertsAtConfigurableThresholds) {
  Fixture f;
  int64_t id = f.screened_case(f.worker);
  std::string long_ago = add_days(f.today, -45);
  f.svc.add_permit(f.worker, id,
                   parse_permit({{"kind", "work_permit"}, {"requested_on", long_ago}}, f.today));
  auto issued = f.svc.add_permit(f.worker, id,
                                 parse_permit({{"kind", "temporary_residence"},
                                               {"status", "issued"},
                                               {"requested_on", long_ago},
                                               {"decided_on", add_days(f.today, -10)},
                                               {"expires_on", add_days(f.today, 20)}},
                                              f.today));
  auto a = f.svc.alerts(f.worker, f.today, std::nullopt, std::nullopt, std::nullopt);
  ASSERT_EQ(a["alerts"].size(), 2u) << a.dump();
  EXPECT_EQ(a["alerts"][0]["kind"], "permit_expiring");
  EXPECT_EQ(a["alerts"][1]["kind"], "permit_pending");
  EXPECT_EQ(a["alerts"][1]["days"], 45);
  // The deployment's settings move the thresholds; a request's own win.
  f.execute("INSERT INTO settings (key, value) VALUES ('cases.permit_pending_days', '60')");
  f.execute("INSERT INTO settings (key, value) VALUES ('cases.permit_expiry_days', '10')");
  a = f.svc.alerts(f.worker, f.today, std::nullopt, std::nullopt, std::nullopt);
  EXPECT_EQ(a["alerts"].size(), 0u) << a.dump();
  EXPECT_EQ(a["thresholds"]["permit_pending_days"], 60);
  a = f.svc.alerts(f.worker, f.today, 30, std::nullopt, std::nullopt);
  EXPECT_EQ(a["alerts"].size(), 1u);
  // Another organisation sees none of them.
  EXPECT_EQ(f.svc.alerts(f.other, f.today, 1, 365, 1)["alerts"].size(), 0u);
  // A decision before the application is refused; the permit stays as it was.
  int64_t pid = issued["permit"]["id"].get<int64_t>();
  EXPECT_EQ(code_of([&] {
              f.svc.update_permit(
                  f.worker, pid,
                  parse_permit_update(
                      {{"status", "refused"}, {"decided_on", add_days(long_ago, -1)}}, f.today));
            }),
            ErrorCode::invalid_argument);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM case_permits WHERE status = 'issued'"), 1);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM case_permits WHERE tied_to_employer = 1"), 0);
}

TEST(CasesService, ProceedingsStallUntilSomethingHappens) {
  Fixture f;
  int64_t id = f.screened_case(f.worker);
  auto p = f.svc.add_proceeding(f.worker, parse_proceeding({{"case_id", id},
                                                            {"kind", "trial"},
                                                            {"essential", true},
                                                            {"opened_on", add_days(f.today, -120)}},
                                                           f.today));
  int64_t pid = p["proceeding"]["id"].get<int64_t>();
  auto a = f.svc.alerts(f.worker, f.today, std::nullopt, std::nullopt, std::nullopt);
  ASSERT_EQ(a["alerts"].size(), 1u);
  EXPECT_EQ(a["alerts"][0]["kind"], "proceeding_stalled");
  EXPECT_EQ(a["alerts"][0]["days"], 120);
  f.svc.add_hearing(f.worker, pid,
                    parse_hearing({{"scheduled_on", add_days(f.today, 14)},
                                   {"interpreter_needed", true},
                                   {"interpreter_language", "ro"},
                                   {"essential", true}}));
  a = f.svc.alerts(f.worker, f.today, std::nullopt, std::nullopt, std::nullopt);
  EXPECT_EQ(a["alerts"].size(), 0u) << "scheduling a hearing is activity";
  auto view = f.svc.get(f.worker, id);
  ASSERT_EQ(view["proceedings"].size(), 1u);
  EXPECT_EQ(view["proceedings"][0]["hearings"][0]["interpreter_language"], "ro");
  f.svc.update_proceeding(
      f.worker, pid,
      parse_proceeding_update({{"status", "decided"}, {"outcome", "conviction"}}, f.today));
  EXPECT_EQ(f.svc.list_proceedings(f.worker)[0]["status"], "decided");
  EXPECT_TRUE(f.svc.list_proceedings(f.other).empty());
  EXPECT_EQ(code_of([&] {
              f.svc.add_proceeding(f.other,
                                   parse_proceeding({{"case_id", id}, {"kind", "trial"}}, f.today));
            }),
            ErrorCode::not_found);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM case_proceedings"), 1);
  try {
    f.svc.add_proceeding(f.other, parse_proceeding({{"case_id", id}, {"kind", "appeal"}}, f.today));
    ADD_FAILURE() << "another organisation's case";
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "case_id") << "the error names the body's field";
  }
  EXPECT_EQ(f.audited("access.denied"), 2) << "each refusal audited";
}

TEST(CasesService, NotesAreAppendOnlyCorrectionsAreNewVersions) {
  Fixture f;
  int64_t id = f.screened_case(f.worker);
  auto n = f.svc.add_note(f.worker, id, {"lives at address A"});
  int64_t note = n["note"]["note_id"].get<int64_t>();
  f.svc.correct_note(f.worker, note, {"lives at address B"});
  auto third = f.svc.correct_note(f.worker, note, {"lives at address C"});
  EXPECT_EQ(third["note"]["version"], 3);
  auto view = f.svc.get(f.worker, id);
  ASSERT_EQ(view["notes"].size(), 1u);
  EXPECT_EQ(view["notes"][0]["versions"].size(), 3u);
  EXPECT_EQ(view["notes"][0]["versions"][0]["body"], "lives at address A");
  EXPECT_EQ(view["notes"][0]["current"]["body"], "lives at address C");
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM case_notes"), 3);
  EXPECT_EQ(f.audited("cases.note"), 1);
  EXPECT_EQ(f.audited("cases.note.correct"), 2);
  EXPECT_EQ(code_of([&] { f.svc.correct_note(f.other, note, {"x"}); }), ErrorCode::not_found);
  EXPECT_EQ(code_of([&] { f.svc.correct_note(f.worker, 987654, {"x"}); }), ErrorCode::not_found);
}

TEST(CasesService, OverdueTasksPerUser) {
  Fixture f;
  int64_t id = f.screened_case(f.worker);
  f.svc.add_task(f.worker, id,
                 parse_task({{"kind", "permit_renewal"},
                             {"title", "renew the permit"},
                             {"due_on", add_days(f.today, -3)}}));
  f.svc.add_task(f.worker, id, parse_task({{"title", "later"}, {"due_on", add_days(f.today, 3)}}));
  auto o = f.svc.overdue_tasks(f.worker, true, f.today);
  ASSERT_EQ(o["tasks"].size(), 1u);
  EXPECT_EQ(o["tasks"][0]["days_overdue"], 3);
  EXPECT_TRUE(f.svc.overdue_tasks(f.other, false, f.today)["tasks"].empty());
  EXPECT_EQ(
      code_of([&] {
        f.svc.add_task(
            f.worker, id,
            parse_task({{"title", "x"}, {"due_on", f.today}, {"assigned_to", f.other_user.id}}));
      }),
      ErrorCode::invalid_argument);
  f.svc.set_task_done(f.worker, o["tasks"][0]["id"].get<int64_t>(), true);
  EXPECT_TRUE(f.svc.overdue_tasks(f.worker, true, f.today)["tasks"].empty());
}

TEST(CasesService, TheHtcdsExportHasOnlyConsentingCasesAndReadsBackThroughFlows) {
  Fixture f;
  int64_t a = f.screened_case(f.worker);
  int64_t b = f.screened_case(f.worker);
  f.screened_case(f.other);
  f.svc.get(f.worker, a);
  f.svc.update(f.worker, a,
               parse_case_update({{"sex", "female"}, {"exploitation", "ForcedLabour"}}, 2026));
  f.svc.record_consent(f.worker, a, {"statistics", true});
  f.svc.record_consent(f.worker, b, {"statistics", true});
  f.svc.record_consent(f.worker, b, {"statistics", false});  // withdrawn: the last row counts
  Json summary;
  std::string csv = f.svc.export_htcds(f.worker, summary);
  EXPECT_EQ(summary["rows"], 1);
  EXPECT_EQ(summary["excluded_without_consent"], 1);
  EXPECT_EQ(f.audited("cases.export"), 1);
  std::istringstream in(csv);
  auto imported = flows::import_table(in, flows::Format::htcds);
  EXPECT_EQ(imported.summary.rows_read, 1u);
  EXPECT_EQ(imported.summary.imported, 1u);
  EXPECT_EQ(imported.summary.error_count, 0u);
  EXPECT_NE(csv.find("Feminine,24,RO,"), std::string::npos) << csv;
  // The operator exports every organisation's consenting cases.
  std::string all = f.svc.export_htcds(f.op, summary);
  EXPECT_EQ(summary["excluded_without_consent"], 2);
}

TEST(CasesService, BadInputLeavesNothingHalfWritten) {
  Fixture f;
  int64_t id = f.screened_case(f.worker);
  f.svc.get(f.worker, id);
  // An assignee of another organisation: refused, the person fields of the same request unset.
  EXPECT_EQ(code_of([&] {
              f.svc.update(
                  f.worker, id,
                  parse_case_update({{"region", "North"}, {"assigned_to", f.other_user.id}}, 2026));
            }),
            ErrorCode::invalid_argument);
  EXPECT_EQ(f.count("SELECT COUNT(*) FROM case_files WHERE region IS NOT NULL"), 0);
  auto closed = f.svc.update(
      f.worker, id, parse_case_update({{"closed", true}, {"closure_reason", "recovered"}}, 2026));
  EXPECT_FALSE(closed["closed_at"].is_null());
  EXPECT_EQ(f.audited("cases.close"), 1);
}

}  // namespace
}  // namespace ctip::cases
