// What the accounts capability gives the registry (src/app/capabilities.cpp): its API routes
// (session, me, users), its CLI commands (`ctip users`) and its enumerations for
// GET /api/v1/meta. Its schema migrations are src/auth/schema/*.sql.
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}

namespace ctip::auth {

std::vector<server::Route> routes();  // routes.cpp
void add_commands(CLI::App& app);     // cli.cpp: ctip users ...
// Adds "roles" (data/permissions.json) and "organisation_kinds".
void add_meta(Json& meta);  // routes.cpp

}  // namespace ctip::auth
