// Flows routes (issue #9, docs/openapi.yaml tag flows): aggregates, shifts, GLOTIP shares and
// releases over the store's flows dataset, for the analyst role (aggregates only: no route
// returns a record). Imports run as jobs (POST /api/v1/jobs?kind=flows.import.<format>). Each
// handler parses its input, calls FlowsService and shapes the reply.
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "flows/capability.h"
#include "flows/flows_service.h"
#include "flows/shifts.h"

namespace ctip::flows {
namespace {

using server::Call;
using server::Ownership;
using server::Reply;
using server::Route;

FlowsService service(Call& call) { return {call.svc.store, call.svc.audit}; }

FilterText filter_text(const Call& call) {
  auto q = [&](const char* name) { return call.query_value(name).value_or(""); };
  return {q("from"), q("to"), q("country"), q("region"), q("source"), q("sex"), q("age")};
}

FilterText filter_text(const Json& body) {
  auto field = [&](const char* name) -> std::string {
    if (!body.contains(name)) return "";
    const auto& v = body[name];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    invalid(name, std::string(name) + " must be a string");
  };
  return {field("from"),   field("to"),  field("country"), field("region"),
          field("source"), field("sex"), field("age")};
}

DomesticBy by_of(const Call& call) {
  auto by = call.query_value("by").value_or("year");
  if (by == "year") return DomesticBy::year;
  if (by == "country") return DomesticBy::country;
  invalid("by", "by is year or country");
}

Reply overview_route(Call& call) { return {200, service(call).overview()}; }

Reply corridors_route(Call& call) {
  return {200, service(call).corridors(parse_filter(filter_text(call)))};
}

Reply domestic_route(Call& call) {
  auto by = by_of(call);
  return {200, service(call).domestic(by, parse_filter(filter_text(call)))};
}

Reply categories_route(Call& call) {
  auto name = call.query_value("group").value_or("exploitation");
  auto group = parse_flag_group(name);
  if (!group) invalid("group", "group is one of exploitation, labour, sexual, control, recruiter");
  return {200, service(call).categories(*group, parse_filter(filter_text(call)))};
}

Reply shifts_route(Call& call) {
  stats::ShiftCriteria criteria;
  if (auto b = call.query_value("baseline")) criteria.baseline = parse_period(*b, "baseline");
  if (auto c = call.query_value("compare")) criteria.compare = parse_period(*c, "compare");
  return {200, service(call).shifts(parse_filter(filter_text(call)), criteria)};
}

Reply glotip_route(Call& call) {
  auto by = call.query_value("by").value_or("country");
  if (by != "year" && by != "country") invalid("by", "by is country or year");
  FilterText text;
  text.from = call.query_value("from").value_or("");
  text.to = call.query_value("to").value_or("");
  text.country = call.query_value("country").value_or("");
  return {200, service(call).glotip(by == "year" ? DomesticBy::year : DomesticBy::country,
                                    parse_filter(text))};
}

Reply preview_route(Call& call) {
  Json body = call.body_text.empty() ? Json::object() : call.json();
  if (!body.is_object()) invalid("body", "the body is a JSON object");
  int64_t k = 11;
  if (body.contains("k")) {
    if (!body["k"].is_number_integer()) invalid("k", "k must be an integer");
    k = body["k"].get<int64_t>();
  }
  return {200, service(call).preview(parse_filter(filter_text(body)), k)};
}

Reply release_route(Call& call) {
  Json body = call.json();
  if (!body.is_object()) invalid("body", "the body is a JSON object");
  ReleaseRequest req;
  if (body.contains("k")) {
    if (!body["k"].is_number_integer()) invalid("k", "k must be an integer");
    req.k = body["k"].get<int64_t>();
  }
  if (body.contains("epsilon")) {
    if (!body["epsilon"].is_number()) invalid("epsilon", "epsilon must be a number");
    req.epsilon = body["epsilon"].get<double>();
  }
  if (body.contains("max_records_per_person")) {
    if (!body["max_records_per_person"].is_number_integer())
      invalid("max_records_per_person", "max_records_per_person must be an integer");
    req.max_records_per_person = body["max_records_per_person"].get<int64_t>();
  }
  auto text = filter_text(body);
  req.filter = parse_filter(text);
  req.filter_json = to_json(text);
  return Reply::created(service(call).release(call.actor(), req));
}

Reply list_releases_route(Call& call) {
  return {200, service(call).releases(call.query_int("limit", 100, 1, 1000))};
}

Reply release_csv_route(Call& call) {
  Reply r = Reply::bytes(service(call).release_csv(call.path_id("id")), "text/csv; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"ctip-release-" +
                                                    std::to_string(call.path_id("id")) + ".csv\"");
  return r;
}

}  // namespace

std::vector<server::Route> routes() {
  const auto none = Ownership::none();
  return {
      {"GET", "/api/v1/flows", "flows.read", overview_route,
       "The flows dataset: records, imports and their epsilon budgets, years, sources", none},
      {"GET", "/api/v1/flows/corridors", "flows.read", corridors_route,
       "Corridor matrix (citizenship -> country of exploitation)", none},
      {"GET", "/api/v1/flows/domestic", "flows.read", domestic_route,
       "Domestic share by year or by country of exploitation", none},
      {"GET", "/api/v1/flows/categories", "flows.read", categories_route,
       "Forms of exploitation, labour, means of control or recruiter relation by year", none},
      {"GET", "/api/v1/flows/shifts", "flows.read", shifts_route,
       "Shifts between a baseline and a comparison period, with changepoints", none},
      {"GET", "/api/v1/flows/glotip", "flows.read", glotip_route,
       "UNODC GLOTIP domestic shares per country-year, as intervals", none},
      {"POST", "/api/v1/flows/releases/preview", "flows.read", preview_route,
       "Preview the corridor table after k-suppression (nothing stored)", none},
      {"POST", "/api/v1/flows/releases", "flows.release", release_route,
       "Publish a k-suppressed or differentially private release (audited)", none},
      {"GET", "/api/v1/flows/releases", "flows.read", list_releases_route, "Releases, newest first",
       none},
      {"GET", "/api/v1/flows/releases/{id}/csv", "flows.read", release_csv_route,
       "A release's published table as CSV", none},
  };
}

}  // namespace ctip::flows
