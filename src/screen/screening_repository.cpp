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

namespace {

// The engine's action as stored in screenings.action (NULL when the result has none).
store::Value action_value(const Json& result) {
  std::string action = result.is_object() ? result.value("action", "") : "";
  return action.empty() ? store::null_value : store::Value(action);
}

// Opens the screening's case when its result calls for one (case_status), or brings an open
// case's status up to date; nothing is closed or removed when the result no longer calls for
// one (a correction never takes protection away). Returns the case's id, if any.
std::optional<int64_t> open_case(store::Connection& c, int64_t org_id, int64_t person_id,
                                 int64_t screening_id, const Json& result, const std::string& now) {
  auto status = case_status(result);
  auto k = c.query_one("SELECT id, status FROM cases WHERE screening_id = ?", {screening_id});
  if (k) {
    if (status && *status != k->text(1))
      c.execute("UPDATE cases SET status = ? WHERE id = ?", {*status, k->integer(0)});
    return k->integer(0);
  }
  if (!status) return std::nullopt;
  int64_t id = c.query_row(
                    "INSERT INTO cases (org_id, person_id, screening_id, status, opened_at) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                    {org_id, person_id, screening_id, *status, now})
                   .integer(0);
  // Referrals recommended or made before the case was opened (a correction) belong to it.
  c.execute("UPDATE referrals SET case_id = ? WHERE screening_id = ? AND case_id IS NULL",
            {id, screening_id});
  return id;
}

}  // namespace

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
           "created_at, action) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
           "RETURNING id",
           {by.org_id, encounter_id, person_id, by.user_id, s.language, int64_t{s.interpreter_used},
            s.instrument, s.profile, s.age ? store::Value(*s.age) : store::null_value,
            int64_t{s.may_be_minor}, pack_answers(s.answers), outcome, could_become,
            s.result.value("instrument_version", std::string("unknown")),
            s.result.value("rule_version", std::string("unknown")),
            // '' = recomputed on read (stored_screening.h): the rendered result is not stored.
            std::string(),
            s.requested_profile ? store::Value(*s.requested_profile) : store::null_value, now,
            action_value(s.result)})
          .integer(0);
  std::optional<int64_t> case_id = open_case(c, by.org_id, person_id, id, s.result, now);
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
  // The interview setup and the screening followed (schema 0009), and the corrections.
  auto iv = c.query_one("SELECT interview, follows_screening_id FROM screenings WHERE id = ?",
                        {screening_id});
  if (iv && !iv->is_null(0)) out["screening"]["interview"] = Json::parse(iv->text(0));
  if (iv && !iv->is_null(1)) out["screening"]["follows"] = iv->integer(1);
  // Each correction with its changes, from -> to: a correction's "to" is what the next one
  // found (its previous answers), or the current answers for the last.
  Json corrections = Json::array();
  std::vector<Json> previous;
  for (const auto& row :
       c.query("SELECT k.id, k.corrected_at, u.username, k.reason, k.changed, k.previous_outcome, "
               "k.outcome, k.previous_answers FROM screening_corrections k "
               "JOIN users u ON u.id = k.corrected_by WHERE k.screening_id = ? ORDER BY k.id",
               {screening_id})) {
    corrections.push_back({{"id", row.integer(0)},
                           {"corrected_at", row.text(1)},
                           {"corrected_by", row.text(2)},
                           {"reason", row.text(3)},
                           {"changed", Json::parse(row.text(4))},
                           {"previous_outcome", row.text(5)},
                           {"outcome", row.text(6)}});
    previous.push_back(unpack_answers(row.text(7)));
  }
  auto answer_in = [](const Json& answers, const std::string& id) {
    return answers.is_object() && answers.contains(id) ? answers[id] : Json("unknown");
  };
  for (size_t i = 0; i < corrections.size(); ++i) {
    const Json& after = i + 1 < previous.size() ? previous[i + 1] : out["screening"]["answers"];
    Json changes = Json::array();
    for (const auto& id : corrections[i]["changed"]) {
      std::string q = id.get<std::string>();
      changes.push_back(
          {{"id", q}, {"from", answer_in(previous[i], q)}, {"to", answer_in(after, q)}});
    }
    corrections[i]["changes"] = changes;
  }
  out["corrections"] = corrections;
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
      "SELECT substr(e.occurred_on, 1, 7), e.source, e.person_id, p.nationality, s.outcome, "
      "s.action, s.id FROM encounters e JOIN persons p ON p.id = e.person_id "
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
  std::vector<std::pair<size_t, int64_t>> without_action;  // row, screening id
  for (const auto& r : c.query(sql, params)) {
    rows.push_back({r.text(0), r.text(1), r.integer(2), r.optional_text(3), r.optional_text(4),
                    r.optional_text(5)});
    if (!r.is_null(6) && r.is_null(5)) without_action.emplace_back(rows.size() - 1, r.integer(6));
  }
  // Screenings recorded before schema 0011 have no stored action: the engine gives it again
  // from the stored evaluation (pure: the action given at creation). One that cannot be
  // evaluated again (its instrument version is gone; reading it is an integrity error too)
  // counts as screened, under no action.
  for (const auto& [row, id] : without_action) {
    auto stored = stored_for_correction(c, id);
    if (!stored) continue;
    try {
      Json result = recompute_result({stored->instrument, stored->requested_profile, stored->age,
                                      stored->may_be_minor, stored->answers, stored->language,
                                      stored->rule_version});
      if (result.contains("action") && result["action"].is_string())
        rows[row].action = result["action"].get<std::string>();
    } catch (const Error&) {
      // ignored: see above; the outcome is still counted
    }
  }
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

