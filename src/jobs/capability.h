// What the job mechanism gives the registry (src/app/capabilities.cpp): the job routes
// (routes.cpp), `ctip jobs` (cli.cpp), its enumerations for GET /api/v1/meta and its own
// diagnostic kind. Capabilities add their kinds through Capability::add_job_kinds; the server
// and the CLI run them (app::job_kinds()). Schema: schema/0005_jobs.sql.
#pragma once

#include <cstdint>
#include <vector>

#include "core/json_input.h"
#include "server/api.h"

namespace CLI {
class App;
}

namespace ctip::jobs {

class KindRegistry;

// The largest upload a job takes (POST /api/v1/jobs; ServiceOptions::max_input_bytes).
inline constexpr uint64_t kMaxUploadBytes = 64ULL << 30;  // 64 GiB

std::vector<server::Route> routes();  // routes.cpp
// cli.cpp: ctip jobs kinds|run|submit|list|show|cancel. `kinds` gives every capability's job
// kinds (app::job_kinds(); passed in, since the registry depends on this folder, not the reverse).
void add_commands(CLI::App& app, KindRegistry (*kinds)());
// Adds "job_statuses" (queued, running, succeeded, failed, cancelled).
void add_meta(Json& meta);  // routes.cpp
// Adds "count_lines", which counts the lines of a file: a check that uploads and the runner
// work end to end, without touching any personal data.
void add_kinds(KindRegistry& kinds);  // routes.cpp

}  // namespace ctip::jobs
