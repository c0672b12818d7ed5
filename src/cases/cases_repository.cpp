#include "cases/cases_repository.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ctip::cases::repository {
namespace {

using store::null_value;
using store::Value;

Value opt(const std::optional<int64_t>& v) { return v ? Value(*v) : null_value; }
Value opt(const std::optional<std::string>& v) { return v ? Value(*v) : null_value; }
Json opt_json(const store::Row& r, size_t i) {
  if (r.is_null(i)) return nullptr;
  if (std::holds_alternative<int64_t>(r.value(i))) return r.integer(i);
  return r.text(i);
}

// A case opened by screening: "indicators" and "urgent" are possible trafficking to a caseworker.
std::string initial_victim_status(const std::string& opened_status) {
  return opened_status == "presumed" ? "presumed" : "possible";
}

}  // namespace

std::optional<CaseHead> case_head(store::Connection& c, int64_t case_id) {
  auto r = c.query_one(
      "SELECT id, org_id, person_id, screening_id, status, opened_at FROM cases WHERE id = ?",
      {case_id});
  if (!r) return std::nullopt;
  return CaseHead{r->integer(0), r->integer(1), r->integer(2),
                  r->integer(3), r->text(4),    r->text(5)};
}

std::optional<int64_t> case_of_screening(store::Connection& c, int64_t screening_id) {
  auto r = c.query_one("SELECT id FROM cases WHERE screening_id = ?", {screening_id});
  return r ? std::optional(r->integer(0)) : std::nullopt;
}

std::optional<int64_t> screening_org(store::Connection& c, int64_t screening_id) {
  auto r = c.query_one("SELECT org_id FROM screenings WHERE id = ?", {screening_id});
  return r ? std::optional(r->integer(0)) : std::nullopt;
}