// --- Drafts, the interview setup and corrections ------------------------------------------

namespace {

constexpr const char* kDraftColumns =
    "d.id, d.status, d.revision, d.state, d.follows_screening_id, d.screening_id, d.created_at, "
    "d.updated_at, cu.username, uu.username, d.org_id";
constexpr const char* kDraftJoins =
    " FROM screening_drafts d JOIN users cu ON cu.id = d.created_by "
    "JOIN users uu ON uu.id = d.updated_by";

Json draft_json(const store::Row& r) {
  return {{"id", r.integer(0)},
          {"status", r.text(1)},
          {"revision", r.integer(2)},
          {"state", Json::parse(r.text(3))},
          {"follows", r.is_null(4) ? Json() : Json(r.integer(4))},
          {"screening_id", r.is_null(5) ? Json() : Json(r.integer(5))},
          {"created_at", r.text(6)},
          {"updated_at", r.text(7)},
          {"created_by", r.text(8)},
          {"updated_by", r.text(9)}};
}

}  // namespace

int64_t create_draft(store::Connection& c, const Recorder& by, const Json& state,
                     std::optional<int64_t> follows) {
  std::string now = now_iso();
  return c
      .query_row(
          "INSERT INTO screening_drafts (org_id, created_by, updated_by, state, status, revision, "
          "follows_screening_id, created_at, updated_at) VALUES (?, ?, ?, ?, 'open', 1, ?, ?, ?) "
          "RETURNING id",
          {by.org_id, by.user_id, by.user_id, state.dump(),
           follows ? store::Value(*follows) : store::null_value, now, now})
      .integer(0);
}

std::optional<int64_t> draft_owner(store::Connection& c, int64_t draft_id) {
  auto r = c.query_one("SELECT org_id FROM screening_drafts WHERE id = ?", {draft_id});
  if (!r) return std::nullopt;
  return r->integer(0);
}

std::optional<Json> draft_view(store::Connection& c, int64_t draft_id) {
  auto r = c.query_one(std::string("SELECT ") + kDraftColumns + kDraftJoins + " WHERE d.id = ?",
                       {draft_id});
  if (!r) return std::nullopt;
  return draft_json(*r);
}

