// What case management's services give the registry (src/app/capabilities.cpp, capability
// "cases/services"): API routes for providers, referrals, investigations and dashboards,
// `ctip providers ...`, and their enumerations for GET /api/v1/meta.
// Schema: schema/0015_services.sql.
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}

namespace ctip::cases::services {

std::vector<server::Route> routes();  // routes.cpp
void add_commands(CLI::App& app);     // cli.cpp: ctip providers import|list
// Adds "service_types" and "investigation_priority_inputs".
void add_meta(Json& meta);  // capability.cpp

}  // namespace ctip::cases::services
