// `ctip api`: the API's surface as data, for the OpenAPI check (docs/openapi.yaml must describe
// every route) and for people reading it without a running server.
#include "server/api.h"

#include <iostream>
#include <nlohmann/json.hpp>

#include "app/capabilities.h"
#include "cli/commands.h"

namespace ctip::cli {

void add_api_commands(CLI::App& app) {
  auto* api = app.add_subcommand("api", "Describe the HTTP API: its routes and enumerations");
  api->require_subcommand(1);

  auto* routes = api->add_subcommand(
      "routes", "Print every route as JSON: [{\"method\",\"pattern\",\"action\",\"summary\"}]");
  routes->footer("Example:\n  ctip api routes | jq -r '.[] | .method + \" \" + .pattern'");
  routes->callback([] {
    Json out = Json::array();
    for (const auto& r : server::all_routes()) out.push_back(server::route_json(r));
    std::cout << out.dump(2) << "\n";
  });

  auto* meta = api->add_subcommand("meta", "Print the enumerations GET /api/v1/meta serves");
  meta->footer("Example:\n  ctip api meta");
  meta->callback([] { std::cout << app::meta().dump(2) << "\n"; });
}

}  // namespace ctip::cli