Json save_draft(store::Connection& c, const Recorder& by, int64_t draft_id, const Json& state,
                std::optional<int64_t> revision) {
  auto r = c.query_one("SELECT status, revision FROM screening_drafts WHERE id = ?", {draft_id});
  if (!r) throw Error(ErrorCode::not_found, "no such draft", "id");
  if (r->text(0) != "open")
    throw Error(ErrorCode::conflict, "the draft is " + r->text(0) + ": it can no longer change",
                "id");
  if (revision && *revision != r->integer(1))
    throw Error(ErrorCode::conflict,
                "the draft was saved from another page since (revision " +
                    std::to_string(r->integer(1)) + "): reload it",
                "revision");
  c.execute(
      "UPDATE screening_drafts SET state = ?, revision = revision + 1, updated_by = ?, "
      "updated_at = ? WHERE id = ?",
      {state.dump(), by.user_id, now_iso(), draft_id});
  auto view = draft_view(c, draft_id);
  if (!view) throw Error(ErrorCode::internal, "the draft just saved cannot be read back");
  return *view;
}

void close_draft(store::Connection& c, int64_t draft_id, const std::string& status,
                 std::optional<int64_t> screening_id) {
  auto r = c.query_one("SELECT status FROM screening_drafts WHERE id = ?", {draft_id});
  if (!r) throw Error(ErrorCode::not_found, "no such draft", "draft_id");
  if (r->text(0) == status && status == "discarded") return;  // discarding twice: done
  if (r->text(0) != "open")
    throw Error(ErrorCode::conflict, "the draft is already " + r->text(0), "draft_id");
  c.execute(
      "UPDATE screening_drafts SET status = ?, screening_id = ?, revision = revision + 1, "
      "updated_at = ? WHERE id = ?",
      {status, screening_id ? store::Value(*screening_id) : store::null_value, now_iso(),
       draft_id});
}

Json list_drafts(store::Connection& c, std::optional<int64_t> org_id, int64_t limit) {
  std::string sql =
      std::string("SELECT ") + kDraftColumns + kDraftJoins + " WHERE d.status = 'open'";
  store::Params params;
  if (org_id) {
    sql += " AND d.org_id = ?";
    params.emplace_back(*org_id);
  }
  sql += " ORDER BY d.id DESC LIMIT ?";
  params.emplace_back(limit);
  Json out = Json::array();
  for (const auto& r : c.query(sql, params)) {
    Json d = draft_json(r);
    const Json& state = d["state"];
    Json reference;
    if (state.contains("setup") && state["setup"].is_object() &&
        state["setup"].contains("personRef") && state["setup"]["personRef"].is_string())
      reference = state["setup"]["personRef"];
    int64_t answered = 0;
    if (state.contains("answers") && state["answers"].is_object())
      for (const auto& [id, a] : state["answers"].items())
        if (a != "unknown") ++answered;
    out.push_back({{"id", d["id"]},
                   {"revision", d["revision"]},
                   {"step", state.value("step", std::string("setup"))},
                   {"reference", reference},
                   {"answered", answered},
                   {"follows", d["follows"]},
                   {"created_at", d["created_at"]},
                   {"updated_at", d["updated_at"]},
                   {"updated_by", d["updated_by"]}});
  }
  return out;
}

std::optional<FollowedScreening> followed_screening(store::Connection& c, int64_t screening_id) {
  auto r = c.query_one(
      "SELECT s.org_id, s.person_id, s.encounter_id, p.reference FROM screenings s "
      "JOIN persons p ON p.id = s.person_id WHERE s.id = ?",
      {screening_id});
  if (!r) return std::nullopt;
  return FollowedScreening{r->integer(0), r->integer(1), r->integer(2), r->text(3)};
}

void set_interview(store::Connection& c, int64_t screening_id, const Json& interview,
                   std::optional<int64_t> follows) {
  c.execute("UPDATE screenings SET interview = ?, follows_screening_id = ? WHERE id = ?",
            {interview.is_null() ? store::null_value : store::Value(interview.dump()),
             follows ? store::Value(*follows) : store::null_value, screening_id});
}

