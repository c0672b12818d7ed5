// The services of case management over a real store (SQLite, and PostgreSQL under ctest's pg
// label): provider imports land whole or not at all; referrals check consent, capacity and
// eligibility, move through their states and keep occupancy right; the investigation queue is
// ranked and narrowed to the investigator's organisation; the dashboards count from the tables
// with small cells withheld.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "audit/trust_store.h"
#include "auth/accounts.h"
#include "auth/testing.h"
#include "cases/services/dashboard_service.h"
#include "cases/services/investigation_service.h"
#include "cases/services/provider_service.h"
#include "cases/services/referral_service.h"
#include "cases/services/test_support.h"
#include "store/testing.h"

namespace ctip::cases::services {
namespace {

using testing::CaseFields;
using testing::make_case;

class ServicesStore : public ::testing::Test {
 protected:
  void SetUp() override {
    store = db.open();
    trust = std::make_unique<audit::DirectoryTrustStore>(db.dir());
    audit = std::make_unique<audit::AuditLog>(*store, *trust);
    store->write([&](store::Connection& c) {
      ngo = auth::testing::create_user(
          c, {"ngo.caseworker", "correct horse battery", "NGO", "service_provider", "caseworker"});
      shelter_staff =
          auth::testing::create_user(c, {"shelter.caseworker", "correct horse battery",
                                         "Shelter House", "service_provider", "caseworker"});
      police = auth::testing::create_user(c, {"police.investigator", "correct horse battery",
                                              "Police", "law_enforcement", "investigator"});
      police2 = auth::testing::create_user(c, {"police.second", "correct horse battery", "Police",
                                               "law_enforcement", "investigator"});
      other_police =
          auth::testing::create_user(c, {"other.investigator", "correct horse battery",
                                         "Border Police", "law_enforcement", "investigator"});
    });
  }
  void TearDown() override {
    audit.reset();
    trust.reset();
    store.reset();
  }
  static auth::Actor as(const auth::User& u) {
    return auth::Actor::user(u, auth::Scope::organisation);
  }
  int64_t count(const std::string& sql, const store::Params& p = {}) {
    int64_t n = 0;
    store->read([&](store::Connection& c) { n = c.query_row(sql, p).integer(0); });
    return n;
  }
  int64_t audit_count(const std::string& action) {
    audit::EntryFilter f;
    f.action = action;
    return static_cast<int64_t>(audit->query(f, 1000).size());
  }
  int64_t add_provider(const Provider& p) {
    ProviderService svc(*store, *audit);
    return svc.create(auth::Actor::operator_named("cli"), p)["id"].get<int64_t>();
  }
  Provider shelter(std::string name, int64_t capacity, int64_t occupancy = 0) {
    Provider p;
    p.name = std::move(name);
    p.services = {ServiceType::shelter};
    p.region = "North";
    p.languages = {"en"};
    p.capacity = capacity;
    p.occupancy = occupancy;
    return p;
  }
  int64_t occupancy(int64_t provider) {
    return count("SELECT occupancy FROM providers WHERE id = ?", {provider});
  }

