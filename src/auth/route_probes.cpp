// Probes of the account routes for the route x role test (src/server/route_probes.h).
#include "server/route_probes.h"

#include "auth/account_service.h"

namespace ctip::server::testing {

ProbeSet probes_auth(ProbeFixture& f) {
  // A user of "Unit" that the administrator may disable (nobody logs in as it).
  auto target = auth::AccountService(f.store, f.audit)
                    .create_user(auth::Actor::operator_named("test"),
                                 {"disable.target", "test-password-1", "Unit",
                                  f.user("admin").org.kind, "screener"});
  const std::string disable = "/api/v1/users/" + std::to_string(target.id) + "/disable";
  return {{
              {"POST", "/api/v1/session", "/api/v1/session", "{}", 400},  // no credentials
              {"DELETE", "/api/v1/session", "/api/v1/session", "", 204},
              {"GET", "/api/v1/me", "/api/v1/me", "", 200},
              {"POST", "/api/v1/me/password", "/api/v1/me/password", "{}", 400},  // no fields
              {"GET", "/api/v1/users", "/api/v1/users", "", 200},
              {"POST", "/api/v1/users", "/api/v1/users", "{}", 400},  // no username
              {"POST", "/api/v1/users/{id}/disable", disable, "", 200},
          },
          {{"user", f.user("other.screener").id}}};
}

}  // namespace ctip::server::testing
