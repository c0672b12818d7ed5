// What the online capability gives the registry (src/app/capabilities.cpp): `ctip ads ...`
// (cli.cpp) and its enumerations for GET /api/v1/meta. Its store, routes and web page follow
// (issue #10 items 6 and 7); routes() is empty until then.
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}

namespace ctip::online {

std::vector<server::Route> routes();  // capability.cpp: none yet
void add_commands(CLI::App& app);     // cli.cpp: ctip ads analyze
// Adds "ad_selector_kinds" and "ad_indicator_categories" (the lexicon's categories).
void add_meta(Json& meta);  // capability.cpp

}  // namespace ctip::online
