// The registry: the one list of ctip's capabilities (capabilities.cpp), read by the server (its
// routes and GET /api/v1/meta), the CLI (its commands) and the store's schema (migrations).
// An explicit list, not self-registering statics, so that the linker cannot drop one and a
// reader sees them all in one place. Adding a capability: docs/architecture.md.
#pragma once

#include <string_view>
#include <vector>

#include "core/embedded.h"
#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}
namespace ctip::jobs {
class KindRegistry;
}

namespace ctip::app {

struct Capability {
  std::string_view name;     // its folder under src/, e.g. "screen"
  std::string_view summary;  // one line, for `ctip api capabilities` and the docs
  std::vector<server::Route> (*routes)() = nullptr;      // its API routes
  void (*add_commands)(CLI::App&) = nullptr;             // its `ctip` subcommands
  void (*add_meta)(Json&) = nullptr;                     // its enumerations for GET /api/v1/meta
  void (*add_job_kinds)(jobs::KindRegistry&) = nullptr;  // the jobs it runs (src/jobs)
};

// In schema order: a capability's migrations may refer to the tables of those before it.
const std::vector<Capability>& capabilities();

// The capability's schema migrations, src/<name>/schema/NNNN_*.sql, as compiled into the binary
// (CMake's ctip_schema collects every capability's folder; the store applies them in version
// order, versions being numbered across all capabilities).
std::vector<embedded::File> schema_of(const Capability& capability);

// Every capability's job kinds, for the job runner of `ctip serve` and of the CLI.
jobs::KindRegistry job_kinds();

// The enumerations every capability serves, plus "version" (GET /api/v1/meta).
Json meta();

}  // namespace ctip::app
