// Probes of the job routes for the route x role test (src/server/route_probes.h): one finished
// job in each organisation, run through the job service on the test's store.
#include "server/route_probes.h"

#include <filesystem>
#include <sstream>

#include "jobs/capability.h"
#include "jobs/job_service.h"

namespace ctip::server::testing {

ProbeSet probes_jobs(ProbeFixture& f) {
  jobs::KindRegistry kinds;
  jobs::add_kinds(kinds);
  jobs::ServiceOptions o;
  o.jobs_dir =
      std::filesystem::temp_directory_path() / ("ctip-probe-jobs-" + std::to_string(::getpid()));
  int64_t own = 0, other = 0;
  {
    jobs::JobService service(f.store, f.audit, std::move(kinds), o);
    service.start(jobs::JobService::Recovery::none);
    auto run_as = [&](const std::string& username) {
      auth::User u = f.user(username);
      std::istringstream input("one\ntwo\n");
      jobs::Job job = service.submit({u.id, u.username, u.org.id, false}, "count_lines", input);
      service.wait(job.id, std::chrono::seconds(30));
      return job.id;
    };
    own = run_as("analyst");
    other = run_as("other.analyst");
  }
  std::filesystem::remove_all(o.jobs_dir);
  const std::string path = "/api/v1/jobs/" + std::to_string(own);
  return {{
              {"POST", "/api/v1/jobs", "/api/v1/jobs?kind=count_lines", "a\nb\n", 201},
              {"GET", "/api/v1/jobs", "/api/v1/jobs", "", 200},
              {"GET", "/api/v1/jobs/{id}", path, "", 200},
              // The job has succeeded: it can no longer be cancelled.
              {"POST", "/api/v1/jobs/{id}/cancel", path + "/cancel", "", 409},
          },
          {{"job", other}}};
}

}  // namespace ctip::server::testing