int64_t open_case(store::Connection& c, int64_t screening_id, const std::string& now) {
  auto s =
      c.query_row("SELECT org_id, person_id, outcome FROM screenings WHERE id = ?", {screening_id});
  std::string outcome = s.text(2);
  std::string status = outcome == "presumed_trafficking"   ? "presumed"
                       : outcome == "possible_trafficking" ? "possible"
                                                           : "indicators";
  int64_t id = c.query_row(
                    "INSERT INTO cases (org_id, person_id, screening_id, status, opened_at) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                    {s.integer(0), s.integer(1), screening_id, status, now})
                   .integer(0);
  c.execute("UPDATE referrals SET case_id = ? WHERE screening_id = ? AND case_id IS NULL",
            {id, screening_id});
  return id;
}

std::vector<std::string> share_reasons(store::Connection& c, int64_t case_id, int64_t org_id) {
  std::vector<std::string> out;
  for (const auto& r : c.query("SELECT reason FROM case_shares WHERE case_id = ? AND org_id = ? "
                               "ORDER BY reason",
                               {case_id, org_id}))
    out.push_back(r.text(0));
  return out;
}

void add_share(store::Connection& c, int64_t case_id, int64_t org_id, const std::string& reason,
               std::optional<int64_t> by, const std::string& now) {
  c.execute(
      "INSERT INTO case_shares (case_id, org_id, reason, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id, org_id, reason) DO NOTHING",
      {case_id, org_id, reason, opt(by), now});
}

int64_t remove_shares(store::Connection& c, int64_t case_id, const std::string& reason) {
  c.execute("DELETE FROM case_shares WHERE case_id = ? AND reason = ?", {case_id, reason});
  return c.changes();
}

std::optional<std::string> organisation_kind(store::Connection& c, int64_t org_id) {
  auto r = c.query_one("SELECT kind FROM organisations WHERE id = ?", {org_id});
  return r ? std::optional(r->text(0)) : std::nullopt;
}

std::optional<int64_t> user_org(store::Connection& c, int64_t user_id) {
  auto r = c.query_one("SELECT org_id FROM users WHERE id = ? AND disabled = 0", {user_id});
  return r ? std::optional(r->integer(0)) : std::nullopt;
}

bool ensure_file(store::Connection& c, const CaseHead& head, std::optional<int64_t> by,
                 const std::string& now) {
  if (c.query_one("SELECT 1 FROM case_files WHERE case_id = ?", {head.id})) return false;
  auto s = c.query_row(
      "SELECT s.age, p.nationality FROM screenings s JOIN persons p ON p.id = s.person_id "
      "WHERE s.id = ?",
      {head.screening_id});
  std::string status = initial_victim_status(head.opened_status);
  // Two first reads at once (PostgreSQL, READ COMMITTED): the second waits for the first and
  // makes nothing, rather than failing on the primary key.
  c.execute(
      "INSERT INTO case_files (case_id, victim_status, age, nationality, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO NOTHING",
      {head.id, status, s.value(0), s.value(1), now, now});
  if (c.changes() == 0) return false;
  c.execute(
      "INSERT INTO case_status_history (case_id, from_status, to_status, reason, changed_by, "
      "changed_at) VALUES (?, NULL, ?, ?, ?, ?)",
      {head.id, status, "opened by screening " + std::to_string(head.screening_id), opt(by),
       head.opened_at});
  return true;
}

std::string victim_status(store::Connection& c, int64_t case_id) {
  return c.query_row("SELECT victim_status FROM case_files WHERE case_id = ?", {case_id}).text(0);
}

void set_victim_status(store::Connection& c, int64_t case_id, const std::string& from,
                       const std::string& to, const std::string& reason, std::optional<int64_t> by,
                       const std::string& now) {
  c.execute("UPDATE case_files SET victim_status = ?, updated_at = ? WHERE case_id = ?",
            {to, now, case_id});
  c.execute(
      "INSERT INTO case_status_history (case_id, from_status, to_status, reason, changed_by, "
      "changed_at) VALUES (?, ?, ?, ?, ?, ?)",
      {case_id, from, to, reason, opt(by), now});
}

void update_file(store::Connection& c, int64_t case_id, const CaseUpdate& u,
                 const std::string& now) {
  std::string sets = "updated_at = ?";
  store::Params params{now};
  auto set = [&](const char* column, Value v) {
    sets += std::string(", ") + column + " = ?";
    params.push_back(std::move(v));
  };
  const PersonPatch& p = u.person;
  if (p.sex) set("sex", *p.sex);
  if (p.age) set("age", opt(*p.age));
  if (p.birth_year) set("birth_year", opt(*p.birth_year));
  if (p.nationality) set("nationality", opt(*p.nationality));
  if (p.documentation_status) set("documentation_status", *p.documentation_status);
  if (p.languages) set("languages", *p.languages);
  if (p.region) set("region", opt(*p.region));
  if (p.exploitation) set("exploitation", *p.exploitation);
  if (u.assigned_to) set("assigned_to", opt(*u.assigned_to));
  if (u.closed == true) {
    set("closed_at", now);
    set("closure_reason", u.closure_reason);
  } else if (u.closed == false) {
    set("closed_at", null_value);
    set("closure_reason", null_value);
  }
  params.push_back(case_id);
  c.execute("UPDATE case_files SET " + sets + " WHERE case_id = ?", params);
}

void move_case(store::Connection& c, int64_t case_id, int64_t to_org) {
  c.execute("UPDATE cases SET org_id = ? WHERE id = ?", {to_org, case_id});
  // The assignee belongs to the organisation that gave the case away.
  c.execute("UPDATE case_files SET assigned_to = NULL WHERE case_id = ?", {case_id});
}

int64_t record_transfer(store::Connection& c, int64_t case_id, int64_t from_org, int64_t to_org,
                        int64_t consent_id, const std::string& reason, std::optional<int64_t> by,
                        const std::string& now) {
  return c
      .query_row(
          "INSERT INTO case_transfers (case_id, from_org, to_org, consent_id, reason, "
          "transferred_by, transferred_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {case_id, from_org, to_org, consent_id, reason, opt(by), now})
      .integer(0);
}

std::optional<ConsentInForce> consent(store::Connection& c, int64_t case_id,
                                      const std::string& purpose) {
  auto r = c.query_one(
      "SELECT id, granted FROM case_consents WHERE case_id = ? AND purpose = ? "
      "ORDER BY id DESC LIMIT 1",
      {case_id, purpose});
  if (!r) return std::nullopt;
  return ConsentInForce{r->integer(0), r->integer(1) == 1};
}

int64_t record_consent(store::Connection& c, int64_t case_id, const NewConsent& in,
                       std::optional<int64_t> by, const std::string& now) {
  return c
      .query_row(
          "INSERT INTO case_consents (case_id, purpose, granted, recorded_by, recorded_at) "
          "VALUES (?, ?, ?, ?, ?) RETURNING id",
          {case_id, in.purpose, int64_t{in.granted ? 1 : 0}, opt(by), now})
      .integer(0);
}

int64_t insert_permit(store::Connection& c, int64_t case_id, const NewPermit& p,
                      std::optional<int64_t> by, const std::string& now) {
  return c
      .query_row(
          "INSERT INTO case_permits (case_id, kind, status, tied_to_employer, requested_on, "
          "decided_on, expires_on, reference, created_by, created_at, updated_at) "
          "VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {case_id, p.kind, p.status, p.requested_on, opt(p.decided_on), opt(p.expires_on),
           opt(p.reference), opt(by), now, now})
      .integer(0);
}

std::optional<PermitHead> permit(store::Connection& c, int64_t permit_id) {
  auto r = c.query_one(
      "SELECT id, case_id, status, requested_on, decided_on, expires_on FROM case_permits "
      "WHERE id = ?",
      {permit_id});
  if (!r) return std::nullopt;
  return PermitHead{r->integer(0), r->integer(1),       r->text(2),
                    r->text(3),    r->optional_text(4), r->optional_text(5)};
}

void update_permit(store::Connection& c, int64_t permit_id, const PermitUpdate& u,
                   const std::string& now) {
  c.execute(
      "UPDATE case_permits SET status = ?, decided_on = ?, expires_on = ?, updated_at = ? "
      "WHERE id = ?",
      {u.status, opt(u.decided_on), opt(u.expires_on), now, permit_id});
}

int64_t insert_proceeding(store::Connection& c, const NewProceeding& p, std::optional<int64_t> by,
                          const std::string& now) {
  return c
      .query_row(
          "INSERT INTO case_proceedings (case_id, kind, status, essential, court, reference, "
          "opened_on, last_activity_on, created_by, created_at, updated_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {p.case_id, p.kind, p.status, int64_t{p.essential ? 1 : 0}, opt(p.court),
           opt(p.reference), p.opened_on, p.opened_on, opt(by), now, now})
      .integer(0);
}

