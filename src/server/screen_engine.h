// The server's bridge to the screening engine (src/screen): stateless routes (profiles,
// instruments, screener, evaluate) and evaluation for the workflow routes.
#pragma once

#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace ctip::server {

// Evaluates {"profile","age","may_be_minor","answers","lang"} with a full instrument's
// indicator ids, or with the screener's question ids; returns the engine's result JSON.
// Throws invalid naming the field on bad input.
Json evaluate_answers(const Json& evaluation);
Json evaluate_screener(const Json& evaluation);

std::vector<Route> screen_engine_routes();

}  // namespace ctip::server
