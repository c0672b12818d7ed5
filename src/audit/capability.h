// What the audit capability gives the registry (src/app/capabilities.cpp): its API routes
// (entries, verify, head, proofs), its CLI commands (`ctip audit`) and its enumerations for
// GET /api/v1/meta. Its schema migrations are src/audit/schema/*.sql.
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}

namespace ctip::audit {

std::vector<server::Route> routes();  // routes.cpp
void add_commands(CLI::App& app);     // cli.cpp: ctip audit ...
// Adds "audit_outcomes".
void add_meta(Json& meta);  // routes.cpp

}  // namespace ctip::audit