std::optional<int64_t> proceeding_case(store::Connection& c, int64_t proceeding_id) {
  auto r = c.query_one("SELECT case_id FROM case_proceedings WHERE id = ?", {proceeding_id});
  return r ? std::optional(r->integer(0)) : std::nullopt;
}

void update_proceeding(store::Connection& c, int64_t proceeding_id, const ProceedingUpdate& u,
                       const std::string& now) {
  std::string sets = "updated_at = ?";
  store::Params params{now};
  auto set = [&](const char* column, Value v) {
    sets += std::string(", ") + column + " = ?";
    params.push_back(std::move(v));
  };
  if (u.status) set("status", *u.status);
  if (u.essential) set("essential", int64_t{*u.essential ? 1 : 0});
  if (u.outcome) set("outcome", *u.outcome);
  if (u.court) set("court", *u.court);
  // The stall clock restarts on any change, never going back in time.
  auto last =
      c.query_row("SELECT last_activity_on FROM case_proceedings WHERE id = ?", {proceeding_id})
          .text(0);
  set("last_activity_on", std::max(last, u.activity_on));
  params.push_back(proceeding_id);
  c.execute("UPDATE case_proceedings SET " + sets + " WHERE id = ?", params);
}

int64_t insert_hearing(store::Connection& c, int64_t proceeding_id, const NewHearing& h,
                       std::optional<int64_t> by, const std::string& now) {
  int64_t id =
      c.query_row(
           "INSERT INTO case_hearings (proceeding_id, scheduled_on, status, interpreter_needed, "
           "interpreter_language, essential, notes, created_by, created_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
           {proceeding_id, h.scheduled_on, h.status, int64_t{h.interpreter_needed ? 1 : 0},
            opt(h.interpreter_language), int64_t{h.essential ? 1 : 0}, h.notes, opt(by), now})
          .integer(0);
  // A hearing is activity on the proceeding (scheduling one restarts the stall clock).
  c.execute(
      "UPDATE case_proceedings SET last_activity_on = ?, updated_at = ? WHERE id = ? AND "
      "last_activity_on < ?",
      {now.substr(0, 10), now, proceeding_id, now.substr(0, 10)});
  return id;
}

