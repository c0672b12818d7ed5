// What the flows capability gives the registry (src/app/capabilities.cpp): its API routes,
// `ctip flows ...`, its enumerations for GET /api/v1/meta and its import job kinds.
// Schema: schema/0012_flows.sql.
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace ctip::jobs {
class KindRegistry;
}
namespace CLI {
class App;
}

namespace ctip::flows {

std::vector<server::Route> routes();  // routes.cpp
// cli.cpp: ctip flows summary|import|imports|corridors|domestic|categories|shifts|glotip|release
void add_commands(CLI::App& app);
// Adds "flow_formats" (ctdc, ctdc-synthetic, htcds, glotip) and "flow_groups" (exploitation,
// labour, sexual, control, recruiter).
void add_meta(Json& meta);  // capability.cpp
// flows.import.ctdc|ctdc-synthetic|htcds|glotip (flows_service.cpp).
void add_job_kinds(jobs::KindRegistry& kinds);

}  // namespace ctip::flows
