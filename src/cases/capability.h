// What the cases capability gives the registry (src/app/capabilities.cpp): its API routes,
// `ctip cases ...` and its enumerations for GET /api/v1/meta. Schema: schema/0013_cases.sql.
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}

namespace ctip::cases {

std::vector<server::Route> routes();  // routes.cpp
// cli.cpp: ctip cases list|show|export
void add_commands(CLI::App& app);
// Adds the case enumerations (victim statuses, consent purposes, permit kinds and statuses,
// proceeding kinds and statuses, hearing statuses, task kinds).
void add_meta(Json& meta);  // capability.cpp

}  // namespace ctip::cases
