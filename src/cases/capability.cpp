#include "cases/capability.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

namespace ctip::cases {

// The schema comes first (schema/0013_cases.sql); routes and commands follow.
std::vector<server::Route> routes() { return {}; }
void add_commands(CLI::App&) {}
void add_meta(Json&) {}

}  // namespace ctip::cases
