// Providers, referrals, the investigation queue and the dashboards (issue #11 items 3, 5 and 6;
// docs/openapi.yaml tags providers, referrals, investigations, dashboards). Each handler parses
// its input, calls the capability's service with call.actor() and shapes the reply. Referrals
// and investigations are narrowed by the services (a referral is seen by two organisations:
// the referring one and the provider's), so their routes declare Ownership::organisation.
#include <nlohmann/json.hpp>

#include "cases/services/capability.h"
#include "cases/services/dashboard_service.h"
#include "cases/services/investigation_service.h"
#include "cases/services/provider_service.h"
#include "cases/services/referral_service.h"
#include "core/error.h"

namespace ctip::cases::services {
namespace {

using server::Call;
using server::Ownership;
using server::Reply;
using server::Route;

ServiceType service_of(const std::string& field, const std::string& s) {
  auto t = parse_service_type(s);
  if (!t)
    invalid(field, "'" + quote(s) +
                       "' is not a service type (shelter, medical, psychological, "
                       "legal_aid, translation, employment, repatriation)");
  return *t;
}

std::vector<std::string> string_list(const JsonObject& o, const char* key) {
  std::vector<std::string> out;
  if (!o.has(key)) return out;
  const auto& a = o.array(key);
  if (a.size() > 20) invalid(key, std::string(key) + " has more than 20 items");
  for (const auto& v : a) {
    if (!v.is_string() || v.get<std::string>().size() > 40)
      invalid(key, std::string(key) + " is a list of short strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

// --- providers -------------------------------------------------------------------------------

Reply list_providers_route(Call& call) {
  repository::ProviderFilter f;
  if (auto s = call.query_value("service")) f.service = service_of("service", *s);
  if (auto r = call.query_value("region")) f.region = *r;
  if (auto free = call.query_value("free")) {
    if (*free != "true" && *free != "false") invalid("free", "free is true or false");
    f.free_only = *free == "true";
  }
  ProviderService svc(call.svc.store, call.svc.audit);
  return {200, {{"providers", svc.list(f)}}};
}

Reply get_provider_route(Call& call) {
  return {200, ProviderService(call.svc.store, call.svc.audit).get(call.path_id("id"))};
}

Reply create_provider_route(Call& call) {
  Json body = call.json();
  JsonObject o(body);
  o.only({"name", "org_id", "services", "languages", "interpreter", "region", "location",
          "eligibility", "capacity", "occupancy", "funding_this_year", "funding_baseline"});
  Provider p;
  p.name = o.string("name", 200);
  p.org_id = o.optional_integer("org_id");
  for (const auto& s : string_list(o, "services")) p.services.push_back(service_of("services", s));
  p.languages = string_list(o, "languages");
  p.interpreter = o.optional_boolean("interpreter").value_or(false);
  p.region = o.optional_string("region", 100).value_or("");
  p.location = o.optional_string("location", 200).value_or("");
  if (o.has("eligibility")) {
    JsonObject e(o.object("eligibility"), "eligibility.");
    e.only({"sexes", "min_age", "max_age", "nationalities", "documentation"});
    p.eligibility.sexes = string_list(e, "sexes");
    p.eligibility.nationalities = string_list(e, "nationalities");
    p.eligibility.documentation = string_list(e, "documentation");
    if (auto v = e.optional_integer("min_age")) p.eligibility.min_age = static_cast<int>(*v);
    if (auto v = e.optional_integer("max_age")) p.eligibility.max_age = static_cast<int>(*v);
  }
  p.capacity = o.integer("capacity");
  p.occupancy = o.optional_integer("occupancy").value_or(0);
  p.funding_this_year = o.optional_integer("funding_this_year").value_or(0);
  p.funding_baseline = o.optional_integer("funding_baseline").value_or(0);
  return Reply::created(ProviderService(call.svc.store, call.svc.audit).create(call.actor(), p));
}

// --- referrals -------------------------------------------------------------------------------

Reply match_route(Call& call) {
  Json body = call.json();
  JsonObject o(body);
  o.only({"case_id", "services", "languages", "interpreter_needed", "region", "sex", "age",
          "nationality", "documentation_status", "limit", "include_excluded"});
  MatchRequest req;
  req.case_id = o.optional_integer("case_id");
  for (const auto& s : string_list(o, "services"))
    req.needs.services.push_back(service_of("services", s));
  req.needs.languages = string_list(o, "languages");
  req.needs.interpreter_needed = o.optional_boolean("interpreter_needed").value_or(false);
  req.needs.region = o.optional_string("region", 100).value_or("");
  req.needs.sex = o.optional_string("sex", 20);
  if (auto a = o.optional_integer("age")) req.needs.age = static_cast<int>(*a);
  req.needs.nationality = o.optional_string("nationality", 2);
  req.needs.documentation_status = o.optional_string("documentation_status", 40);
  if (req.case_id &&
      (o.has("sex") || o.has("age") || o.has("nationality") || o.has("documentation_status")))
    invalid("case_id",
            "with case_id the person's fields come from the case: leave sex, age, "
            "nationality and documentation_status out");
  auto limit = o.optional_integer("limit").value_or(20);
  if (limit < 1 || limit > 1000) invalid("limit", "limit is from 1 to 1000");
  req.limit = static_cast<size_t>(limit);
  req.include_excluded = o.optional_boolean("include_excluded").value_or(false);
  return {200, ProviderService(call.svc.store, call.svc.audit).match(call.actor(), req)};
}

Reply create_referral_route(Call& call) {
  Json body = call.json();
  JsonObject o(body);
  o.only({"case_id", "provider_id", "service", "interpreter_needed", "languages", "note"});
  NewReferral r;
  r.case_id = o.integer("case_id");
  r.provider_id = o.integer("provider_id");
  r.service = service_of("service", o.string("service", 40));
  r.interpreter_needed = o.optional_boolean("interpreter_needed").value_or(false);
  r.languages = string_list(o, "languages");
  r.note = o.optional_string("note", 2000).value_or("");
  return Reply::created(ReferralService(call.svc.store, call.svc.audit).create(call.actor(), r));
}

Reply list_referrals_route(Call& call) {
  std::optional<int64_t> case_id;
  if (call.query_value("case_id")) case_id = call.query_int("case_id", 0, 1, INT64_MAX);
  return {200,
          {{"referrals", ReferralService(call.svc.store, call.svc.audit)
                             .list(call.actor(), case_id, call.query_int("limit", 100, 1, 1000))}}};
}

Reply get_referral_route(Call& call) {
  return {200,
          ReferralService(call.svc.store, call.svc.audit).get(call.actor(), call.path_id("id"))};
}

Reply respond_route(Call& call) {
  Json body = call.json();
  JsonObject o(body);
  o.only({"decision", "reason"});
  return {200, ReferralService(call.svc.store, call.svc.audit)
                   .respond(call.actor(), call.path_id("id"), o.string("decision", 20),
                            o.optional_string("reason", 2000).value_or(""))};
}

Reply complete_route(Call& call) {
  Json body = call.body_text.empty() ? Json::object() : call.json();
  JsonObject o(body);
  o.only({"note"});
  return {200, ReferralService(call.svc.store, call.svc.audit)
                   .complete(call.actor(), call.path_id("id"),
                             o.optional_string("note", 2000).value_or(""))};
}

// --- investigations --------------------------------------------------------------------------

Reply queue_route(Call& call) {
  return {200, InvestigationService(call.svc.store, call.svc.audit)
                   .queue(call.actor(), call.query_value("model"))};
}

Reply open_investigation_route(Call& call) {
  Json body = call.json();
  JsonObject o(body);
  o.only({"case_id", "network_ref", "assigned_to"});
  return Reply::created(InvestigationService(call.svc.store, call.svc.audit)
                            .open(call.actor(), o.optional_integer("case_id"),
                                  o.optional_string("network_ref", 200),
                                  o.optional_integer("assigned_to")));
}

Reply priority_route(Call& call) {
  Json body = call.json();
  JsonObject o(body);
  o.only({"kind", "id", "inputs"});
  std::map<std::string, double> inputs;
  const auto& in = o.object("inputs");
  for (const auto& [k, v] : in.items()) {
    if (v.is_boolean())
      inputs[k] = v.get<bool>() ? 1 : 0;
    else if (v.is_number())
      inputs[k] = v.get<double>();
    else if (!v.is_null())
      invalid("inputs." + k, "an input is a number or true/false");
  }
  return {200, InvestigationService(call.svc.store, call.svc.audit)
                   .set_priority(call.actor(), o.string("kind", 20), o.integer("id"), inputs)};
}

Reply add_visit_route(Call& call) {
  Json body = call.json();
  JsonObject o(body);
  o.only({"visit_on", "location", "protective_equipment", "risks", "safety_notes"});
  NewVisit v;
  v.visit_on = o.string("visit_on", 10);
  v.location = o.optional_string("location").value_or("");
  v.protective_equipment = o.optional_string("protective_equipment").value_or("");
  v.risks = o.optional_string("risks").value_or("");
  v.safety_notes = o.optional_string("safety_notes").value_or("");
  return Reply::created(InvestigationService(call.svc.store, call.svc.audit)
                            .add_visit(call.actor(), call.path_id("id"), v));
}

Reply visits_route(Call& call) {
  return {200,
          {{"visits", InvestigationService(call.svc.store, call.svc.audit)
                          .visits(call.actor(), call.path_id("id"))}}};
}

// --- dashboards ------------------------------------------------------------------------------

DashboardOptions dashboard_options(const Call& call) {
  DashboardOptions o;
  o.today = call.query_value("as_of").value_or("");
  o.days = call.query_int("days", 90, 1, 3650);
  o.pending_days = call.query_int("pending_days", 30, 1, 3650);
  o.stall_days = call.query_int("stall_days", 90, 1, 3650);
  o.baseline_year = call.query_int("baseline_year", 2019, 2000, 2100);
  return o;
}

DashboardService dashboards(Call& call) { return {call.svc.store, call.svc.audit}; }

Reply capacity_route(Call& call) {
  return {200, dashboards(call).capacity(call.actor(), dashboard_options(call))};
}
Reply funding_route(Call& call) { return {200, dashboards(call).funding(call.actor())}; }
Reply documentation_route(Call& call) {
  return {200, dashboards(call).documentation(call.actor(), dashboard_options(call))};
}
Reply justice_route(Call& call) {
  return {200, dashboards(call).justice(call.actor(), dashboard_options(call))};
}
Reply investigations_dashboard_route(Call& call) {
  return {200, dashboards(call).investigations(call.actor(), dashboard_options(call))};
}

std::optional<int64_t> investigation_owner(store::Connection& c, int64_t id) {
  return repository::investigation_org(c, id);
}

}  // namespace

std::vector<server::Route> routes() {
  const auto none = Ownership::none();
  const auto orgs = Ownership::organisation();
  const auto investigation = Ownership::object("investigation", investigation_owner);
  return {
      {"GET", "/api/v1/providers", "providers.read", list_providers_route,
       "The provider directory with free capacity (?service=, ?region=, ?free=true)", none},
      {"GET", "/api/v1/providers/{id}", "providers.read", get_provider_route,
       "One provider: services, languages, eligibility, capacity and funding", none},
      {"POST", "/api/v1/providers", "providers.manage", create_provider_route,
       "Add a provider to the directory (audited)", none},
      {"POST", "/api/v1/referrals/matches", "referrals.create", match_route,
       "Rank the providers for a person's needs, each rank explained", orgs},
      {"POST", "/api/v1/referrals", "referrals.create", create_referral_route,
       "Refer a case to a provider (consent, capacity and eligibility checked; audited)", orgs},
      {"GET", "/api/v1/referrals", "referrals.read", list_referrals_route,
       "Referrals made by or addressed to the caller's organisation (audited)", orgs},
      {"GET", "/api/v1/referrals/{id}", "referrals.read", get_referral_route,
       "One referral (audited)", orgs},
      {"POST", "/api/v1/referrals/{id}/response", "referrals.respond", respond_route,
       "Accept (takes a place) or decline (with a reason) a sent referral", orgs},
      {"POST", "/api/v1/referrals/{id}/completion", "referrals.respond", complete_route,
       "Complete an accepted referral (gives its place back)", orgs},
      {"GET", "/api/v1/investigations", "investigations.read", queue_route,
       "The investigation queue, ranked by the priority model and explained; workload", orgs},
      {"POST", "/api/v1/investigations", "investigations.manage", open_investigation_route,
       "Open an investigation of a shared case or an online network", orgs},
      {"POST", "/api/v1/investigations/priority", "investigations.manage", priority_route,
       "Record the priority inputs of a queue item", orgs},
      {"GET", "/api/v1/investigations/{id}/visits", "investigations.read", visits_route,
       "An investigation's field visits with their safety notes", investigation},
      {"POST", "/api/v1/investigations/{id}/visits", "investigations.manage", add_visit_route,
       "Record a field visit: protective equipment and risks", investigation},
      {"GET", "/api/v1/dashboards/capacity", "dashboards.read", capacity_route,
       "Service capacity against demand by service type and region", orgs},
      {"GET", "/api/v1/dashboards/funding", "dashboards.read", funding_route,
       "Provider funding this year against the pre-pandemic baseline", none},
      {"GET", "/api/v1/dashboards/documentation", "dashboards.read", documentation_route,
       "Permit decision delays and permits pending too long", orgs},
      {"GET", "/api/v1/dashboards/justice", "dashboards.read", justice_route,
       "Stalled proceedings and their durations", orgs},
      {"GET", "/api/v1/dashboards/investigations", "dashboards.read",
       investigations_dashboard_route,
       "Investigations opened per month against the pre-pandemic baseline", orgs},
  };
}

}  // namespace ctip::cases::services
