#include "cases/intake.h"

#include <algorithm>
#include <chrono>

#include "core/country.h"
#include "core/error.h"
#include "core/time.h"

namespace ctip::cases {
namespace {

template <size_t N>
bool one_of(const char* const (&list)[N], const std::string& v) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

std::string joined(auto const& list) {
  std::string out;
  for (const char* s : list) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

}  // namespace

void check_date(const std::string& date, const std::string& field) {
  using namespace std::chrono;
  int y = 0;
  unsigned m = 0, d = 0;
  bool shape = date.size() == 10 && date[4] == '-' && date[7] == '-' &&
               std::all_of(date.begin(), date.end(), [](char ch) {
                 return std::isdigit(static_cast<unsigned char>(ch)) || ch == '-';
               });
  if (shape) {
    y = std::stoi(date.substr(0, 4));
    m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
    d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
  }
  if (!shape || !year_month_day{year{y}, month{m}, day{d}}.ok() || y < 1990)
    invalid(field, "'" + field + "' must be a calendar date YYYY-MM-DD (from 1990)");
}

PersonInput parse_person(const Json& j) {
  JsonObject o(j, "person.");
  o.only({"reference", "nationality"});
  PersonInput p;
  p.reference = o.string("reference");
  if (p.reference.empty() || p.reference.size() > 64)
    invalid("person.reference", "person.reference must be 1 to 64 characters");
  if (auto n = o.optional_string("nationality")) {
    auto c = find_country(*n);
    if (!c || n->size() != 2)
      invalid("person.nationality",
              "person.nationality must be an ISO 3166-1 alpha-2 code such as NG, or null");
    p.nationality = c->alpha2;
  }
  return p;
}

EncounterInput parse_encounter(const Json& j, const std::string& today) {
  JsonObject o(j, "encounter.");
  o.only({"source", "date"});
  EncounterInput e;
  e.source = o.string("source");
  if (!one_of(kEncounterSources, e.source))
    invalid("encounter.source", "encounter.source must be one of " + joined(kEncounterSources));
  e.date = o.optional_string("date").value_or(today);
  check_date(e.date, "encounter.date");
  if (e.date > today) invalid("encounter.date", "encounter.date is in the future");
  return e;
}

std::pair<int64_t, int64_t> record_encounter(store::Connection& c, const Actor& actor,
                                             const PersonInput& person,
                                             const EncounterInput& encounter) {
  int64_t person_id;
  if (auto r = c.query_one("SELECT id FROM persons WHERE org_id = ? AND reference = ?",
                           {actor.org_id, person.reference})) {
    person_id = r->integer(0);
    if (person.nationality)
      c.execute("UPDATE persons SET nationality = ? WHERE id = ?",
                {*person.nationality, person_id});
  } else {
    person_id = c.query_one(
                     "INSERT INTO persons (org_id, reference, nationality, created_at) "
                     "VALUES (?, ?, ?, ?) RETURNING id",
                     {actor.org_id, person.reference,
                      person.nationality ? store::Value(*person.nationality) : store::null_value,
                      now_iso()})
                    ->integer(0);
  }
  int64_t encounter_id =
      c.query_one(
           "INSERT INTO encounters (org_id, person_id, source, occurred_on, recorded_by, "
           "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
           {actor.org_id, person_id, encounter.source, encounter.date,
            actor.user_id > 0 ? store::Value(actor.user_id) : store::null_value, now_iso()})
          ->integer(0);
  return {person_id, encounter_id};
}

std::vector<std::string> recommended_referrals(const std::string& outcome) {
  if (outcome == "presumed_trafficking" || outcome == "possible_trafficking")
    return {"shelter", "medical_care", "legal_aid", "translation", "residence_work_permit"};
  if (outcome == "exploitation_only") return {"labour_inspection", "labour_rights"};
  return {};
}

int64_t save_screening(store::Connection& c, const Actor& actor, int64_t person_id,
                       int64_t encounter_id, const ScreeningInput& s) {
  std::string outcome = s.result.value("outcome", "");
  std::string could_become = s.result.value("could_become", outcome);
  if (outcome.empty()) throw Error(ErrorCode::internal, "screening result without an outcome");
  std::string now = now_iso();
  int64_t id =
      c.query_one(
           "INSERT INTO screenings (org_id, encounter_id, person_id, interviewer_id, language, "
           "interpreter_used, instrument, profile, age, may_be_minor, answers, outcome, "
           "could_become, instrument_version, rule_version, result, created_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
           {actor.org_id, encounter_id, person_id, actor.user_id, s.language,
            int64_t{s.interpreter_used}, s.instrument, s.profile,
            s.age ? store::Value(*s.age) : store::null_value, int64_t{s.may_be_minor},
            s.answers.dump(), outcome, could_become,
            s.result.value("instrument_version", std::string("unknown")),
            s.result.value("rule_version", std::string("unknown")), s.result.dump(), now})
          ->integer(0);
  std::optional<int64_t> case_id;
  if (outcome == "presumed_trafficking" || outcome == "possible_trafficking") {
    case_id = c.query_one(
                   "INSERT INTO cases (org_id, person_id, screening_id, status, opened_at) "
                   "VALUES (?, ?, ?, ?, ?) RETURNING id",
                   {actor.org_id, person_id, id,
                    std::string(outcome == "presumed_trafficking" ? "presumed" : "possible"), now})
                  ->integer(0);
  }
  for (const auto& kind : recommended_referrals(outcome))
    c.execute(
        "INSERT INTO referrals (org_id, screening_id, case_id, kind, status, updated_at) "
        "VALUES (?, ?, ?, ?, 'recommended', ?)",
        {actor.org_id, id, case_id ? store::Value(*case_id) : store::null_value, kind, now});
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

}  // namespace

std::optional<Json> screening_view(store::Connection& c, int64_t screening_id,
                                   std::optional<int64_t> org_id) {
  auto r = c.query_one(std::string("SELECT ") + kSummaryColumns +
                           ", s.result, s.org_id, s.answers" + kSummaryJoins + " WHERE s.id = ?",
                       {screening_id});
  if (!r || (org_id && r->integer(18) != *org_id)) return std::nullopt;
  Json out;
  out["screening"] = summary_json(*r);
  out["screening"]["answers"] = Json::parse(r->text(19));
  out["result"] = Json::parse(r->text(17));
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

Json make_referral(store::Connection& c, const Actor& actor, int64_t screening_id,
                   std::optional<int64_t> org_id, const std::string& kind) {
  if (!one_of(kReferralKinds, kind))
    invalid("kind", "kind must be one of " + joined(kReferralKinds));
  auto s = c.query_one("SELECT org_id FROM screenings WHERE id = ?", {screening_id});
  if (!s || (org_id && s->integer(0) != *org_id))
    throw Error(ErrorCode::not_found, "no such screening", "id");
  auto k = c.query_one("SELECT id FROM cases WHERE screening_id = ?", {screening_id});
  std::string now = now_iso();
  c.execute(
      "INSERT INTO referrals (org_id, screening_id, case_id, kind, status, made_by, updated_at) "
      "VALUES (?, ?, ?, ?, 'made', ?, ?) ON CONFLICT (screening_id, kind) DO UPDATE SET "
      "status = 'made', made_by = excluded.made_by, updated_at = excluded.updated_at",
      {s->integer(0), screening_id, k ? store::Value(k->integer(0)) : store::null_value, kind,
       actor.user_id, now});
  auto r = c.query_one(
      "SELECT id, kind, status, updated_at FROM referrals WHERE screening_id = ? AND kind = ?",
      {screening_id, kind});
  return referral_json(*r);
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

}  // namespace ctip::cases
