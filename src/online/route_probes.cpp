// Probes of the online ads routes for the route x role test (src/server/route_probes.h): a small
// generated ads file ingested into organisation "Unit" and one into "Other NGO" through the
// service, so that every route has a network to answer with and another organisation's network
// to be refused.
#include "server/route_probes.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "online/demo_ads.h"
#include "online/online_service.h"

namespace ctip::server::testing {

ProbeSet probes_online(ProbeFixture& f) {
  online::OnlineService svc(f.store, f.audit);
  const auto probe = auth::Actor::operator_named("probe");
  auto load = [&](int64_t org, uint64_t seed) {
    std::istringstream in(online::demo_ads_csv(300, seed));
    online::IngestRequest req;
    req.file_name = "probe.csv";
    svc.ingest(probe, org, in, req);
    return svc.networks(org, 1)["networks"][0]["id"].get<int64_t>();
  };
  const int64_t unit = load(f.user("platform_analyst").org.id, 3);
  const int64_t other = load(f.user("other.platform_analyst").org.id, 4);
  auto net = svc.network(std::nullopt, unit);
  // An ad of the network with an indicator, for the feedback probe.
  std::string feedback = R"({"indicator": "none", "ad_id": 0, "verdict": "true_positive"})";
  for (const auto& ad : net["ads"])
    if (!ad["indicators"].empty()) {
      feedback = Json{{"indicator", ad["indicators"][0]},
                      {"ad_id", ad["id"]},
                      {"verdict", "false_positive"}}
                     .dump();
      break;
    }
  const std::string path = "/api/v1/ads/networks/" + std::to_string(unit);
  return {{
              {"GET", "/api/v1/ads/networks", "/api/v1/ads/networks", "", 200},
              {"GET", "/api/v1/ads/networks/{id}", path, "", 200},
              {"POST", "/api/v1/ads/networks/{id}/evidence", path + "/evidence", "", 201},
              {"GET", "/api/v1/ads/indicators", "/api/v1/ads/indicators", "", 200},
              {"POST", "/api/v1/ads/indicators/feedback", "/api/v1/ads/indicators/feedback",
               feedback, 201},
          },
          {{"online_network", other}}};
}

}  // namespace ctip::server::testing