int64_t insert_note(store::Connection& c, int64_t case_id, std::optional<int64_t> note_id,
                    const std::string& body, std::optional<int64_t> by, const std::string& now) {
  if (!note_id) {
    int64_t id = c.query_row(
                      "INSERT INTO case_notes (case_id, note_id, version, body, author, "
                      "created_at) VALUES (?, 0, 1, ?, ?, ?) RETURNING id",
                      {case_id, body, opt(by), now})
                     .integer(0);
    // The first version names itself (an id the engine assigns: set right after the insert).
    c.execute("UPDATE case_notes SET note_id = ? WHERE id = ?", {id, id});
    return id;
  }
  int64_t next =
      c.query_row("SELECT MAX(version) + 1 FROM case_notes WHERE note_id = ?", {*note_id})
          .integer(0);
  return c
      .query_row(
          "INSERT INTO case_notes (case_id, note_id, version, body, author, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
          {case_id, *note_id, next, body, opt(by), now})
      .integer(0);
}

std::optional<int64_t> note_case(store::Connection& c, int64_t note_id) {
  auto r =
      c.query_one("SELECT case_id FROM case_notes WHERE note_id = ? AND version = 1", {note_id});
  return r ? std::optional(r->integer(0)) : std::nullopt;
}

int64_t insert_task(store::Connection& c, int64_t case_id, const NewTask& t,
                    std::optional<int64_t> assignee, std::optional<int64_t> by,
                    const std::string& now) {
  return c
      .query_row(
          "INSERT INTO case_tasks (case_id, kind, title, due_on, assigned_to, created_by, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {case_id, t.kind, t.title, t.due_on, opt(assignee), opt(by), now})
      .integer(0);
}

std::optional<int64_t> task_case(store::Connection& c, int64_t task_id) {
  auto r = c.query_one("SELECT case_id FROM case_tasks WHERE id = ?", {task_id});
  return r ? std::optional(r->integer(0)) : std::nullopt;
}

void complete_task(store::Connection& c, int64_t task_id, bool done, const std::string& now) {
  c.execute("UPDATE case_tasks SET done_at = ? WHERE id = ?",
            {done ? Value(now) : null_value, task_id});
}

std::string visible_condition(const Visibility& v, store::Params& params) {
  if (!v.org_id) return "1 = 1";
  params.push_back(*v.org_id);
  params.push_back(*v.org_id);
  return std::string(
             "(c.org_id = ? OR EXISTS (SELECT 1 FROM case_shares sh WHERE sh.case_id = "
             "c.id AND sh.org_id = ?") +
         (v.law_enforcement_only ? " AND sh.reason = 'law_enforcement'" : "") + "))";
}

Json list_cases(store::Connection& c, const Visibility& v, const ListFilter& f) {
  store::Params params;
  std::string where = visible_condition(v, params);
  if (f.victim_status) {
    where +=
        " AND COALESCE(f.victim_status, CASE c.status WHEN 'presumed' THEN 'presumed' ELSE "
        "'possible' END) = ?";
    params.push_back(*f.victim_status);
  }
  if (f.assigned_to) {
    where += " AND f.assigned_to = ?";
    params.push_back(*f.assigned_to);
  }
  if (f.open_only) where += " AND f.closed_at IS NULL";
  params.push_back(f.limit);
  Json out = Json::array();
  for (const auto& r :
       c.query("SELECT c.id, c.org_id, o.name, p.reference, c.screening_id, c.status, c.opened_at, "
               "COALESCE(f.victim_status, CASE c.status WHEN 'presumed' THEN 'presumed' ELSE "
               "'possible' END), f.assigned_to, f.closed_at, COALESCE(f.sex, 'unknown'), "
               "COALESCE(f.age, s.age), COALESCE(f.nationality, p.nationality), "
               "COALESCE(f.documentation_status, 'unknown'), f.region, "
               "(SELECT COUNT(*) FROM case_tasks t WHERE t.case_id = c.id AND t.done_at IS NULL) "
               "FROM cases c JOIN organisations o ON o.id = c.org_id "
               "JOIN persons p ON p.id = c.person_id JOIN screenings s ON s.id = c.screening_id "
               "LEFT JOIN case_files f ON f.case_id = c.id WHERE " +
                   where + " ORDER BY c.id DESC LIMIT ?",
               params)) {
    out.push_back({{"id", r.integer(0)},
                   {"org_id", r.integer(1)},
                   {"organisation", r.text(2)},
                   {"person_reference", r.text(3)},
                   {"screening_id", r.integer(4)},
                   {"opened_status", r.text(5)},
                   {"opened_at", r.text(6)},
                   {"victim_status", r.text(7)},
                   {"assigned_to", opt_json(r, 8)},
                   {"closed_at", opt_json(r, 9)},
                   {"sex", r.text(10)},
                   {"age", opt_json(r, 11)},
                   {"nationality", opt_json(r, 12)},
                   {"documentation_status", r.text(13)},
                   {"region", opt_json(r, 14)},
                   {"open_tasks", r.integer(15)}});
  }
  return out;
}

namespace {

void add_event(Json& timeline, const std::string& at, const std::string& kind, int64_t id,
               const std::string& summary) {
  timeline.push_back({{"at", at}, {"kind", kind}, {"id", id}, {"summary", summary}});
}

}  // namespace

Json case_view(store::Connection& c, const CaseHead& head, std::optional<int64_t> viewer_org) {
  const bool owner = !viewer_org || *viewer_org == head.org_id;
  Json timeline = Json::array();
  auto f = c.query_row(
      "SELECT f.victim_status, f.assigned_to, u.username, f.closed_at, f.closure_reason, f.sex, "
      "f.age, f.birth_year, f.nationality, f.documentation_status, f.languages, f.region, "
      "f.exploitation, f.created_at, f.updated_at, o.name, p.reference "
      "FROM case_files f JOIN cases c ON c.id = f.case_id "
      "JOIN organisations o ON o.id = c.org_id JOIN persons p ON p.id = c.person_id "
      "LEFT JOIN users u ON u.id = f.assigned_to WHERE f.case_id = ?",
      {head.id});
  Json view = {{"id", head.id},
               {"org_id", head.org_id},
               {"organisation", f.text(15)},
               {"person_reference", f.text(16)},
               {"opened_status", head.opened_status},
               {"opened_at", head.opened_at},
               {"victim_status", f.text(0)},
               {"assigned_to", opt_json(f, 1)},
               {"assigned_username", opt_json(f, 2)},
               {"closed_at", opt_json(f, 3)},
               {"closure_reason", opt_json(f, 4)},
               {"access", owner ? "owner" : "shared"},
               {"person",
                {{"sex", f.text(5)},
                 {"age", opt_json(f, 6)},
                 {"birth_year", opt_json(f, 7)},
                 {"nationality", opt_json(f, 8)},
                 {"documentation_status", f.text(9)},
                 {"languages", f.text(10)},
                 {"region", opt_json(f, 11)},
                 {"exploitation", f.text(12)}}}};
  if (auto closed = f.optional_text(3)) add_event(timeline, *closed, "closed", head.id, f.text(4));

  auto s =
      c.query_row("SELECT id, outcome, created_at, language, profile FROM screenings WHERE id = ?",
                  {head.screening_id});
  view["screening"] = {{"id", s.integer(0)},
                       {"outcome", s.text(1)},
                       {"created_at", s.text(2)},
                       {"language", s.text(3)},
                       {"profile", s.text(4)}};
  add_event(timeline, s.text(2), "screening", s.integer(0), "screened: " + s.text(1));

  Json history = Json::array();
  for (const auto& r :
       c.query("SELECT h.id, h.from_status, h.to_status, h.reason, u.username, h.changed_at "
               "FROM case_status_history h LEFT JOIN users u ON u.id = h.changed_by "
               "WHERE h.case_id = ? ORDER BY h.id",
               {head.id})) {
    history.push_back({{"id", r.integer(0)},
                       {"from", opt_json(r, 1)},
                       {"to", r.text(2)},
                       {"reason", r.text(3)},
                       {"by", opt_json(r, 4)},
                       {"at", r.text(5)}});
    add_event(timeline, r.text(5), "status", r.integer(0),
              (r.is_null(1) ? std::string("status ") : r.text(1) + " -> ") + r.text(2));
  }
  view["status_history"] = history;

  if (owner) {
    Json consents = Json::object();
    Json consent_history = Json::array();
    for (const auto& r : c.query(
             "SELECT k.id, k.purpose, k.granted, u.username, k.recorded_at FROM case_consents k "
             "LEFT JOIN users u ON u.id = k.recorded_by WHERE k.case_id = ? ORDER BY k.id",
             {head.id})) {
      consents[r.text(1)] = r.integer(2) == 1;  // the last row per purpose is in force
      consent_history.push_back({{"id", r.integer(0)},
                                 {"purpose", r.text(1)},
                                 {"granted", r.integer(2) == 1},
                                 {"by", opt_json(r, 3)},
                                 {"at", r.text(4)}});
      add_event(timeline, r.text(4), "consent", r.integer(0),
                r.text(1) + (r.integer(2) == 1 ? " granted" : " withdrawn"));
    }
    for (auto p : kConsentPurposes)
      if (!consents.contains(std::string(p))) consents[std::string(p)] = false;
    view["consents"] = consents;
    view["consent_history"] = consent_history;
    Json shares = Json::array();
    for (const auto& r :
         c.query("SELECT sh.org_id, o.name, sh.reason, sh.created_at FROM case_shares sh "
                 "JOIN organisations o ON o.id = sh.org_id WHERE sh.case_id = ? ORDER BY sh.id",
                 {head.id}))
      shares.push_back({{"org_id", r.integer(0)},
                        {"organisation", r.text(1)},
                        {"reason", r.text(2)},
                        {"at", r.text(3)}});
    view["shares"] = shares;
  }

  Json permits = Json::array();
  for (const auto& r :
       c.query("SELECT id, kind, status, tied_to_employer, requested_on, decided_on, expires_on, "
               "reference FROM case_permits WHERE case_id = ? ORDER BY id",
               {head.id})) {
    permits.push_back({{"id", r.integer(0)},
                       {"kind", r.text(1)},
                       {"status", r.text(2)},
                       {"tied_to_employer", r.integer(3) == 1},
                       {"compliant", r.integer(3) == 0},
                       {"requested_on", r.text(4)},
                       {"decided_on", opt_json(r, 5)},
                       {"expires_on", opt_json(r, 6)},
                       {"reference", opt_json(r, 7)}});
    add_event(timeline, r.text(4), "permit", r.integer(0), r.text(1) + " requested");
    if (!r.is_null(5))
      add_event(timeline, r.text(5), "permit", r.integer(0), r.text(1) + " " + r.text(2));
  }
  view["permits"] = permits;

  Json proceedings = Json::array();
  for (const auto& r :
       c.query("SELECT id, kind, status, essential, court, reference, outcome, opened_on, "
               "last_activity_on FROM case_proceedings WHERE case_id = ? ORDER BY id",
               {head.id})) {
    Json hearings = Json::array();
    for (const auto& h :
         c.query("SELECT id, scheduled_on, status, interpreter_needed, interpreter_language, "
                 "essential, notes FROM case_hearings WHERE proceeding_id = ? ORDER BY "
                 "scheduled_on, id",
                 {r.integer(0)})) {
      hearings.push_back({{"id", h.integer(0)},
                          {"scheduled_on", h.text(1)},
                          {"status", h.text(2)},
                          {"interpreter_needed", h.integer(3) == 1},
                          {"interpreter_language", opt_json(h, 4)},
                          {"essential", h.integer(5) == 1},
                          {"notes", h.text(6)}});
      add_event(timeline, h.text(1), "hearing", h.integer(0),
                r.text(1) + " hearing " + h.text(2) +
                    (h.integer(3) == 1 ? " (interpreter: " + h.text(4) + ")" : ""));
    }
    proceedings.push_back({{"id", r.integer(0)},
                           {"kind", r.text(1)},
                           {"status", r.text(2)},
                           {"essential", r.integer(3) == 1},
                           {"court", opt_json(r, 4)},
                           {"reference", opt_json(r, 5)},
                           {"outcome", opt_json(r, 6)},
                           {"opened_on", r.text(7)},
                           {"last_activity_on", r.text(8)},
                           {"hearings", hearings}});
    add_event(timeline, r.text(7), "proceeding", r.integer(0), r.text(1) + " opened");
  }
  view["proceedings"] = proceedings;

  // Notes and tasks: a viewer that does not own the case sees its own organisation's only.
  store::Params np{head.id};
  std::string own_only;
  if (!owner) {
    own_only = " AND u.org_id = ?";
    np.push_back(*viewer_org);
  }
  Json notes = Json::array();
  for (const auto& r : c.query(
           "SELECT n.id, n.note_id, n.version, n.body, u.username, n.created_at FROM case_notes n "
           "LEFT JOIN users u ON u.id = n.author WHERE n.case_id = ?" +
               own_only + " ORDER BY n.note_id, n.version",
           np)) {
    Json version = {{"id", r.integer(0)},
                    {"version", r.integer(2)},
                    {"body", r.text(3)},
                    {"author", opt_json(r, 4)},
                    {"at", r.text(5)}};
    if (notes.empty() || notes.back()["note_id"] != r.integer(1))
      notes.push_back({{"note_id", r.integer(1)}, {"versions", Json::array()}});
    notes.back()["versions"].push_back(version);
    notes.back()["current"] = version;
    add_event(timeline, r.text(5), r.integer(2) == 1 ? "note" : "note_correction", r.integer(1),
              "note version " + std::to_string(r.integer(2)));
  }
  view["notes"] = notes;
  Json tasks = Json::array();
  for (const auto& r :
       c.query("SELECT t.id, t.kind, t.title, t.due_on, t.assigned_to, a.username, t.done_at "
               "FROM case_tasks t LEFT JOIN users u ON u.id = t.created_by "
               "LEFT JOIN users a ON a.id = t.assigned_to WHERE t.case_id = ?" +
                   own_only + " ORDER BY t.due_on, t.id",
               np)) {
    tasks.push_back({{"id", r.integer(0)},
                     {"kind", r.text(1)},
                     {"title", r.text(2)},
                     {"due_on", r.text(3)},
                     {"assigned_to", opt_json(r, 4)},
                     {"assigned_username", opt_json(r, 5)},
                     {"done_at", opt_json(r, 6)}});
    add_event(timeline, r.text(3), "task", r.integer(0), r.text(1) + ": " + r.text(2));
  }
  view["tasks"] = tasks;

  Json referrals = Json::array();
  for (const auto& r :
       c.query("SELECT id, kind, status, updated_at FROM referrals WHERE case_id = ? ORDER BY id",
               {head.id})) {
    referrals.push_back(
        {{"id", r.integer(0)}, {"kind", r.text(1)}, {"status", r.text(2)}, {"at", r.text(3)}});
    add_event(timeline, r.text(3), "referral", r.integer(0), r.text(1) + " " + r.text(2));
  }
  view["referrals"] = referrals;

  Json transfers = Json::array();
  for (const auto& r :
       c.query("SELECT t.id, t.from_org, a.name, t.to_org, b.name, t.reason, t.transferred_at "
               "FROM case_transfers t JOIN organisations a ON a.id = t.from_org "
               "JOIN organisations b ON b.id = t.to_org WHERE t.case_id = ? ORDER BY t.id",
               {head.id})) {
    transfers.push_back({{"id", r.integer(0)},
                         {"from_org", r.integer(1)},
                         {"from", r.text(2)},
                         {"to_org", r.integer(3)},
                         {"to", r.text(4)},
                         {"reason", r.text(5)},
                         {"at", r.text(6)}});
    add_event(timeline, r.text(6), "transfer", r.integer(0), r.text(2) + " -> " + r.text(4));
  }
  view["transfers"] = transfers;

  std::stable_sort(timeline.begin(), timeline.end(), [](const Json& a, const Json& b) {
    return a["at"].get<std::string>() < b["at"].get<std::string>();
  });
  view["timeline"] = timeline;
  return view;
}

Json overdue_tasks(store::Connection& c, const Visibility& v, std::optional<int64_t> assignee,
                   const std::string& today) {
  store::Params params;
  std::string where = visible_condition(v, params);
  where += " AND t.done_at IS NULL AND t.due_on < ?";
  params.push_back(today);
  if (assignee) {
    where += " AND t.assigned_to = ?";
    params.push_back(*assignee);
  }
  Json out = Json::array();
  for (const auto& r :
       c.query("SELECT t.id, t.case_id, t.kind, t.title, t.due_on, t.assigned_to, u.username "
               "FROM case_tasks t JOIN cases c ON c.id = t.case_id "
               "LEFT JOIN users u ON u.id = t.assigned_to WHERE " +
                   where + " ORDER BY t.due_on, t.id",
               params))
    out.push_back({{"id", r.integer(0)},
                   {"case_id", r.integer(1)},
                   {"kind", r.text(2)},
                   {"title", r.text(3)},
                   {"due_on", r.text(4)},
                   {"days_overdue", days_between(r.text(4), today)},
                   {"assigned_to", opt_json(r, 5)},
                   {"assigned_username", opt_json(r, 6)}});
  return out;
}

Json list_proceedings(store::Connection& c, const Visibility& v) {
  store::Params params;
  std::string where = visible_condition(v, params);
  Json out = Json::array();
  for (const auto& r :
       c.query("SELECT p.id, p.case_id, p.kind, p.status, p.essential, p.court, p.opened_on, "
               "p.last_activity_on, (SELECT COUNT(*) FROM case_hearings h WHERE h.proceeding_id = "
               "p.id) FROM case_proceedings p JOIN cases c ON c.id = p.case_id WHERE " +
                   where + " ORDER BY p.id DESC LIMIT 1000",
               params))
    out.push_back({{"id", r.integer(0)},
                   {"case_id", r.integer(1)},
                   {"kind", r.text(2)},
                   {"status", r.text(3)},
                   {"essential", r.integer(4) == 1},
                   {"court", opt_json(r, 5)},
                   {"opened_on", r.text(6)},
                   {"last_activity_on", r.text(7)},
                   {"hearings", r.integer(8)}});
  return out;
}

std::vector<PermitFacts> permit_facts(store::Connection& c, const Visibility& v) {
  store::Params params;
  std::string where = visible_condition(v, params);
  std::vector<PermitFacts> out;
  for (const auto& r :
       c.query("SELECT p.id, p.case_id, p.kind, p.status, p.requested_on, p.expires_on "
               "FROM case_permits p JOIN cases c ON c.id = p.case_id WHERE " +
                   where + " AND p.status IN ('requested', 'issued')",
               params))
    out.push_back(
        {r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.optional_text(5)});
  return out;
}

std::vector<ProceedingFacts> proceeding_facts(store::Connection& c, const Visibility& v) {
  store::Params params;
  std::string where = visible_condition(v, params);
  std::vector<ProceedingFacts> out;
  for (const auto& r :
       c.query("SELECT p.id, p.case_id, p.kind, p.status, p.last_activity_on, p.essential "
               "FROM case_proceedings p JOIN cases c ON c.id = p.case_id WHERE " +
                   where + " AND p.status IN ('open', 'suspended')",
               params))
    out.push_back({r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.integer(5) == 1});
  return out;
}

int64_t setting_days(store::Connection& c, const std::string& key, int64_t fallback) {
  auto r = c.query_one("SELECT value FROM settings WHERE key = ?", {key});
  if (!r) return fallback;
  const std::string text = r->text(0);
  int64_t v = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && end == text.data() + text.size() && v >= 0) return v;
  throw Error(ErrorCode::integrity, "setting " + key + " is not a number of days");
}

