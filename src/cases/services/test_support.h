// Test and probe code only (service tests, route probes, the benchmark): a case opened the way
// ctip opens one today (a screening through screen's service, then the `cases` row that case
// management builds on), with a case file and consents written as case management's 0013
// tables hold them. Not linked into ctip.
#pragma once

#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "auth/accounts.h"
#include "auth/actor.h"
#include "core/time.h"
#include "screen/intake.h"
#include "screen/screening_service.h"
#include "store/store.h"

namespace ctip::cases::services::testing {

struct CaseFields {
  std::string sex = "female";
  std::optional<int64_t> age = 29;
  std::string nationality = "RO";
  std::string documentation_status = "none";
  std::string languages = "ro";
  std::string region = "North";
  bool consent_services = true;
  bool consent_law_enforcement = false;
};

// A case of `user`'s organisation; returns its id.
inline int64_t make_case(store::Store& store, audit::AuditLog& audit, const auth::User& user,
                         const std::string& reference, const CaseFields& f = {}) {
  screen::ScreeningService screenings(store, audit);
  std::string ref = "CASE-" + reference;
  for (char& ch : ref)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '-';
  Json body = {{"person", {{"reference", ref}}},
               {"encounter", {{"source", "border"}, {"date", "2026-01-05"}}},
               {"language", "en"},
               {"profile", "adult_labour"},
               {"age", 30},
               {"answers", {{"ex_excessive_hours", "yes"}}}};
  auto view = screenings.create_screening(auth::Actor::user(user, auth::Scope::organisation),
                                          screen::parse_new_screening(body, "2026-06-01"));
  int64_t screening = view["screening"]["id"].get<int64_t>();
  int64_t case_id = 0;
  store.write([&](store::Connection& c) {
    auto existing = c.query_one("SELECT id FROM cases WHERE screening_id = ?", {screening});
    if (existing) {
      case_id = existing->integer(0);
    } else {
      auto s = c.query_row("SELECT org_id, person_id FROM screenings WHERE id = ?", {screening});
      case_id = c.query_row(
                     "INSERT INTO cases (org_id, person_id, screening_id, status, opened_at) "
                     "VALUES (?, ?, ?, 'presumed', ?) RETURNING id",
                     {s.integer(0), s.integer(1), screening, now_iso()})
                    .integer(0);
    }
    auto now = now_iso();
    c.execute(
        "INSERT INTO case_files (case_id, victim_status, sex, age, nationality, "
        "documentation_status, languages, region, created_at, updated_at) VALUES "
        "(?, 'presumed', ?, ?, ?, ?, ?, ?, ?, ?)",
        {case_id, f.sex, f.age ? store::Value(*f.age) : store::null_value, f.nationality,
         f.documentation_status, f.languages, f.region, now, now});
    auto consent = [&](const char* purpose, bool granted) {
      c.execute(
          "INSERT INTO case_consents (case_id, purpose, granted, recorded_by, recorded_at) "
          "VALUES (?, ?, ?, ?, ?)",
          {case_id, std::string(purpose), static_cast<int64_t>(granted ? 1 : 0), user.id, now});
    };
    consent("services", f.consent_services);
    consent("law_enforcement", f.consent_law_enforcement);
  });
  return case_id;
}

// Shares a case with an organisation for law enforcement (what case management does when the
// case is referred to law enforcement with the person's consent).
inline void share_for_law_enforcement(store::Store& store, int64_t case_id, int64_t org_id) {
  store.write([&](store::Connection& c) {
    c.execute(
        "INSERT INTO case_shares (case_id, org_id, reason, created_at) VALUES (?, ?, "
        "'law_enforcement', ?)",
        {case_id, org_id, now_iso()});
  });
}

}  // namespace ctip::cases::services::testing
