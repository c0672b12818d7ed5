// Probes of the audit routes for the route x role test (src/server/route_probes.h).
#include "server/route_probes.h"

namespace ctip::server::testing {

ProbeSet probes_audit(ProbeFixture&) {
  return {
      {
          {"GET", "/api/v1/audit/entries", "/api/v1/audit/entries", "", 200},
          {"GET", "/api/v1/audit/export", "/api/v1/audit/export?action=session.login&limit=5", "",
           200},
          {"GET", "/api/v1/audit/verify", "/api/v1/audit/verify", "", 200},
          {"GET", "/api/v1/audit/head", "/api/v1/audit/head", "", 200},
          {"GET", "/api/v1/audit/proof/inclusion", "/api/v1/audit/proof/inclusion?seq=1", "", 200},
          {"GET", "/api/v1/audit/proof/consistency", "/api/v1/audit/proof/consistency?first=1", "",
           200},
      },
      {}};
}

}  // namespace ctip::server::testing
