// What the screening capability gives the registry (src/app/capabilities.cpp): its API routes,
// its CLI commands and its enumerations for GET /api/v1/meta. Its schema migrations are
// src/screen/schema/*.sql, collected by CMake (ctip_schema in CMakeLists.txt).
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}

namespace ctip::screen {

std::vector<server::Route> routes();  // routes.cpp
void add_commands(CLI::App& app);     // cli.cpp: ctip screen ...
// Adds "encounter_sources", "referral_kinds", "outcomes", "actions", "languages", "profiles".
void add_meta(Json& meta);  // routes.cpp

}  // namespace ctip::screen
