// What the flows capability gives the registry (src/app/capabilities.cpp): its API routes (none
// yet: the store, service and routes over this engine come with the integration of issue #9),
// `ctip flows ...` and its enumerations for GET /api/v1/meta.
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}

namespace ctip::flows {

std::vector<server::Route> routes();  // capability.cpp: none yet
void add_commands(CLI::App& app);     // cli.cpp: ctip flows summary
// Adds "flow_formats" (ctdc, ctdc-synthetic, htcds, glotip) and "flow_groups" (exploitation,
// labour, sexual, control, recruiter).
void add_meta(Json& meta);  // capability.cpp

}  // namespace ctip::flows
