// What the online capability gives the registry (src/app/capabilities.cpp): its API routes,
// `ctip ads ...` (cli.cpp) and its enumerations for GET /api/v1/meta. Schema:
// schema/0014_online.sql.
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}

namespace ctip::online {

std::vector<server::Route> routes();  // routes.cpp
// cli.cpp: ctip ads analyze|ingest|networks|network|report|verify|indicators|feedback
void add_commands(CLI::App& app);
// Adds "ad_selector_kinds" and "ad_indicator_categories" (the lexicon's categories).
void add_meta(Json& meta);  // capability.cpp

}  // namespace ctip::online
