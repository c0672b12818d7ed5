// The platform's own routes: liveness and the enumerations every capability serves. The
// capabilities' routes come from the registry (src/app/capabilities.cpp).
#include <nlohmann/json.hpp>

#include "app/capabilities.h"
#include "server/api.h"

namespace ctip::server {

std::vector<Route> platform_routes() {
  return {
      {"GET", "/api/v1/health", kPublic,
       [](Call&) -> Reply {
         return {200, {{"status", "ok"}, {"version", CTIP_VERSION}}};
       },
       "Liveness", Ownership::none()},
      {"GET", "/api/v1/meta", kPublic,
       [](Call&) -> Reply {
         static const Json meta = app::meta();
         return {200, meta};
       },
       "Enumerations: roles, organisation kinds, encounter sources, referral kinds, outcomes, "
       "languages, profiles, audit outcomes",
       Ownership::none()},
  };
}

const std::vector<Route>& all_routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> r = platform_routes();
    for (const auto& c : app::capabilities())
      if (c.routes)
        for (auto& route : c.routes()) r.push_back(std::move(route));
    return r;
  }();
  return routes;
}

}  // namespace ctip::server