  store::testing::TestDatabase db;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<audit::DirectoryTrustStore> trust;
  std::unique_ptr<audit::AuditLog> audit;
  auth::User ngo, shelter_staff, police, police2, other_police;
};

NewReferral ref(int64_t kase, int64_t provider, ServiceType service, bool interpreter = false) {
  NewReferral r;
  r.case_id = kase;
  r.provider_id = provider;
  r.service = service;
  r.interpreter_needed = interpreter;
  return r;
}

template <typename F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  return Error(ErrorCode::internal, "no error", "none");
}

TEST_F(ServicesStore, AProviderFileWithABadRowImportsNothingAndAGoodOneImportsAll) {
  ProviderService svc(*store, *audit);
  auto cli = auth::Actor::operator_named("cli");
  std::ifstream bad(std::string(CTIP_SERVICES_TESTDATA) + "/providers_bad.csv");
  try {
    svc.import_csv(cli, bad);
    FAIL() << "bad rows must reject the file";
  } catch (const ProvidersRejected& e) {
    EXPECT_EQ(e.field(), "line 3");
    EXPECT_EQ(e.problems.size(), 3u);
    EXPECT_NE(std::string(e.what()).find("nothing was imported"), std::string::npos);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM providers"), 0);
  EXPECT_EQ(audit_count("providers.import"), 0);

  std::ifstream good(std::string(CTIP_SERVICES_TESTDATA) + "/providers.csv");
  auto out = svc.import_csv(cli, good);
  EXPECT_EQ(out["imported"], 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM providers"), 2);
  EXPECT_EQ(count("SELECT COUNT(*) FROM provider_services"), 4);
  EXPECT_EQ(audit_count("providers.import"), 1);
  auto list = svc.list({});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["free_places"], 8);
  EXPECT_EQ(list[0]["eligibility"]["min_age"], 18);
  repository::ProviderFilter legal;
  legal.service = ServiceType::legal_aid;
  EXPECT_EQ(svc.list(legal).size(), 1u);

  // A provider naming an organisation that does not exist rolls the whole file back.
  std::istringstream unknown_org(
      "name,services,languages,interpreter,region,location,sexes,min_age,max_age,nationalities,"
      "documentation,capacity,occupancy,funding_this_year,funding_baseline,org_id\n"
      "A,shelter,ro,no,N,,,,,,,1,0,0,0,\nB,shelter,ro,no,N,,,,,,,1,0,0,0,999\n");
  EXPECT_EQ(error_of([&] { svc.import_csv(cli, unknown_org); }).field(), "org_id");
  EXPECT_EQ(count("SELECT COUNT(*) FROM providers"), 2);
}

TEST_F(ServicesStore, AReferralMovesFromSentToCompletedAndKeepsOccupancyRight) {
  auto p = shelter("Shelter House beds", 3, 1);
  p.org_id = shelter_staff.org.id;
  int64_t provider = add_provider(p);
  int64_t kase = make_case(*store, *audit, ngo, "R-1", {.languages = "ro,en"});
  ReferralService svc(*store, *audit);
  NewReferral in{kase, provider, ServiceType::shelter, true, {}, "needs a safe place tonight"};
  auto sent = svc.create(as(ngo), in);
  EXPECT_EQ(sent["status"], "sent");
  EXPECT_EQ(sent["region"], "North");
  EXPECT_FALSE(sent["match_reasons"].empty());
  EXPECT_EQ(occupancy(provider), 1);  // a sent referral holds no place yet
  int64_t id = sent["id"].get<int64_t>();

  // The same referral twice is refused while it is open.
  EXPECT_EQ(error_of([&] { svc.create(as(ngo), in); }).code(), ErrorCode::conflict);
  // The referring organisation does not answer for a provider in ctip; the provider does.
  EXPECT_EQ(error_of([&] { svc.respond(as(ngo), id, "accepted", ""); }).code(),
            ErrorCode::permission_denied);
  // Declining needs a reason.
  EXPECT_EQ(error_of([&] { svc.respond(as(shelter_staff), id, "declined", ""); }).field(),
            "reason");
  // The shelter sees the referral addressed to it; another organisation does not.
  EXPECT_EQ(svc.get(as(shelter_staff), id)["case_id"], kase);
  EXPECT_EQ(error_of([&] { svc.get(as(police), id); }).code(), ErrorCode::not_found);
  EXPECT_EQ(svc.list(as(police), std::nullopt, 100).size(), 0u);
  EXPECT_EQ(svc.list(as(shelter_staff), std::nullopt, 100).size(), 1u);
  // Completing a referral that was not accepted is refused.
  EXPECT_EQ(error_of([&] { svc.complete(as(ngo), id, ""); }).field(), "status");

  auto accepted = svc.respond(as(shelter_staff), id, "accepted", "a room on the first floor");
  EXPECT_EQ(accepted["status"], "accepted");
  EXPECT_EQ(accepted["response_reason"], "a room on the first floor");
  EXPECT_EQ(occupancy(provider), 2);
  // The case is shared with the provider's organisation.
  EXPECT_EQ(count("SELECT COUNT(*) FROM case_shares WHERE case_id = ? AND org_id = ? AND reason = "
                  "'referral'",
                  {kase, shelter_staff.org.id}),
            1);
  EXPECT_EQ(error_of([&] { svc.respond(as(shelter_staff), id, "declined", "x"); }).field(),
            "status");

  auto done = svc.complete(as(shelter_staff), id, "moved to own flat");
  EXPECT_EQ(done["status"], "completed");
  EXPECT_EQ(done["completion_note"], "moved to own flat");
  EXPECT_EQ(occupancy(provider), 1);
  for (const char* action : {"referrals.create", "referrals.accept", "referrals.complete"})
    EXPECT_EQ(audit_count(action), 1) << action;
}

TEST_F(ServicesStore, AReferralWithoutConsentCapacityOrEligibilityIsRefusedSayingWhy) {
  int64_t open = add_provider(shelter("Open shelter", 5));
  int64_t full = add_provider(shelter("Full shelter", 2, 2));
  auto men = shelter("Men's shelter", 5);
  men.eligibility.sexes = {"male"};
  int64_t men_only = add_provider(men);
  auto english = shelter("English only", 5);
  int64_t english_only = add_provider(english);
  ReferralService svc(*store, *audit);

  int64_t no_consent = make_case(*store, *audit, ngo, "R-2", {.consent_services = false});
  auto e = error_of([&] { svc.create(as(ngo), ref(no_consent, open, ServiceType::shelter)); });
  EXPECT_EQ(e.code(), ErrorCode::conflict);
  EXPECT_EQ(e.field(), "consent");
  // Consent withdrawn after being given: the newest row is in force.
  int64_t withdrawn = make_case(*store, *audit, ngo, "R-3");
  store->write([&](store::Connection& c) {
    c.execute(
        "INSERT INTO case_consents (case_id, purpose, granted, recorded_at) VALUES (?, "
        "'services', 0, '2026-06-02T00:00:00Z')",
        {withdrawn});
  });
  EXPECT_EQ(
      error_of([&] { svc.create(as(ngo), ref(withdrawn, open, ServiceType::shelter)); }).field(),
      "consent");

  int64_t kase = make_case(*store, *audit, ngo, "R-4", {.languages = "ro"});
  e = error_of([&] { svc.create(as(ngo), ref(kase, full, ServiceType::shelter)); });
  EXPECT_EQ(e.field(), "capacity");
  EXPECT_NE(std::string(e.what()).find("no free place"), std::string::npos) << e.what();
  e = error_of([&] { svc.create(as(ngo), ref(kase, men_only, ServiceType::shelter)); });
  EXPECT_EQ(e.field(), "sex");
  e = error_of([&] { svc.create(as(ngo), ref(kase, open, ServiceType::legal_aid)); });
  EXPECT_EQ(e.field(), "service");
  e = error_of([&] { svc.create(as(ngo), ref(kase, english_only, ServiceType::shelter, true)); });
  EXPECT_EQ(e.field(), "language");
  // Another organisation cannot refer the case (it looks absent).
  e = error_of([&] { svc.create(as(shelter_staff), ref(kase, open, ServiceType::shelter)); });
  EXPECT_EQ(e.code(), ErrorCode::not_found);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_referrals"), 0);
  EXPECT_EQ(audit_count("referrals.create"), 0);
}

TEST_F(ServicesStore, TheLastPlaceGoesToTheFirstAcceptanceOnly) {
  int64_t provider = add_provider(shelter("Outside ctip", 1));  // no organisation: referrer answers
  ReferralService svc(*store, *audit);
  int64_t a = make_case(*store, *audit, ngo, "R-5");
  int64_t b = make_case(*store, *audit, ngo, "R-6");
  int64_t ra = svc.create(as(ngo), ref(a, provider, ServiceType::shelter))["id"].get<int64_t>();
  int64_t rb = svc.create(as(ngo), ref(b, provider, ServiceType::shelter))["id"].get<int64_t>();
  svc.respond(as(ngo), ra, "accepted", "phoned the shelter");
  auto e = error_of([&] { svc.respond(as(ngo), rb, "accepted", ""); });
  EXPECT_EQ(e.field(), "capacity");
  EXPECT_EQ(occupancy(provider), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_referrals WHERE status = 'sent'"), 1);
  svc.respond(as(ngo), rb, "declined", "full");
  EXPECT_EQ(count("SELECT COUNT(*) FROM service_referrals WHERE status = 'declined'"), 1);
}

TEST_F(ServicesStore, MatchingForACaseReadsItsPersonFieldsAndExplainsExclusions) {
  add_provider(shelter("South shelter", 5));
  auto north = shelter("North shelter", 5, 4);
  north.languages = {"ro"};
  int64_t north_id = add_provider(north);
  auto kids = shelter("Children's home", 5);
  kids.eligibility.max_age = 17;
  int64_t kids_id = add_provider(kids);
  store->write([&](store::Connection& c) {
    c.execute("UPDATE providers SET region = 'South' WHERE name = 'South shelter'");
  });
  int64_t kase = make_case(*store, *audit, ngo, "M-1", {.age = 30, .languages = "ro"});
  ProviderService svc(*store, *audit);
  MatchRequest req;
  req.case_id = kase;
  req.needs.services = {ServiceType::shelter};
  req.needs.interpreter_needed = true;
  req.include_excluded = true;
  auto out = svc.match(as(ngo), req);
  EXPECT_EQ(out["needs"]["age"], 30);
  EXPECT_EQ(out["needs"]["region"], "North");
  ASSERT_EQ(out["ranked"].size(), 1u);
  EXPECT_EQ(out["ranked"][0]["provider"]["id"], north_id);
  ASSERT_EQ(out["excluded"].size(), 2u);  // South: no Romanian; children's home: age
  bool age_reason = false;
  for (const auto& x : out["excluded"])
    if (x["provider"]["id"] == kids_id) age_reason = x["reasons"][0]["code"] == "age";
  EXPECT_TRUE(age_reason);
  EXPECT_EQ(audit_count("referrals.match"), 1);
  EXPECT_EQ(error_of([&] { svc.match(as(shelter_staff), req); }).code(), ErrorCode::not_found);
}

TEST_F(ServicesStore, TheInvestigationQueueIsRankedExplainedAndNarrowedToTheOrganisation) {
  int64_t child =
      make_case(*store, *audit, ngo, "I-1", {.age = 15, .consent_law_enforcement = true});
  int64_t adult =
      make_case(*store, *audit, ngo, "I-2", {.age = 35, .consent_law_enforcement = true});
  testing::share_for_law_enforcement(*store, child, police.org.id);
  testing::share_for_law_enforcement(*store, adult, police.org.id);
  InvestigationService svc(*store, *audit);
  auto network = svc.open(as(police), std::nullopt, std::string("network-42"), police2.id);
  int64_t inv = network["id"].get<int64_t>();
  svc.set_priority(as(police), "investigation", inv,
                   {{"network_risk", 0.9}, {"victims", 12}, {"ongoing_exploitation", 1}});

  auto q = svc.queue(as(police), std::nullopt);
  EXPECT_EQ(q["model"], "priority-v1");
  ASSERT_EQ(q["items"].size(), 3u);
  // network: 18 + 40 + 25 = 83; the child's case: 30 (age < 18); the adult's: 0.
  EXPECT_EQ(q["items"][0]["kind"], "investigation");
  EXPECT_DOUBLE_EQ(q["items"][0]["score"].get<double>(), 83);
  EXPECT_EQ(q["items"][1]["case_id"], child);
  EXPECT_DOUBLE_EQ(q["items"][1]["score"].get<double>(), 30);
  EXPECT_EQ(q["items"][2]["case_id"], adult);
  EXPECT_EQ(q["items"][0]["explanation"].size(), 6u);
  // Recording inputs on the adult's case moves it up.
  svc.set_priority(as(police), "case", adult,
                   {{"violence", 1}, {"ongoing_exploitation", 1}, {"evidence_strength", 2}});
  q = svc.queue(as(police), std::nullopt);
  EXPECT_EQ(q["items"][1]["case_id"], adult);  // 20 + 25 + 10 = 55
  // Workload: police2 holds the open investigation.
  bool counted = false;
  for (const auto& w : q["workload"])
    if (w["user_id"] == police2.id) counted = w["open"] == 1;
  EXPECT_TRUE(counted);

  // Another police organisation sees none of it and cannot touch it.
  EXPECT_EQ(svc.queue(as(other_police), std::nullopt)["items"].size(), 0u);
  EXPECT_EQ(error_of([&] {
              svc.set_priority(as(other_police), "case", child, {{"violence", 1}});
            }).code(),
            ErrorCode::not_found);
  EXPECT_EQ(error_of([&] { svc.open(as(other_police), child, std::nullopt, std::nullopt); }).code(),
            ErrorCode::not_found);
  // Bad inputs are refused naming the input.
  EXPECT_EQ(error_of([&] {
              svc.set_priority(as(police), "case", child, {{"network_risk", 2}});
            }).field(),
            "network_risk");

  // Opening an investigation of the child's case takes it off the "referred" list.
  int64_t inv2 = svc.open(as(police), child, std::nullopt, police.id)["id"].get<int64_t>();
  q = svc.queue(as(police), std::nullopt);
  EXPECT_EQ(q["items"].size(), 3u);
  // Field visits with safety notes.
  auto visit = svc.add_visit(
      as(police), inv2,
      {"2026-07-01", "Farm, north road", "stab vests", "dogs; armed guard reported", ""});
  EXPECT_EQ(visit["protective_equipment"], "stab vests");
  EXPECT_EQ(svc.visits(as(police), inv2).size(), 1u);
  EXPECT_EQ(error_of([&] { svc.visits(as(other_police), inv2); }).code(), ErrorCode::not_found);
  EXPECT_EQ(error_of([&] {
              svc.add_visit(as(police), inv2, {"2026-02-30x", "", "", "x", ""});
            }).field(),
            "visit_on");
}

TEST_F(ServicesStore, TheDemoInvestigationsGiveTheDashboardABaselineAndTheQueueWork) {
  InvestigationService svc(*store, *audit);
  auto demo = auth::Actor::operator_named("demo");
  EXPECT_FALSE(svc.seed_demo(demo, "No such unit", "police.investigator", "2026-06-15"));
  EXPECT_TRUE(svc.seed_demo(demo, "Police", "police.investigator", "2026-06-15"));
  EXPECT_FALSE(svc.seed_demo(demo, "Police", "police.investigator", "2026-06-15"));  // once
  DashboardService dashboards(*store, *audit);
  auto inv = dashboards.investigations(as(police), {});
  EXPECT_DOUBLE_EQ(inv["baseline_monthly_mean"].get<double>(), 10);
  EXPECT_EQ(inv["months"].back()["month"], "2026-06");
  auto q = svc.queue(as(police), std::nullopt);
  EXPECT_EQ(q["items"].size(), 6u);  // two open in each of the last three months
  EXPECT_GT(q["items"][0]["score"].get<double>(), 0);
  EXPECT_EQ(svc.queue(as(other_police), std::nullopt)["items"].size(), 0u);
}

TEST_F(ServicesStore, DashboardsCountFromTheTablesAndWithholdSmallCells) {
  auto p = shelter("Shelter", 10, 3);
  p.funding_this_year = 60;
  p.funding_baseline = 100;
  int64_t provider = add_provider(p);
  ReferralService referrals(*store, *audit);
  std::vector<int64_t> cases;
  cases.reserve(6);
  for (int i = 0; i < 6; ++i)
    cases.push_back(make_case(*store, *audit, ngo, "D-" + std::to_string(i)));
  for (int i = 0; i < 6; ++i)
    referrals.create(as(ngo), ref(cases[i], provider, ServiceType::shelter));
  // Permits: 5 decided after 10, 20, 30, 40 and 100 days (median 30), one pending since
  // 2026-01-01; proceedings: 2 open, one idle since 2026-01-01.
  store->write([&](store::Connection& c) {
    const char* decided[] = {"2026-03-11", "2026-03-21", "2026-03-31", "2026-04-10", "2026-06-09"};
    for (int i = 0; i < 5; ++i)
      c.execute(
          "INSERT INTO case_permits (case_id, kind, status, requested_on, decided_on, "
          "created_at, updated_at) VALUES (?, 'temporary_residence', 'issued', "
          "'2026-03-01', ?, 'x', 'x')",
          {cases[i], std::string(decided[i])});
    c.execute(
        "INSERT INTO case_permits (case_id, kind, status, requested_on, created_at, "
        "updated_at) VALUES (?, 'work_permit', 'requested', '2026-01-01', 'x', 'x')",
        {cases[5]});
    c.execute(
        "INSERT INTO case_proceedings (case_id, kind, status, opened_on, last_activity_on, "
        "created_at, updated_at) VALUES (?, 'trial', 'open', '2025-06-01', '2026-01-01', "
        "'x', 'x'), (?, 'trial', 'open', '2026-06-01', '2026-06-20', 'x', 'x')",
        {cases[0], cases[1]});
    for (const char* at :
         {"2019-01-10", "2019-02-10", "2019-03-10", "2019-04-10", "2019-05-10", "2019-06-10",
          "2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05", "2026-06-06"})
      c.execute(
          "INSERT INTO investigations (org_id, opened_at, status, network_ref) VALUES (?, "
          "?, 'open', 'n')",
          {police.org.id, std::string(at) + "T09:00:00Z"});
  });
  DashboardService svc(*store, *audit);
  DashboardOptions o;
  o.today = "2026-07-01";
  o.days = 36500 / 10;
  auto cap = svc.capacity(as(ngo), o);
  ASSERT_EQ(cap["cells"].size(), 1u);
  EXPECT_EQ(cap["cells"][0]["capacity"], 10);
  EXPECT_EQ(cap["cells"][0]["free"], 7);
  EXPECT_EQ(cap["cells"][0]["demand"]["count"], 6);
  EXPECT_EQ(cap["cells"][0]["waiting"]["count"], 6);
  EXPECT_EQ(cap["cells"][0]["declined"]["count"], 0);
  // The shelter's organisation made no referral: its demand is 0, not someone else's.
  EXPECT_EQ(svc.capacity(as(shelter_staff), o)["cells"][0]["demand"]["count"], 0);

  auto fund = svc.funding(as(ngo));
  EXPECT_DOUBLE_EQ(fund["cells"][0]["ratio"].get<double>(), 0.6);
  EXPECT_EQ(fund["cells"][0]["providers_below_baseline"], 1);

  auto doc = svc.documentation(as(ngo), o);
  ASSERT_EQ(doc["decisions"].size(), 1u);
  EXPECT_EQ(doc["decisions"][0]["month"], "2026-03");
  EXPECT_EQ(doc["decisions"][0]["decided"]["count"], 5);
  EXPECT_EQ(doc["decisions"][0]["median_days"], 30);
  EXPECT_TRUE(doc["decisions"][0]["over_pending_days"]["suppressed"].get<bool>());  // 40, 100
  ASSERT_EQ(doc["pending"].size(), 1u);
  EXPECT_TRUE(doc["pending"][0]["pending"]["suppressed"].get<bool>());
  EXPECT_TRUE(doc["pending"][0]["median_days_pending"].is_null());

  auto justice = svc.justice(as(ngo), o);
  ASSERT_EQ(justice["kinds"].size(), 1u);
  EXPECT_TRUE(justice["kinds"][0]["stalled"]["suppressed"].get<bool>());  // 1 of 2, withheld

  auto inv = svc.investigations(as(police), o);
  EXPECT_DOUBLE_EQ(inv["baseline_monthly_mean"].get<double>(), 0.5);  // 6 in 2019 / 12
  bool june = false;
  for (const auto& m : inv["months"])
    if (m["month"] == "2026-06") june = m["opened"]["count"] == 6 && m["ratio_to_baseline"] == 12.0;
  EXPECT_TRUE(june);
  EXPECT_EQ(svc.investigations(as(ngo), o)["months"].size(), 0u);  // not the NGO's
}

}  // namespace
}  // namespace ctip::cases::services
