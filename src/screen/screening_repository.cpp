#include "screen/screening_repository.h"

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time.h"
#include "screen/stored_screening.h"

namespace ctip::screen::repository {

std::pair<int64_t, int64_t> record_encounter(store::Connection& c, const Recorder& by,
                                             const PersonInput& person,
                                             const EncounterInput& encounter) {
  // One statement, not a lookup then an insert: two requests for a new reference at the same
  // time would both miss it and the second insert would fail (409) on PostgreSQL, where writers
  // run concurrently. A nationality given updates the person's; none keeps it.
  int64_t person_id =
      c.query_row(
           "INSERT INTO persons (org_id, reference, nationality, created_at) VALUES (?, ?, ?, ?) "
           "ON CONFLICT (org_id, reference) DO UPDATE SET nationality = "
           "COALESCE(excluded.nationality, persons.nationality) RETURNING id",
           {by.org_id, person.reference,
            person.nationality ? store::Value(*person.nationality) : store::null_value, now_iso()})
          .integer(0);
  int64_t encounter_id =
      c.query_row(
           "INSERT INTO encounters (org_id, person_id, source, occurred_on, recorded_by, "
           "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
           {by.org_id, person_id, encounter.source, encounter.date,
            by.user_id > 0 ? store::Value(by.user_id) : store::null_value, now_iso()})
          .integer(0);
  return {person_id, encounter_id};
}

int64_t save_screening(store::Connection& c, const Recorder& by, int64_t person_id,
                       int64_t encounter_id, const ScreeningInput& s) {
  std::string outcome = s.result.value("outcome", "");
  std::string could_become = s.result.value("could_become", outcome);
  if (outcome.empty()) throw Error(ErrorCode::internal, "screening result without an outcome");
  std::string now = now_iso();
  int64_t id =
      c.query_row(
           "INSERT INTO screenings (org_id, encounter_id, person_id, interviewer_id, language, "
           "interpreter_used, instrument, profile, age, may_be_minor, answers, outcome, "
           "could_become, instrument_version, rule_version, result, requested_profile, "
           "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
           {by.org_id, encounter_id, person_id, by.user_id, s.language, int64_t{s.interpreter_used},
            s.instrument, s.profile, s.age ? store::Value(*s.age) : store::null_value,
            int64_t{s.may_be_minor}, pack_answers(s.answers), outcome, could_become,
            s.result.value("instrument_version", std::string("unknown")),
            s.result.value("rule_version", std::string("unknown")),
            // '' = recomputed on read (stored_screening.h): the rendered result is not stored.
            std::string(),
            s.requested_profile ? store::Value(*s.requested_profile) : store::null_value, now})
          .integer(0);
  std::optional<int64_t> case_id;
  if (outcome == "presumed_trafficking" || outcome == "possible_trafficking") {
    case_id = c.query_row(
                   "INSERT INTO cases (org_id, person_id, screening_id, status, opened_at) "
                   "VALUES (?, ?, ?, ?, ?) RETURNING id",
                   {by.org_id, person_id, id,
                    std::string(outcome == "presumed_trafficking" ? "presumed" : "possible"), now})
                  .integer(0);
  }
  for (const auto& kind : recommended_referrals(s.result))
    c.execute(
        "INSERT INTO referrals (org_id, screening_id, case_id, kind, status, updated_at) "
        "VALUES (?, ?, ?, ?, 'recommended', ?)",
        {by.org_id, id, case_id ? store::Value(*case_id) : store::null_value, kind, now});
  return id;
}

namespace {

Json referral_json(const store::Row& r) {
  return {
      {"id", r.integer(0)}, {"kind", r.text(1)}, {"status", r.text(2)}, {"updated_at", r.text(3)}};
}

constexpr const char* kSummaryColumns =
    "s.id, s.created_at, s.profile, s.instrument, s.language, s.interpreter_used, s.outcome, "
    "s.could_become, e.source, e.occurred_on, p.reference, p.nationality, s.age, "
    "s.may_be_minor, u.username, s.instrument_version, s.rule_version";
constexpr const char* kSummaryJoins =
    " FROM screenings s JOIN encounters e ON e.id = s.encounter_id "
    "JOIN persons p ON p.id = s.person_id JOIN users u ON u.id = s.interviewer_id";

Json summary_json(const store::Row& r) {
  return {{"id", r.integer(0)},
          {"created_at", r.text(1)},
          {"profile", r.text(2)},
          {"instrument", r.text(3)},
          {"language", r.text(4)},
          {"interpreter_used", r.integer(5) != 0},
          {"outcome", r.text(6)},
          {"could_become", r.text(7)},
          {"encounter", {{"source", r.text(8)}, {"date", r.text(9)}}},
          {"person",
           {{"reference", r.text(10)}, {"nationality", r.is_null(11) ? Json() : Json(r.text(11))}}},
          {"age", r.is_null(12) ? Json("unknown") : Json(r.integer(12))},
          {"may_be_minor", r.integer(13) != 0},
          {"interviewer", r.text(14)},
          {"instrument_version", r.text(15)},
          {"rule_version", r.text(16)}};
}

// The evaluation of a row selected with kSummaryColumns, its answers and requested_profile at
// column `requested`.
StoredEvaluation stored_evaluation(const store::Row& r, Json answers, size_t requested) {
  return {r.text(3),          r.optional_text(requested), r.optional_integer(12),
          r.integer(13) != 0, std::move(answers),         r.text(4),
          r.text(16)};
}

// The recomputed result must be the decision that was stored. It differs only when this binary
// no longer has the instrument version the screening was evaluated with (an instrument file was
// changed without keeping the old version); showing another decision would be wrong.
void check_recomputed(const Json& result, const store::Row& r, int64_t id) {
  auto same = [&](const char* key, size_t column) {
    return result.value(key, std::string()) == r.text(column);
  };
  if (!same("outcome", 6) || !same("could_become", 7) || !same("instrument_version", 15) ||
      !same("rule_version", 16))
    throw Error(ErrorCode::integrity, "screening " + std::to_string(id) + " was evaluated with " +
                                          r.text(15) + " and " + r.text(16) +
                                          ", which this ctip cannot reproduce (it evaluates with " +
                                          result.value("instrument_version", std::string("?")) +
                                          "): run the ctip version that created it");
}

}  // namespace

std::optional<int64_t> screening_owner(store::Connection& c, int64_t screening_id) {
  auto r = c.query_one("SELECT org_id FROM screenings WHERE id = ?", {screening_id});
  if (!r) return std::nullopt;
  return r->integer(0);
}

std::optional<Json> screening_view(store::Connection& c, int64_t screening_id) {
  auto r = c.query_one(std::string("SELECT ") + kSummaryColumns +
                           ", s.result, s.org_id, s.answers, s.requested_profile" + kSummaryJoins +
                           " WHERE s.id = ?",
                       {screening_id});
  if (!r) return std::nullopt;
  Json out;
  out["screening"] = summary_json(*r);
  Json answers = unpack_answers(r->text(19));
  out["screening"]["answers"] = answers;
  std::string stored_result = r->text(17);
  if (!stored_result.empty()) {  // a row written before the compact format
    out["result"] = Json::parse(stored_result);
  } else {
    out["result"] = recompute_result(stored_evaluation(*r, std::move(answers), 20));
    check_recomputed(out["result"], *r, screening_id);
  }
  auto k =
      c.query_one("SELECT id, status, opened_at FROM cases WHERE screening_id = ?", {screening_id});
  out["case"] =
      k ? Json{{"id", k->integer(0)}, {"status", k->text(1)}, {"opened_at", k->text(2)}} : Json();
  Json refs = Json::array();
  for (const auto& row : c.query(
           "SELECT id, kind, status, updated_at FROM referrals WHERE screening_id = ? ORDER BY id",
           {screening_id}))
    refs.push_back(referral_json(row));
  out["referrals"] = refs;
  return out;
}

Json list_screenings(store::Connection& c, std::optional<int64_t> org_id, int64_t limit) {
  std::string sql = std::string("SELECT ") + kSummaryColumns + kSummaryJoins;
  store::Params params;
  if (org_id) {
    sql += " WHERE s.org_id = ?";
    params.emplace_back(*org_id);
  }
  sql += " ORDER BY s.id DESC LIMIT ?";
  params.emplace_back(limit);
  Json out = Json::array();
  for (const auto& r : c.query(sql, params)) out.push_back(summary_json(r));
  return out;
}

Json make_referral(store::Connection& c, int64_t made_by, int64_t screening_id,
                   const std::string& kind) {
  auto s = c.query_one("SELECT org_id FROM screenings WHERE id = ?", {screening_id});
  if (!s) throw Error(ErrorCode::not_found, "no such screening", "id");
  auto k = c.query_one("SELECT id FROM cases WHERE screening_id = ?", {screening_id});
  std::string now = now_iso();
  c.execute(
      "INSERT INTO referrals (org_id, screening_id, case_id, kind, status, made_by, updated_at) "
      "VALUES (?, ?, ?, ?, 'made', ?, ?) ON CONFLICT (screening_id, kind) DO UPDATE SET "
      "status = 'made', made_by = excluded.made_by, updated_at = excluded.updated_at",
      {s->integer(0), screening_id, k ? store::Value(k->integer(0)) : store::null_value, kind,
       made_by, now});
  auto r = c.query_row(
      "SELECT id, kind, status, updated_at FROM referrals WHERE screening_id = ? AND kind = ?",
      {screening_id, kind});
  return referral_json(r);
}

std::vector<EncounterRow> coverage_rows(store::Connection& c, std::optional<int64_t> org_id,
                                        const std::string& from_month,
                                        const std::string& to_month) {
  // Every screening of the encounter is a row (the most severe outcome counts, as in
  // compute_coverage); an encounter without one counts as encountered but not screened.
  std::string sql =
      "SELECT substr(e.occurred_on, 1, 7), e.source, e.person_id, p.nationality, s.outcome "
      "FROM encounters e JOIN persons p ON p.id = e.person_id "
      "LEFT JOIN screenings s ON s.encounter_id = e.id WHERE 1 = 1";
  store::Params params;
  if (org_id) {
    sql += " AND e.org_id = ?";
    params.emplace_back(*org_id);
  }
  if (!from_month.empty()) {
    sql += " AND e.occurred_on >= ?";
    params.emplace_back(from_month + "-01");
  }
  if (!to_month.empty()) {
    sql += " AND e.occurred_on <= ?";
    params.emplace_back(to_month + "-31");
  }
  std::vector<EncounterRow> rows;
  for (const auto& r : c.query(sql, params))
    rows.push_back({r.text(0), r.text(1), r.integer(2), r.optional_text(3), r.optional_text(4)});
  return rows;
}

CompactBatch compact_screenings(store::Connection& c, int64_t after_id, int64_t batch) {
  CompactBatch out;
  for (const auto& r : c.query(
           "SELECT id, instrument, profile, age, may_be_minor, answers, language, rule_version, "
           "result FROM screenings WHERE id > ? AND result <> '' ORDER BY id LIMIT ?",
           {after_id, batch})) {
    out.last_id = r.integer(0);
    Json answers = unpack_answers(r.text(5));
    Json stored = Json::parse(r.text(8));
    StoredEvaluation e{r.text(1), std::nullopt, r.optional_integer(3), r.integer(4) != 0, answers,
                       r.text(6), r.text(7)};
    // The full instrument always names its profile; the screener may have routed to it or
    // been given it: try both.
    std::vector<std::optional<std::string>> candidates;
    if (e.instrument == "full")
      candidates = {r.text(2)};
    else
      candidates = {std::nullopt, r.text(2)};
    bool converted = false;
    for (const auto& requested : candidates) {
      e.requested_profile = requested;
      Json again;
      try {
        again = recompute_result(e);
      } catch (const Error&) {
        continue;  // ignored: this candidate is not how the row was evaluated; keep the row
      }
      if (again != stored) continue;
      c.execute(
          "UPDATE screenings SET answers = ?, result = '', requested_profile = ? WHERE id = ?",
          {pack_answers(answers), requested ? store::Value(*requested) : store::null_value,
           out.last_id});
      converted = true;
      break;
    }
    ++(converted ? out.converted : out.kept);
  }
  return out;
}

std::optional<std::string> setting(store::Connection& c, const std::string& key) {
  auto r = c.query_one("SELECT value FROM settings WHERE key = ?", {key});
  if (!r) return std::nullopt;
  return r->text(0);
}

void set_setting(store::Connection& c, const std::string& key, const std::string& value) {
  c.execute(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
      "excluded.value",
      {key, value});
}

}  // namespace ctip::screen::repository
