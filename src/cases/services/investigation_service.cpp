#include "cases/services/investigation_service.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "cases/services/dashboard.h"
#include "cases/services/services_repository.h"
#include "core/error.h"
#include "core/time.h"

namespace ctip::cases::services {
namespace {

const PriorityModel& model_named(const std::optional<std::string>& version) {
  if (!version) return builtin_priority_model();
  const auto& all = builtin_priority_models();
  auto it = all.find(*version);
  if (it == all.end()) {
    std::string list;
    for (const auto& [name, m] : all) list += (list.empty() ? "" : ", ") + name;
    invalid("model", "no priority model '" + *version + "' (shipped: " + list + ")");
  }
  return it->second;
}

// The range each input takes (schema/0015_services.sql's CHECKs).
void check_inputs(const std::map<std::string, double>& inputs) {
  for (const auto& [name, v] : inputs) {
    if (std::ranges::find(kPriorityInputs, name) == kPriorityInputs.end())
      invalid(name, "'" + name + "' is not a priority input");
    bool flag = name == "children_involved" || name == "ongoing_exploitation" || name == "violence";
    if (flag && v != 0 && v != 1) invalid(name, name + " is true or false");
    if (name == "victims" &&
        (v < 0 || v != static_cast<double>(static_cast<int64_t>(v)) || v > 1000000))
      invalid(name, "victims is a whole number >= 0");
    if (name == "evidence_strength" && (v < 0 || v > 3))
      invalid(name, "evidence_strength is from 0 (none) to 3 (strong)");
    if (name == "network_risk" && (v < 0 || v > 1)) invalid(name, "network_risk is from 0 to 1");
  }
}

Json visit_json(const repository::FieldVisit& v) {
  return {{"id", v.id},
          {"investigation_id", v.investigation_id},
          {"visit_on", v.visit_on},
          {"location", v.location},
          {"protective_equipment", v.protective_equipment},
          {"risks", v.risks},
          {"safety_notes", v.safety_notes},
          {"created_at", v.created_at}};
}

void check_investigation(store::Connection& c, const auth::Actor& actor, int64_t id) {
  auto org = repository::investigation_org(c, id);
  if (!org || (actor.visible_org && *actor.visible_org != *org))
    throw Error(ErrorCode::not_found, "no such investigation", "id");
}

}  // namespace

Json InvestigationService::queue(const auth::Actor& actor,
                                 const std::optional<std::string>& model_version) {
  const auto& model = model_named(model_version);
  Json out;
  store_.write([&](store::Connection& c) {
    auto entries = repository::investigation_queue(c, actor.visible_org);
    std::vector<PriorityItem> items;
    items.reserve(entries.size());
    for (const auto& e : entries) items.push_back(e.item);
    auto ranked = rank_items(items, model);
    Json list = Json::array();
    std::vector<int64_t> case_ids;
    for (const auto& r : ranked) {
      const auto& e = entries[r.index];
      Json because = Json::array();
      for (const auto& k : r.contributions)
        because.push_back({{"input", k.input},
                           {"label", k.label},
                           {"value", k.value ? Json(*k.value) : Json(nullptr)},
                           {"points", k.points},
                           {"text", k.text}});
      if (e.case_id) case_ids.push_back(*e.case_id);
      list.push_back({{"rank", r.rank},
                      {"score", r.score},
                      {"kind", e.item.kind},
                      {"id", e.item.id},
                      {"case_id", e.case_id ? Json(*e.case_id) : Json(nullptr)},
                      {"network_ref", e.network_ref ? Json(*e.network_ref) : Json(nullptr)},
                      {"assigned_to", e.assigned_to ? Json(*e.assigned_to) : Json(nullptr)},
                      {"status", e.status},
                      {"opened_at", e.opened_at},
                      {"explanation", because}});
    }
    Json workload = Json::array();
    for (const auto& w : repository::investigator_workload(c, actor.visible_org))
      workload.push_back({{"user_id", w.user_id},
                          {"username", w.username},
                          {"open", w.open},
                          {"suspended", w.suspended}});
    Json criteria = Json::array();
    for (const auto& k : model.criteria)
      criteria.push_back({{"input", k.input},
                          {"label", k.label},
                          {"kind", k.kind},
                          {"weight", k.weight},
                          {"max", k.max}});
    out = {
        {"model", model.version}, {"criteria", criteria}, {"items", list}, {"workload", workload}};
    auto e = actor.event("investigations.read", "investigation_queue", std::to_string(list.size()));
    e.details = audit::list_details("case", case_ids);
    audit_.append(c, e);
  });
  return out;
}

Json InvestigationService::set_priority(const auth::Actor& actor, const std::string& kind,
                                        int64_t id, const std::map<std::string, double>& inputs) {
  if (kind != "case" && kind != "investigation") invalid("kind", "kind is case or investigation");
  check_inputs(inputs);
  store_.write([&](store::Connection& c) {
    if (kind == "investigation") {
      check_investigation(c, actor, id);
    } else {
      bool visible = !actor.visible_org ||
                     repository::case_shared_for_law_enforcement(c, id, *actor.visible_org);
      if (!visible) throw Error(ErrorCode::not_found, "no such case in the queue", "id");
      if (!actor.visible_org &&
          c.query_one("SELECT id FROM cases WHERE id = ?", {id}) == std::nullopt)
        throw Error(ErrorCode::not_found, "no such case", "id");
    }
    repository::save_priority_inputs(c, kind, id, inputs, actor.user_id, now_iso());
    audit_.append(c, actor.event("investigations.prioritise", kind, std::to_string(id)));
  });
  Json recorded = Json::object();
  for (const auto& [k, v] : inputs) recorded[k] = v;
  return {{"kind", kind}, {"id", id}, {"inputs", recorded}};
}

Json InvestigationService::open(const auth::Actor& actor, std::optional<int64_t> case_id,
                                std::optional<std::string> network_ref,
                                std::optional<int64_t> assigned_to) {
  if (!case_id && (!network_ref || network_ref->empty()))
    invalid("case_id",
            "an investigation is of a case (case_id), an online network "
            "(network_ref), or both");
  if (network_ref && network_ref->size() > 200)
    invalid("network_ref", "network_ref is longer than 200 bytes");
  if (!actor.org_id && !actor.visible_org && !case_id)
    invalid("org_id", "an operator opens investigations of cases only");
  int64_t id = 0;
  store_.write([&](store::Connection& c) {
    std::optional<int64_t> org = actor.org_id;
    if (case_id) {
      auto kase = c.query_one("SELECT org_id FROM cases WHERE id = ?", {*case_id});
      if (!kase) throw Error(ErrorCode::not_found, "no such case", "case_id");
      if (!org) org = kase->integer(0);
      bool shared = kase->integer(0) == *org ||
                    repository::case_shared_for_law_enforcement(c, *case_id, *org);
      if (!shared)
        throw Error(ErrorCode::not_found,
                    "no such case shared with your organisation for law enforcement", "case_id");
    }
    if (assigned_to && !repository::user_in_org(c, *assigned_to, *org))
      invalid("assigned_to", "the assignee is not a user of the organisation");
    repository::NewInvestigation in;
    in.org_id = *org;
    in.case_id = case_id;
    in.network_ref = network_ref;
    in.assigned_to = assigned_to;
    in.opened_at = now_iso();
    id = repository::insert_investigation(c, in);
    audit_.append(c, actor.event("investigations.open", "investigation", std::to_string(id)));
  });
  return {{"id", id},
          {"case_id", case_id ? Json(*case_id) : Json(nullptr)},
          {"network_ref", network_ref ? Json(*network_ref) : Json(nullptr)},
          {"assigned_to", assigned_to ? Json(*assigned_to) : Json(nullptr)},
          {"status", "open"}};
}

Json InvestigationService::add_visit(const auth::Actor& actor, int64_t investigation_id,
                                     const NewVisit& v) {
  if (!day_number(v.visit_on) || v.visit_on.size() != 10)
    invalid("visit_on", "visit_on is a date YYYY-MM-DD");
  for (const auto* f : {&v.location, &v.protective_equipment, &v.risks, &v.safety_notes})
    if (f->size() > 4000) invalid("safety_notes", "a field is longer than 4000 bytes");
  if (v.risks.empty() && v.safety_notes.empty())
    invalid("risks", "a field visit records its risks or safety notes (write 'none known')");
  Json out;
  store_.write([&](store::Connection& c) {
    check_investigation(c, actor, investigation_id);
    repository::FieldVisit row{
        0,       investigation_id, v.visit_on,    v.location, v.protective_equipment,
        v.risks, v.safety_notes,   actor.user_id, now_iso()};
    row.id = repository::insert_field_visit(c, row);
    audit_.append(c, actor.event("investigations.visit", "field_visit", std::to_string(row.id)));
    out = visit_json(row);
  });
  return out;
}

bool InvestigationService::seed_demo(const auth::Actor& actor, const std::string& org_name,
                                     const std::string& investigator, const std::string& today) {
  bool seeded = false;
  store_.write([&](store::Connection& c) {
    auto org = repository::organisation_named(c, org_name);
    if (!org) return;
    if (c.query_row("SELECT COUNT(*) FROM investigations WHERE org_id = ?", {*org}).integer(0) > 0)
      return;
    auto user =
        c.query_one("SELECT id FROM users WHERE username = ? AND org_id = ?", {investigator, *org});
    const int last_year = std::stoi(today.substr(0, 4));
    const int last_month = std::stoi(today.substr(5, 2));
    int n = 0;
    for (int y = 2019; y <= last_year; ++y)
      for (int m = 1; m <= 12 && (y < last_year || m <= last_month); ++m) {
        // 10 a month in 2019; 4 to 6 in 2020-2021 (courts and units redeployed); 6 to 8 since.
        int per_month = y == 2019 ? 10 : (y <= 2021 ? 4 + (m % 3) : 6 + (m % 3));
        bool recent = (last_year * 12 + last_month) - (y * 12 + m) < 3;
        for (int k = 0; k < per_month; ++k) {
          // Room for any int in each field: GCC's truncation check (-Wformat-truncation, an
          // error here) cannot bound the year under the sanitizer build's instrumentation.
          char opened[64];
          std::snprintf(opened, sizeof opened, "%04d-%02d-%02dT09:00:00.000Z", y, m, 1 + k * 2);
          repository::NewInvestigation in;
          in.org_id = *org;
          in.network_ref = "demo-network-" + std::to_string(++n);
          in.opened_at = opened;
          if (recent && k < 2) {
            if (user) in.assigned_to = user->integer(0);
          } else {
            in.status = "closed";
            in.closed_at = opened;
          }
          int64_t id = repository::insert_investigation(c, in);
          if (recent && k == 0)
            repository::save_priority_inputs(
                c, "investigation", id,
                {{"ongoing_exploitation", 1}, {"victims", 3 + m % 5}, {"network_risk", 0.6}},
                std::nullopt, now_iso());
        }
      }
    audit_.append(c, actor.event("investigations.open", "investigation_list", std::to_string(n)));
    seeded = true;
  });
  return seeded;
}

Json InvestigationService::visits(const auth::Actor& actor, int64_t investigation_id) {
  Json out = Json::array();
  store_.read([&](store::Connection& c) {
    check_investigation(c, actor, investigation_id);
    for (const auto& v : repository::field_visits(c, investigation_id))
      out.push_back(visit_json(v));
  });
  return out;
}

}  // namespace ctip::cases::services
