// Online ads routes (issue #10, docs/openapi.yaml tag ads): the ranked networks of the user's
// organisation, one network with its ads, links, templates and movement path, indicator
// feedback with the indicators' measured precision, and the audited export of a network's
// evidence package. Each handler parses its input, calls OnlineService and shapes the reply.
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "online/capability.h"
#include "online/online_service.h"

namespace ctip::online {
namespace {

using server::Call;
using server::Ownership;
using server::Reply;
using server::Route;

OnlineService service(Call& call) { return {call.svc.store, call.svc.audit}; }

// The organisation whose ads the call reads or writes: the signed-in user's.
int64_t org_of(Call& call) {
  auto actor = call.actor();
  if (!actor.org_id) throw Error(ErrorCode::permission_denied, "no organisation");
  return *actor.org_id;
}

Reply networks_route(Call& call) {
  return {200, service(call).networks(org_of(call), call.query_int("limit", 100, 1, 1000))};
}

Reply network_route(Call& call) {
  return {200, service(call).network(call.actor().visible_org, call.path_id("id"))};
}

Reply evidence_route(Call& call) {
  auto package =
      service(call).export_evidence(call.actor(), call.actor().visible_org, call.path_id("id"));
  Json files = Json::array();
  for (const auto& f : package.files)
    files.push_back({{"name", f.name}, {"sha256", f.sha256}, {"content", f.content}});
  return Reply::created({{"export_id", package.export_id},
                         {"manifest", package.manifest},
                         {"manifest_text", package.manifest_text()},
                         {"files", std::move(files)}});
}

Reply indicators_route(Call& call) { return {200, service(call).indicators(org_of(call))}; }

Reply feedback_route(Call& call) {
  Json body = call.json();
  if (!body.is_object()) invalid("body", "the body is a JSON object");
  if (!body.contains("indicator") || !body["indicator"].is_string())
    invalid("indicator", "indicator must be a lexicon indicator id");
  if (!body.contains("ad_id") || !body["ad_id"].is_number_integer())
    invalid("ad_id", "ad_id must be an integer");
  const std::string verdict = body.value("verdict", "");
  if (verdict != "true_positive" && verdict != "false_positive")
    invalid("verdict", "verdict is true_positive or false_positive");
  return Reply::created(service(call).indicator_feedback(
      call.actor(), org_of(call), body["indicator"].get<std::string>(),
      body["ad_id"].get<int64_t>(), verdict == "true_positive"));
}

}  // namespace

std::vector<server::Route> routes() {
  const auto org = Ownership::organisation();
  const auto network = Ownership::object("online_network", &OnlineService::network_org);
  return {
      {"GET", "/api/v1/ads/networks", "ads.read", networks_route,
       "The organisation's ad networks ranked by risk, with the values too common to link", org},
      {"GET", "/api/v1/ads/networks/{id}", "ads.read", network_route,
       "One network: its ads with highlights, links with evidence, templates, movement path",
       network},
      {"POST", "/api/v1/ads/networks/{id}/evidence", "ads.export", evidence_route,
       "Export a network's evidence package (network.json, report.html, SHA-256 manifest; audited)",
       network},
      {"GET", "/api/v1/ads/indicators", "ads.read", indicators_route,
       "The indicator lexicon with the organisation's verdicts and measured precision", org},
      {"POST", "/api/v1/ads/indicators/feedback", "ads.feedback", feedback_route,
       "Record a true or false positive verdict on an indicator found in an ad (audited)", org},
  };
}

}  // namespace ctip::online
