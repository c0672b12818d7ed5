// Probes of the flows routes for the route x role test (src/server/route_probes.h): a small
// generated dataset imported and one release published through the service, so that every
// route has data to answer with.
#include "server/route_probes.h"

#include <sstream>

#include "flows/demo_data.h"
#include "flows/flows_service.h"

namespace ctip::server::testing {

ProbeSet probes_flows(ProbeFixture& f) {
  flows::FlowsService svc(f.store, f.audit);
  std::istringstream in(flows::demo_ctdc_csv(2000, 7));
  flows::ImportRequest req;
  req.file_name = "probe.csv";
  svc.import(auth::Actor::operator_named("probe"), in, req);
  flows::ReleaseRequest release;
  release.k = 11;
  auto id = svc.release(auth::Actor::operator_named("probe"), release)["release"]["id"];
  const std::string csv = "/api/v1/flows/releases/" + std::to_string(id.get<int64_t>()) + "/csv";
  return {{
              {"GET", "/api/v1/flows", "/api/v1/flows", "", 200},
              {"GET", "/api/v1/flows/corridors", "/api/v1/flows/corridors?from=2017", "", 200},
              {"GET", "/api/v1/flows/domestic", "/api/v1/flows/domestic?by=country", "", 200},
              {"GET", "/api/v1/flows/categories", "/api/v1/flows/categories?group=labour", "", 200},
              {"GET", "/api/v1/flows/shifts", "/api/v1/flows/shifts", "", 200},
              {"GET", "/api/v1/flows/glotip", "/api/v1/flows/glotip", "", 200},
              {"POST", "/api/v1/flows/releases/preview", "/api/v1/flows/releases/preview",
               R"({"k": 11})", 200},
              {"POST", "/api/v1/flows/releases", "/api/v1/flows/releases", R"({"k": 5})", 201},
              {"GET", "/api/v1/flows/releases", "/api/v1/flows/releases", "", 200},
              {"GET", "/api/v1/flows/releases/{id}/csv", csv, "", 200},
          },
          {}};
}

}  // namespace ctip::server::testing
