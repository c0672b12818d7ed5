#include "app/capabilities.h"

#include <nlohmann/json.hpp>

#include "audit/capability.h"
#include "auth/capability.h"
#include "cases/capability.h"
#include "cases/services/capability.h"
#include "flows/capability.h"
#include "jobs/capability.h"
#include "jobs/job_service.h"
#include "online/capability.h"
#include "screen/capability.h"

namespace ctip::app {

const std::vector<Capability>& capabilities() {
  static const std::vector<Capability> list = {
      {"auth", "Organisations, users, sessions and the permission matrix", auth::routes,
       auth::add_commands, auth::add_meta},
      {"audit", "The tamper-evident audit log: entries, verification, signed heads, proofs",
       audit::routes, audit::add_commands, audit::add_meta},
      {"screen",
       "Screening potential victims: instruments, the decision rule, encounters, screenings, "
       "cases, referrals and coverage",
       screen::routes, screen::add_commands, screen::add_meta},
      {"jobs",
       "Long and large work: uploads streamed to jobs that run in the background, with progress, "
       "cancellation and a result",
       jobs::routes, [](CLI::App& app) { jobs::add_commands(app, job_kinds); }, jobs::add_meta,
       jobs::add_kinds},
      {"flows",
       "Trafficking flows: case records (CTDC, HTCDS) and UNODC country data (GLOTIP) imported "
       "into corridors, domestic shares, forms of exploitation and shifts, published with "
       "disclosure control",
       flows::routes, flows::add_commands, flows::add_meta, flows::add_job_kinds},
      {"cases",
       "Case management: victims' cases from identification to recovery and justice — status, "
       "consent, documentation, proceedings, notes, tasks and transfers",
       cases::routes, cases::add_commands, cases::add_meta},
      {"online",
       "Online exploitation: ads read in one pass into near-duplicate templates, shared selectors "
       "and ranked networks with their evidence",
       online::routes, online::add_commands, online::add_meta},
      {"cases/services",
       "Case management's services: the provider directory with capacity, referrals with "
       "consent, the investigation queue and the dashboards",
       cases::services::routes, cases::services::add_commands, cases::services::add_meta},
  };
  return list;
}

std::vector<embedded::File> schema_of(const Capability& capability) {
  std::string prefix = "src/" + std::string(capability.name) + "/schema/";
  std::vector<embedded::File> out;
  for (const auto& f : embedded::migrations())
    if (f.path.starts_with(prefix)) out.push_back(f);
  return out;
}

jobs::KindRegistry job_kinds() {
  jobs::KindRegistry kinds;
  for (const auto& c : capabilities())
    if (c.add_job_kinds) c.add_job_kinds(kinds);
  return kinds;
}

Json meta() {
  Json out = {{"version", CTIP_VERSION}};
  for (const auto& c : capabilities())
    if (c.add_meta) c.add_meta(out);
  out["job_kinds"] = job_kinds().names();
  return out;
}

}  // namespace ctip::app