int64_t ensure_case(store::Connection& c, int64_t screening_id, const std::string& status) {
  auto k = c.query_one("SELECT id FROM cases WHERE screening_id = ?", {screening_id});
  if (k) return k->integer(0);
  auto s = c.query_row("SELECT org_id, person_id FROM screenings WHERE id = ?", {screening_id});
  int64_t id = c.query_row(
                    "INSERT INTO cases (org_id, person_id, screening_id, status, opened_at) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                    {s.integer(0), s.integer(1), screening_id, status, now_iso()})
                   .integer(0);
  c.execute("UPDATE referrals SET case_id = ? WHERE screening_id = ? AND case_id IS NULL",
            {id, screening_id});
  return id;
}

void recommend(store::Connection& c, const Recorder& by, int64_t screening_id,
               const std::vector<std::string>& kinds) {
  auto k = c.query_one("SELECT id FROM cases WHERE screening_id = ?", {screening_id});
  std::string now = now_iso();
  for (const auto& kind : kinds)
    c.execute(
        "INSERT INTO referrals (org_id, screening_id, case_id, kind, status, updated_at) "
        "VALUES (?, ?, ?, ?, 'recommended', ?) ON CONFLICT (screening_id, kind) DO NOTHING",
        {by.org_id, screening_id, k ? store::Value(k->integer(0)) : store::null_value, kind, now});
}

std::optional<StoredForCorrection> stored_for_correction(store::Connection& c,
                                                         int64_t screening_id) {
  auto r = c.query_one(
      "SELECT org_id, person_id, outcome, answers, instrument, requested_profile, age, "
      "may_be_minor, language, rule_version, result, profile FROM screenings WHERE id = ?",
      {screening_id});
  if (!r) return std::nullopt;
  StoredForCorrection s;
  s.org_id = r->integer(0);
  s.person_id = r->integer(1);
  s.outcome = r->text(2);
  s.answers = unpack_answers(r->text(3));
  s.instrument = r->text(4);
  s.requested_profile = r->optional_text(5);
  // A row written before the compact format names no requested profile: the full instrument
  // was evaluated with its profile.
  if (!s.requested_profile && !r->text(10).empty() && s.instrument == "full")
    s.requested_profile = r->text(11);
  s.age = r->optional_integer(6);
  s.may_be_minor = r->integer(7) != 0;
  s.language = r->text(8);
  s.rule_version = r->text(9);
  return s;
}

int64_t apply_correction(store::Connection& c, const Recorder& by, int64_t screening_id,
                         const StoredForCorrection& before, const Json& answers, const Json& result,
                         const std::vector<std::string>& changed, const std::string& reason) {
  std::string outcome = result.value("outcome", "");
  if (outcome.empty()) throw Error(ErrorCode::internal, "corrected result without an outcome");
  std::string now = now_iso();
  c.execute(
      "UPDATE screenings SET answers = ?, outcome = ?, could_become = ?, instrument_version = ?, "
      "rule_version = ?, result = '', requested_profile = ?, action = ? WHERE id = ?",
      {pack_answers(answers), outcome, result.value("could_become", outcome),
       result.value("instrument_version", std::string("unknown")),
       result.value("rule_version", std::string("unknown")),
       before.requested_profile ? store::Value(*before.requested_profile) : store::null_value,
       action_value(result), screening_id});
  Json changed_json = changed;
  int64_t id =
      c.query_row(
           "INSERT INTO screening_corrections (org_id, screening_id, corrected_by, reason, "
           "changed, previous_answers, previous_outcome, outcome, corrected_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
           {before.org_id, screening_id, by.user_id, reason, changed_json.dump(),
            pack_answers(before.answers), before.outcome, outcome, now})
          .integer(0);
  open_case(c, before.org_id, before.person_id, screening_id, result, now);
  recommend(c, {by.user_id, before.org_id}, screening_id, recommended_referrals(result));
  return id;
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
