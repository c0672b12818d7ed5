// The pure engine of case management: input checks refuse bad input naming the field and the
// reason; alerts fire at their thresholds; the HTCDS row reads back as the standard's values.
#include "cases/case_file.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ctip::cases {
namespace {

// The field and message of the Error `fn` throws ("" when it throws none).
template <typename Fn>
std::pair<std::string, std::string> refusal(Fn fn) {
  try {
    fn();
  } catch (const Error& e) {
    return {e.field(), e.what()};
  }
  return {"", ""};
}

TEST(CaseDates, CalendarDatesOnly) {
  EXPECT_NO_THROW(check_day("2024-02-29", "d"));
  EXPECT_EQ(refusal([] { check_day("2023-02-29", "due_on"); }).first, "due_on");
  EXPECT_EQ(refusal([] { check_day("2023-13-01", "due_on"); }).first, "due_on");
  EXPECT_EQ(refusal([] { check_day("01/02/2023", "due_on"); }).first, "due_on");
  EXPECT_EQ(days_between("2026-01-01", "2026-03-01"), 59);
  EXPECT_EQ(days_between("2026-03-01", "2026-01-01"), -59);
  EXPECT_EQ(add_days("2024-02-28", 1), "2024-02-29");
}

TEST(Permits, TiedToAnEmployerIsRefusedWithTheReason) {
  auto [field, message] = refusal([] {
    parse_permit({{"kind", "work_permit"}, {"tied_to_employer", true}}, "2026-06-01");
  });
  EXPECT_EQ(field, "tied_to_employer");
  EXPECT_NE(message.find("not compliant"), std::string::npos) << message;
  auto p = parse_permit({{"kind", "work_permit"}, {"tied_to_employer", false}}, "2026-06-01");
  EXPECT_EQ(p.status, "requested");
  EXPECT_EQ(p.requested_on, "2026-06-01");
}

TEST(Permits, DatesFollowTheStatus) {
  const std::string today = "2026-06-01";
  EXPECT_EQ(refusal([&] {
              parse_permit({{"kind", "work_permit"}, {"requested_on", "2026-13-01"}}, today);
            }).first,
            "requested_on");
  EXPECT_EQ(refusal([&] {
              parse_permit({{"kind", "work_permit"}, {"requested_on", "2026-07-01"}}, today);
            }).first,
            "requested_on");  // in the future
  EXPECT_EQ(refusal([&] {
              parse_permit({{"kind", "work_permit"}, {"status", "issued"}}, today);
            }).first,
            "decided_on");
  EXPECT_EQ(refusal([&] {
              parse_permit({{"kind", "work_permit"},
                            {"status", "issued"},
                            {"requested_on", "2026-03-01"},
                            {"decided_on", "2026-02-01"}},
                           today);
            }).first,
            "decided_on");  // before the application
  EXPECT_EQ(refusal([&] {
              parse_permit({{"kind", "work_permit"},
                            {"status", "issued"},
                            {"requested_on", "2026-03-01"},
                            {"decided_on", "2026-04-01"},
                            {"expires_on", "2026-03-15"}},
                           today);
            }).first,
            "expires_on");
  EXPECT_EQ(refusal([&] { parse_permit({{"kind", "visa"}}, today); }).first, "kind");
}

TEST(Inputs, RefuseUnknownFieldsAndValues) {
  EXPECT_EQ(refusal([] {
              parse_new_case({{"screening_id", 1}, {"name", "x"}}, 2026);
            }).first,
            "name");
  EXPECT_EQ(refusal([] {
              parse_new_case({{"screening_id", 1}, {"nationality", "XX"}}, 2026);
            }).first,
            "nationality");
  EXPECT_EQ(refusal([] {
              parse_new_case({{"screening_id", 1}, {"languages", "en,ENG"}}, 2026);
            }).first,
            "languages");
  EXPECT_EQ(refusal([] {
              parse_new_case({{"screening_id", 1}, {"age", 200}}, 2026);
            }).first,
            "age");
  EXPECT_EQ(refusal([] { parse_status_change({{"status", "confirmed"}}); }).first, "reason");
  EXPECT_EQ(refusal([] { parse_status_change({{"status", "victim"}}); }).first, "status");
  EXPECT_EQ(refusal([] {
              parse_consent({{"purpose", "marketing"}, {"granted", true}});
            }).first,
            "purpose");
  EXPECT_EQ(refusal([] {
              parse_hearing({{"scheduled_on", "2026-05-01"}, {"interpreter_needed", true}});
            }).first,
            "interpreter_language");
  EXPECT_EQ(refusal([] { parse_task({{"title", " "}, {"due_on", "2026-05-01"}}); }).first, "title");
  EXPECT_EQ(refusal([] { parse_case_update({{"closed", true}}, 2026); }).first, "closure_reason");
  auto c = parse_new_case({{"screening_id", 4},
                           {"nationality", "ng"},
                           {"languages", "en, fr,en"},
                           {"exploitation", "ForcedLabour,SexualExploitation"},
                           {"age", nullptr}},
                          2026);
  EXPECT_EQ(*c.person.nationality, std::optional<std::string>("NG"));
  EXPECT_EQ(*c.person.languages, "en,fr");
  ASSERT_TRUE(c.person.age.has_value());
  EXPECT_FALSE(c.person.age->has_value());  // null clears
}

TEST(Alerts, FireAtTheirThresholdsMostUrgentFirst) {
  AlertThresholds t;  // 30, 30, 90
  std::vector<PermitFacts> permits = {
      {1, 10, "work_permit", "requested", "2026-01-01", std::nullopt},       // 151 days
      {2, 10, "work_permit", "requested", "2026-05-10", std::nullopt},       // 22: no alert
      {3, 11, "temporary_residence", "issued", "2025-01-01", "2026-06-20"},  // in 19 days
      {4, 11, "temporary_residence", "issued", "2025-01-01", "2026-05-01"},  // expired
      {5, 12, "temporary_residence", "issued", "2025-01-01", "2027-01-01"},  // far away
  };
  std::vector<ProceedingFacts> proceedings = {
      {7, 10, "trial", "open", "2026-01-15", true},     // 137 days idle
      {8, 10, "appeal", "open", "2026-04-01", false},   // 61: no alert
      {9, 10, "trial", "closed", "2020-01-01", false},  // closed: never stalls
  };
  auto a = alerts(permits, proceedings, t, "2026-06-01");
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].kind, "permit_expired");
  EXPECT_EQ(a[0].object_id, 4);
  EXPECT_EQ(a[1].kind, "permit_expiring");
  EXPECT_EQ(a[1].days, 19);
  EXPECT_EQ(a[2].kind, "permit_pending");
  EXPECT_EQ(a[2].days, 151);
  EXPECT_EQ(a[3].kind, "proceeding_stalled");
  EXPECT_NE(a[3].message.find("essential"), std::string::npos);
  t.permit_pending_days = 10;
  t.proceeding_stall_days = 30;
  EXPECT_EQ(alerts(permits, proceedings, t, "2026-06-01").size(), 6u);
}

TEST(Htcds, RowUsesTheStandardsValues) {
  EXPECT_EQ(htcds_header().substr(0, 11), "prs_Gender,");
  HtcdsCase c{"female",    17,    "NG",        "en,fr,ha", "ForcedLabour,SexualExploitation",
              "confirmed", false, "2026-03-04"};
  EXPECT_EQ(htcds_row(c),
            "Feminine,17,NG,en,fr,ForcedLabour;SexualExploitation,ActualVictimOfTrafficking,"
            "Active,2026-03-04,ctip\n");
  c = {"unknown", std::nullopt, std::nullopt, "", "", "possible", true, "2026-03-04"};
  EXPECT_EQ(htcds_row(c),
            "NonSpecifiedUnknown,,,,,,PossibleVictimOfTrafficking,Closed,2026-03-04,ctip\n");
}

}  // namespace
}  // namespace ctip::cases
