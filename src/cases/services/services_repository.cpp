#include "cases/services/services_repository.h"

#include <algorithm>
#include <unordered_map>

#include "cases/services/dashboard.h"
#include "core/error.h"

namespace ctip::cases::services::repository {
namespace {

using store::Params;
using store::Row;
using store::Value;

std::string join_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size() && !s.empty()) {
    auto comma = s.find(',', start);
    auto item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Value optional_int(const std::optional<int64_t>& v) { return v ? Value(*v) : store::null_value; }
Value optional_text(const std::optional<std::string>& v) {
  return v ? Value(*v) : store::null_value;
}

constexpr const char* kProviderColumns =
    "id, org_id, name, languages, interpreter, region, location, eligible_sexes, min_age, "
    "max_age, eligible_nationalities, eligible_documentation, capacity, occupancy, "
    "funding_this_year, funding_baseline";

Provider provider_of(const Row& r) {
  Provider p;
  p.id = r.integer(0);
  p.org_id = r.optional_integer(1);
  p.name = r.text(2);
  p.languages = split_list(r.text(3));
  p.interpreter = r.integer(4) != 0;
  p.region = r.text(5);
  p.location = r.text(6);
  p.eligibility.sexes = split_list(r.text(7));
  if (auto v = r.optional_integer(8)) p.eligibility.min_age = static_cast<int>(*v);
  if (auto v = r.optional_integer(9)) p.eligibility.max_age = static_cast<int>(*v);
  p.eligibility.nationalities = split_list(r.text(10));
  p.eligibility.documentation = split_list(r.text(11));
  p.capacity = r.integer(12);
  p.occupancy = r.integer(13);
  p.funding_this_year = r.integer(14);
  p.funding_baseline = r.integer(15);
  return p;
}

// The FROM clause of a dashboard query over a table of case rows (`x`, with case_id), narrowed
// to one organisation's cases when `org` is set, followed by a WHERE the caller extends with
// AND. CROSS JOIN makes SQLite start from the organisation's cases (index cases_org) instead of
// scanning every row of the table and looking each case up (1.6 s against 0.1 s over a million
// permits); PostgreSQL plans it as any inner join.
std::string from_cases_of(const std::string& table, std::optional<int64_t> org, Params& params) {
  if (!org) return " FROM " + table + " x WHERE 1 = 1";
  params.emplace_back(*org);
  return " FROM cases k CROSS JOIN " + table + " x WHERE k.org_id = ? AND x.case_id = k.id";
}

// Rows (group, first date, second date, count) -> histograms of days from the first date to
// the second, keyed (group, month of the first date) or (group, "") when `by_month` is false.
// SQL groups by the dates themselves (an index scan on both engines); the days are counted
// here, each distinct date converted once.
DelayHistograms histograms(store::Connection& c, const std::string& sql, const Params& params,
                           bool by_month) {
  DelayHistograms out;
  std::unordered_map<std::string, std::optional<int64_t>> days;
  auto day = [&](const std::string& d) {
    auto it = days.find(d);
    if (it == days.end()) it = days.emplace(d, day_number(d)).first;
    return it->second;
  };
  for (const auto& r : c.query(sql, params)) {
    auto from = r.text(1);
    auto a = day(from), b = day(r.text(2));
    if (!a || !b) continue;  // a malformed date stored by other means: not counted
    out[{r.text(0), by_month ? from.substr(0, 7) : std::string()}][std::max<int64_t>(0, *b - *a)] +=
        r.integer(3);
  }
  return out;
}

}  // namespace

// --- providers -------------------------------------------------------------------------------

int64_t insert_provider(store::Connection& c, const Provider& p, const std::string& now) {
  auto e = p.eligibility;
  int64_t id =
      c.query_row(
           "INSERT INTO providers (org_id, name, languages, interpreter, region, location, "
           "eligible_sexes, min_age, max_age, eligible_nationalities, eligible_documentation, "
           "capacity, occupancy, funding_this_year, funding_baseline, created_at, updated_at) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
           {optional_int(p.org_id), p.name, join_list(p.languages),
            static_cast<int64_t>(p.interpreter ? 1 : 0), p.region, p.location, join_list(e.sexes),
            e.min_age ? Value(static_cast<int64_t>(*e.min_age)) : store::null_value,
            e.max_age ? Value(static_cast<int64_t>(*e.max_age)) : store::null_value,
            join_list(e.nationalities), join_list(e.documentation), p.capacity, p.occupancy,
            p.funding_this_year, p.funding_baseline, now, now})
          .integer(0);
  for (auto t : p.services)
    c.execute("INSERT INTO provider_services (provider_id, service) VALUES (?, ?)",
              {id, std::string(to_string(t))});
  return id;
}

std::vector<Provider> list_providers(store::Connection& c, const ProviderFilter& f) {
  std::string sql = std::string("SELECT ") + kProviderColumns + " FROM providers p WHERE 1 = 1";
  Params params;
  if (f.service) {
    sql +=
        " AND EXISTS (SELECT 1 FROM provider_services s WHERE s.provider_id = p.id AND "
        "s.service = ?)";
    params.emplace_back(std::string(to_string(*f.service)));
  }
  if (f.region) {
    sql += " AND LOWER(region) = LOWER(?)";
    params.emplace_back(*f.region);
  }
  if (f.free_only) sql += " AND occupancy < capacity";
  sql += " ORDER BY id";
  std::vector<Provider> out;
  std::unordered_map<int64_t, size_t> at;
  for (const auto& r : c.query(sql, params)) {
    at.emplace(r.integer(0), out.size());
    out.push_back(provider_of(r));
  }
  if (out.empty()) return out;
  for (const auto& r : c.query(
           "SELECT provider_id, service FROM provider_services ORDER BY provider_id, service")) {
    auto it = at.find(r.integer(0));
    if (it == at.end()) continue;
    if (auto t = parse_service_type(r.text(1))) out[it->second].services.push_back(*t);
  }
  return out;
}

std::optional<Provider> find_provider(store::Connection& c, int64_t id) {
  auto row =
      c.query_one(std::string("SELECT ") + kProviderColumns + " FROM providers WHERE id = ?", {id});
  if (!row) return std::nullopt;
  Provider p = provider_of(*row);
  for (const auto& r : c.query(
           "SELECT service FROM provider_services WHERE provider_id = ? ORDER BY service", {id}))
    if (auto t = parse_service_type(r.text(0))) p.services.push_back(*t);
  return p;
}

bool change_occupancy(store::Connection& c, int64_t provider_id, int64_t delta,
                      const std::string& now) {
  c.execute(
      "UPDATE providers SET occupancy = occupancy + ?, updated_at = ? WHERE id = ? AND "
      "occupancy + ? >= 0 AND occupancy + ? <= capacity",
      {delta, now, provider_id, delta, delta});
  return c.changes() == 1;
}

int64_t count_providers(store::Connection& c) {
  return c.query_row("SELECT COUNT(*) FROM providers").integer(0);
}

bool organisation_exists(store::Connection& c, int64_t id) {
  return c.query_one("SELECT id FROM organisations WHERE id = ?", {id}).has_value();
}

std::optional<int64_t> organisation_named(store::Connection& c, const std::string& name) {
  auto row = c.query_one("SELECT id FROM organisations WHERE name = ?", {name});
  if (!row) return std::nullopt;
  return row->integer(0);
}

// --- cases -----------------------------------------------------------------------------------

std::optional<CasePerson> find_case_person(store::Connection& c, int64_t case_id) {
  auto row = c.query_one(
      "SELECT k.id, k.org_id, f.sex, f.age, f.nationality, f.documentation_status, f.languages, "
      "f.region, p.nationality FROM cases k LEFT JOIN case_files f ON f.case_id = k.id "
      "JOIN persons p ON p.id = k.person_id WHERE k.id = ?",
      {case_id});
  if (!row) return std::nullopt;
  CasePerson out;
  out.case_id = row->integer(0);
  out.org_id = row->integer(1);
  auto& n = out.person;
  if (auto s = row->optional_text(2)) n.sex = *s;
  if (auto a = row->optional_integer(3)) n.age = static_cast<int>(*a);
  n.nationality = row->optional_text(4);
  if (!n.nationality) n.nationality = row->optional_text(8);  // screening's person record
  if (auto d = row->optional_text(5)) n.documentation_status = *d;
  n.languages = split_list(row->text(6));
  n.region = row->text(7);
  return out;
}

bool consent_granted(store::Connection& c, int64_t case_id, const std::string& purpose) {
  auto row = c.query_one(
      "SELECT granted FROM case_consents WHERE case_id = ? AND purpose = ? ORDER BY id DESC "
      "LIMIT 1",
      {case_id, purpose});
  return row && row->integer(0) == 1;
}

void share_case(store::Connection& c, int64_t case_id, int64_t org_id, const std::string& reason,
                std::optional<int64_t> by, const std::string& now) {
  c.execute(
      "INSERT INTO case_shares (case_id, org_id, reason, created_by, created_at) VALUES "
      "(?, ?, ?, ?, ?) ON CONFLICT (case_id, org_id, reason) DO NOTHING",
      {case_id, org_id, reason, optional_int(by), now});
}

// --- referrals -------------------------------------------------------------------------------

namespace {
constexpr const char* kReferralSelect =
    "SELECT r.id, r.org_id, r.case_id, r.provider_id, p.name, p.org_id, r.service, r.status, "
    "r.interpreter_needed, r.match_reasons, r.note, r.response_reason, r.completion_note, "
    "r.region, r.created_by, r.responded_by, r.created_at, r.responded_at, r.completed_at "
    "FROM service_referrals r JOIN providers p ON p.id = r.provider_id";

Referral referral_of(const Row& r) {
  Referral x;
  x.id = r.integer(0);
  x.org_id = r.integer(1);
  x.case_id = r.integer(2);
  x.provider_id = r.integer(3);
  x.provider_name = r.text(4);
  x.provider_org_id = r.optional_integer(5);
  x.service = r.text(6);
  x.status = r.text(7);
  x.interpreter_needed = r.integer(8) != 0;
  x.match_reasons = r.text(9);
  x.note = r.text(10);
  x.response_reason = r.optional_text(11);
  x.completion_note = r.optional_text(12);
  x.region = r.text(13);
  x.created_by = r.optional_integer(14);
  x.responded_by = r.optional_integer(15);
  x.created_at = r.text(16);
  x.responded_at = r.optional_text(17);
  x.completed_at = r.optional_text(18);
  return x;
}
}  // namespace

int64_t insert_referral(store::Connection& c, const Referral& r) {
  return c
      .query_row(
          "INSERT INTO service_referrals (org_id, case_id, provider_id, service, status, "
          "interpreter_needed, match_reasons, note, region, created_by, created_at) VALUES "
          "(?, ?, ?, ?, 'sent', ?, ?, ?, ?, ?, ?) RETURNING id",
          {r.org_id, r.case_id, r.provider_id, r.service,
           static_cast<int64_t>(r.interpreter_needed ? 1 : 0), r.match_reasons, r.note, r.region,
           optional_int(r.created_by), r.created_at})
      .integer(0);
}

std::optional<Referral> find_referral(store::Connection& c, int64_t id) {
  auto row = c.query_one(std::string(kReferralSelect) + " WHERE r.id = ?", {id});
  if (!row) return std::nullopt;
  return referral_of(*row);
}

std::vector<Referral> list_referrals(store::Connection& c, std::optional<int64_t> org,
                                     std::optional<int64_t> case_id, int64_t limit) {
  std::string sql = std::string(kReferralSelect) + " WHERE 1 = 1";
  Params params;
  if (org) {
    sql += " AND (r.org_id = ? OR p.org_id = ?)";
    params.emplace_back(*org);
    params.emplace_back(*org);
  }
  if (case_id) {
    sql += " AND r.case_id = ?";
    params.emplace_back(*case_id);
  }
  sql += " ORDER BY r.id DESC LIMIT ?";
  params.emplace_back(limit);
  std::vector<Referral> out;
  for (const auto& r : c.query(sql, params)) out.push_back(referral_of(r));
  return out;
}

bool move_referral(store::Connection& c, int64_t id, const std::string& from, const std::string& to,
                   const std::optional<std::string>& reason, std::optional<int64_t> by,
                   const std::string& now) {
  if (to == "completed")
    c.execute(
        "UPDATE service_referrals SET status = ?, completion_note = ?, completed_at = ? "
        "WHERE id = ? AND status = ?",
        {to, optional_text(reason), now, id, from});
  else
    c.execute(
        "UPDATE service_referrals SET status = ?, response_reason = ?, responded_by = ?, "
        "responded_at = ? WHERE id = ? AND status = ?",
        {to, optional_text(reason), optional_int(by), now, id, from});
  return c.changes() == 1;
}

bool has_open_referral(store::Connection& c, int64_t case_id, int64_t provider_id,
                       const std::string& service) {
  return c.query_row(
              "SELECT COUNT(*) FROM service_referrals WHERE case_id = ? AND provider_id = ? "
              "AND service = ? AND status IN ('sent', 'accepted')",
              {case_id, provider_id, service})
             .integer(0) > 0;
}

// --- investigations --------------------------------------------------------------------------

namespace {
constexpr std::array<const char*, 6> kInputColumns = {"children_involved", "ongoing_exploitation",
                                                      "violence",          "victims",
                                                      "evidence_strength", "network_risk"};

// Reads the inputs at columns [first, first + 6) of a row; NULL stays unrecorded.
void read_inputs(const Row& r, size_t first, PriorityItem& item) {
  for (size_t i = 0; i < kInputColumns.size(); ++i)
    if (!r.is_null(first + i)) item.inputs[kInputColumns[i]] = r.real(first + i);
}
}  // namespace

std::vector<QueueEntry> investigation_queue(store::Connection& c, std::optional<int64_t> org) {
  std::vector<QueueEntry> out;
  std::string inputs =
      "q.children_involved, q.ongoing_exploitation, q.violence, q.victims, q.evidence_strength, "
      "q.network_risk";
  {
    std::string sql =
        "SELECT i.id, i.org_id, i.case_id, i.network_ref, i.assigned_to, i.status, i.opened_at, "
        "f.age, " +
        inputs +
        " FROM investigations i LEFT JOIN investigation_priority_inputs q ON q.investigation_id "
        "= i.id LEFT JOIN case_files f ON f.case_id = i.case_id WHERE i.status IN ('open', "
        "'suspended')";
    Params params;
    if (org) {
      sql += " AND i.org_id = ?";
      params.emplace_back(*org);
    }
    for (const auto& r : c.query(sql + " ORDER BY i.id", params)) {
      QueueEntry e;
      e.item.kind = "investigation";
      e.item.id = r.integer(0);
      e.org_id = r.integer(1);
      e.case_id = r.optional_integer(2);
      e.network_ref = r.optional_text(3);
      e.assigned_to = r.optional_integer(4);
      e.status = r.text(5);
      e.opened_at = r.text(6);
      read_inputs(r, 8, e.item);
      // A person under 18 in the case is a child involved, recorded or not.
      if (auto age = r.optional_integer(7);
          age && *age < 18 && !e.item.inputs.count("children_involved"))
        e.item.inputs["children_involved"] = 1;
      out.push_back(std::move(e));
    }
  }
  {
    std::string sql =
        "SELECT s.case_id, s.org_id, s.created_at, f.age, " + inputs +
        " FROM case_shares s LEFT JOIN investigation_priority_inputs q ON q.case_id = s.case_id "
        "LEFT JOIN case_files f ON f.case_id = s.case_id WHERE s.reason = 'law_enforcement' AND "
        "NOT EXISTS (SELECT 1 FROM investigations i WHERE i.case_id = s.case_id AND i.org_id = "
        "s.org_id)";
    Params params;
    if (org) {
      sql += " AND s.org_id = ?";
      params.emplace_back(*org);
    }
    for (const auto& r : c.query(sql + " ORDER BY s.case_id", params)) {
      QueueEntry e;
      e.item.kind = "case";
      e.item.id = r.integer(0);
      e.org_id = r.integer(1);
      e.case_id = r.integer(0);
      e.status = "referred";
      e.opened_at = r.text(2);
      read_inputs(r, 4, e.item);
      if (auto age = r.optional_integer(3);
          age && *age < 18 && !e.item.inputs.count("children_involved"))
        e.item.inputs["children_involved"] = 1;
      out.push_back(std::move(e));
    }
  }
  return out;
}

std::vector<Workload> investigator_workload(store::Connection& c, std::optional<int64_t> org) {
  std::string sql =
      "SELECT u.id, u.username, SUM(CASE WHEN i.status = 'open' THEN 1 ELSE 0 END), "
      "SUM(CASE WHEN i.status = 'suspended' THEN 1 ELSE 0 END) FROM users u LEFT JOIN "
      "investigations i ON i.assigned_to = u.id AND i.status IN ('open', 'suspended') WHERE "
      "u.role = 'investigator'";
  Params params;
  if (org) {
    sql += " AND u.org_id = ?";
    params.emplace_back(*org);
  }
  sql += " GROUP BY u.id, u.username ORDER BY u.id";
  std::vector<Workload> out;
  for (const auto& r : c.query(sql, params))
    out.push_back({r.integer(0), r.text(1), r.integer(2), r.integer(3)});
  return out;
}

void save_priority_inputs(store::Connection& c, const std::string& kind, int64_t id,
                          const std::map<std::string, double>& inputs, std::optional<int64_t> by,
                          const std::string& now) {
  const std::string key = kind == "case" ? "case_id" : "investigation_id";
  Params params = {id};
  for (const auto* col : kInputColumns) {
    auto it = inputs.find(col);
    if (it == inputs.end())
      params.emplace_back(store::null_value);
    else if (std::string(col) == "evidence_strength" || std::string(col) == "network_risk")
      params.emplace_back(it->second);
    else
      params.emplace_back(static_cast<int64_t>(it->second));
  }
  params.emplace_back(optional_int(by));
  params.emplace_back(now);
  c.execute("INSERT INTO investigation_priority_inputs (" + key +
                ", children_involved, ongoing_exploitation, violence, victims, evidence_strength, "
                "network_risk, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (" +
                key +
                ") DO UPDATE SET children_involved = excluded.children_involved, "
                "ongoing_exploitation = excluded.ongoing_exploitation, violence = "
                "excluded.violence, victims = excluded.victims, evidence_strength = "
                "excluded.evidence_strength, network_risk = excluded.network_risk, updated_by = "
                "excluded.updated_by, updated_at = excluded.updated_at",
            params);
}

std::optional<int64_t> investigation_org(store::Connection& c, int64_t id) {
  auto row = c.query_one("SELECT org_id FROM investigations WHERE id = ?", {id});
  if (!row) return std::nullopt;
  return row->integer(0);
}

bool case_shared_for_law_enforcement(store::Connection& c, int64_t case_id, int64_t org) {
  return c.query_row(
              "SELECT COUNT(*) FROM case_shares WHERE case_id = ? AND org_id = ? AND reason = "
              "'law_enforcement'",
              {case_id, org})
             .integer(0) > 0;
}

int64_t insert_investigation(store::Connection& c, const NewInvestigation& in) {
  return c
      .query_row(
          "INSERT INTO investigations (org_id, case_id, network_ref, assigned_to, opened_at, "
          "status, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
          {in.org_id, optional_int(in.case_id), optional_text(in.network_ref),
           optional_int(in.assigned_to), in.opened_at, in.status, optional_text(in.closed_at)})
      .integer(0);
}

bool user_in_org(store::Connection& c, int64_t user, int64_t org) {
  return c.query_row("SELECT COUNT(*) FROM users WHERE id = ? AND org_id = ?", {user, org})
             .integer(0) > 0;
}

int64_t insert_field_visit(store::Connection& c, const FieldVisit& v) {
  return c
      .query_row(
          "INSERT INTO field_visits (investigation_id, visit_on, location, protective_equipment, "
          "risks, safety_notes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
          "RETURNING id",
          {v.investigation_id, v.visit_on, v.location, v.protective_equipment, v.risks,
           v.safety_notes, optional_int(v.created_by), v.created_at})
      .integer(0);
}

std::vector<FieldVisit> field_visits(store::Connection& c, int64_t investigation_id) {
  std::vector<FieldVisit> out;
  for (const auto& r :
       c.query("SELECT id, investigation_id, visit_on, location, protective_equipment, risks, "
               "safety_notes, created_by, created_at FROM field_visits WHERE investigation_id = ? "
               "ORDER BY visit_on, id",
               {investigation_id}))
    out.push_back({r.integer(0), r.integer(1), r.text(2), r.text(3), r.text(4), r.text(5),
                   r.text(6), r.optional_integer(7), r.text(8)});
  return out;
}

// --- dashboards ------------------------------------------------------------------------------

std::vector<CapacityRow> capacity_by_service_region(store::Connection& c) {
  std::vector<CapacityRow> out;
  for (const auto& r :
       c.query("SELECT s.service, p.region, COUNT(*), SUM(p.capacity), SUM(p.occupancy) FROM "
               "provider_services s JOIN providers p ON p.id = s.provider_id GROUP BY s.service, "
               "p.region ORDER BY s.service, p.region"))
    out.push_back({r.text(0), r.text(1), r.integer(2), r.integer(3), r.integer(4)});
  return out;
}

std::vector<DemandRow> demand_by_service_region(store::Connection& c, std::optional<int64_t> org,
                                                const std::string& since) {
  std::string sql =
      "SELECT service, region, status, COUNT(*) FROM service_referrals WHERE created_at >= ?";
  Params params = {since};
  if (org) {
    sql += " AND org_id = ?";
    params.emplace_back(*org);
  }
  sql += " GROUP BY service, region, status ORDER BY service, region, status";
  std::vector<DemandRow> out;
  for (const auto& r : c.query(sql, params))
    out.push_back({r.text(0), r.text(1), r.text(2), r.integer(3)});
  return out;
}

std::vector<FundingRow> funding_by_service_region(store::Connection& c) {
  std::vector<FundingRow> out;
  for (const auto& r :
       c.query("SELECT s.service, p.region, COUNT(*), SUM(p.funding_this_year), "
               "SUM(p.funding_baseline), SUM(CASE WHEN p.funding_this_year < p.funding_baseline "
               "THEN 1 ELSE 0 END) FROM provider_services s JOIN providers p ON p.id = "
               "s.provider_id GROUP BY s.service, p.region ORDER BY s.service, p.region"))
    out.push_back({r.text(0), r.text(1), r.integer(2), r.integer(3), r.integer(4), r.integer(5)});
  return out;
}

DelayHistograms permit_decision_delays(store::Connection& c, std::optional<int64_t> org) {
  Params params;
  // status <> 'requested' is status IN ('issued', 'refused') under the table's CHECK, written
  // so that SQLite scans the covering index case_permits_delays in GROUP BY order rather than
  // the status index (then a lookup per row and a sort).
  return histograms(c,
                    "SELECT x.kind, x.requested_on, x.decided_on, COUNT(*)" +
                        from_cases_of("case_permits", org, params) +
                        " AND x.status <> 'requested' AND x.decided_on IS NOT NULL GROUP BY "
                        "x.kind, x.requested_on, x.decided_on",
                    params, true);
}

namespace {

// Groups by the date itself (a few thousand days at most) and counts the days to `today` here:
// passing `today` into portable SQL date arithmetic would need it once per use.
DelayHistograms ages_as_of(store::Connection& c, const std::string& sql, const Params& params,
                           const std::string& today) {
  DelayHistograms out;
  auto now = day_number(today);
  if (!now) invalid("as_of", "as_of is a date YYYY-MM-DD");
  for (const auto& r : c.query(sql, params)) {
    auto then = day_number(r.text(1));
    if (!then) continue;  // a malformed date stored by other means: not counted
    out[{r.text(0), ""}][std::max<int64_t>(0, *now - *then)] += r.integer(2);
  }
  return out;
}

}  // namespace

DelayHistograms permit_pending_ages(store::Connection& c, std::optional<int64_t> org,
                                    const std::string& today) {
  Params params;
  return ages_as_of(c,
                    "SELECT x.kind, x.requested_on, COUNT(*)" +
                        from_cases_of("case_permits", org, params) +
                        " AND x.status = 'requested' GROUP BY x.requested_on, x.kind",
                    params, today);
}

DelayHistograms proceeding_idle_days(store::Connection& c, std::optional<int64_t> org,
                                     const std::string& today) {
  Params params;
  // NOT IN ('decided', 'closed') is IN ('open', 'suspended') under the CHECK; written so that
  // SQLite scans the covering index case_proceedings_idle (see permit_decision_delays).
  return ages_as_of(c,
                    "SELECT x.kind, x.last_activity_on, COUNT(*)" +
                        from_cases_of("case_proceedings", org, params) +
                        " AND x.status NOT IN ('decided', 'closed') GROUP BY x.kind, "
                        "x.last_activity_on",
                    params, today);
}

DelayHistograms proceeding_durations(store::Connection& c, std::optional<int64_t> org) {
  Params params;
  return histograms(c,
                    "SELECT x.kind, x.opened_on, x.last_activity_on, COUNT(*)" +
                        from_cases_of("case_proceedings", org, params) +
                        " AND x.status NOT IN ('open', 'suspended') GROUP BY x.kind, x.opened_on, "
                        "x.last_activity_on",
                    params, false);
}

std::map<std::string, int64_t> investigations_per_month(store::Connection& c,
                                                        std::optional<int64_t> org) {
  std::string sql = "SELECT SUBSTR(opened_at, 1, 7), COUNT(*) FROM investigations";
  Params params;
  if (org) {
    sql += " WHERE org_id = ?";
    params.emplace_back(*org);
  }
  sql += " GROUP BY SUBSTR(opened_at, 1, 7)";
  std::map<std::string, int64_t> out;
  for (const auto& r : c.query(sql, params)) out[r.text(0)] = r.integer(1);
  return out;
}

}  // namespace ctip::cases::services::repository