std::vector<HtcdsCase> htcds_cases(store::Connection& c, const Visibility& v, int64_t& excluded) {
  store::Params params;
  std::string where = visible_condition(v, params);
  std::vector<HtcdsCase> out;
  excluded = 0;
  for (const auto& r :
       c.query("SELECT c.id, COALESCE(f.sex, 'unknown'), COALESCE(f.age, s.age), "
               "COALESCE(f.nationality, p.nationality), COALESCE(f.languages, ''), "
               "COALESCE(f.exploitation, ''), COALESCE(f.victim_status, CASE c.status WHEN "
               "'presumed' THEN 'presumed' ELSE 'possible' END), f.closed_at, c.opened_at, "
               "(SELECT k.granted FROM case_consents k WHERE k.case_id = c.id AND k.purpose = "
               "'statistics' ORDER BY k.id DESC LIMIT 1) "
               "FROM cases c JOIN persons p ON p.id = c.person_id "
               "JOIN screenings s ON s.id = c.screening_id "
               "LEFT JOIN case_files f ON f.case_id = c.id WHERE " +
                   where + " ORDER BY c.id",
               params)) {
    if (r.is_null(9) || r.integer(9) != 1) {
      ++excluded;
      continue;
    }
    out.push_back({r.text(1), r.optional_integer(2), r.optional_text(3), r.text(4), r.text(5),
                   r.text(6), !r.is_null(7), r.text(8).substr(0, 10)});
  }
  return out;
}

}  // namespace ctip::cases::repository
