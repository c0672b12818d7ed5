// `ctip jobs`: run a job in this process or on a server, with a progress bar; list, show and
// cancel the jobs of a store (issue #6, item 7). The commands call JobService, as the routes do.
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "cli/commands.h"
#include "core/error.h"
#include "jobs/capability.h"
#include "jobs/job_client.h"
#include "jobs/job_service.h"

namespace ctip::jobs {
namespace {

// A store's job service for the operator at the command line (not started: it runs nothing
// unless asked to, so that a server's running jobs are not taken for interrupted ones).
struct Local {
  explicit Local(const std::string& data_dir, KindRegistry kinds, bool create = false)
      : store(create ? cli::open_store(data_dir) : cli::open_existing_store(data_dir)),
        trust(cli::audit_files_dir(data_dir)),
        log(*store, trust),
        service(*store, log, std::move(kinds), options(data_dir)) {}
  static ServiceOptions options(const std::string& data_dir) {
    ServiceOptions o;
    o.jobs_dir = cli::audit_files_dir(data_dir) / "jobs";
    o.max_input_bytes = static_cast<int64_t>(kMaxUploadBytes);
    return o;
  }
  std::unique_ptr<store::Store> store;
  audit::DirectoryTrustStore trust;
  audit::AuditLog log;
  JobService service;
};

void print_job(const Json& job, bool as_json) {
  if (as_json) {
    std::cout << job.dump(2) << "\n";
    return;
  }
  std::cout << "job " << job["id"].get<int64_t>() << " (" << job["kind"].get<std::string>()
            << "): " << job["status"].get<std::string>();
  if (job["error"].is_string()) std::cout << ": " << job["error"].get<std::string>();
  std::cout << "\n";
  if (job.contains("result") && !job["result"].is_null())
    std::cout << job["result"].dump(2) << "\n";
}

int exit_code_of(const Json& job) { return job["status"] == "succeeded" ? 0 : 1; }

}  // namespace

void add_commands(CLI::App& app, KindRegistry (*kinds)()) {
  auto* jobs = app.add_subcommand(
      "jobs", "Long work: run a job over a file with a progress bar; list, show, cancel jobs");
  jobs->require_subcommand(1);
  static std::string data_dir, kind, file, server, user;
  static int64_t id = 0;
  static int limit = 20;
  static bool as_json = false, password_stdin = false;

  auto* list_kinds = jobs->add_subcommand("kinds", "List the kinds of job this ctip runs");
  list_kinds->callback([kinds] {
    KindRegistry k = kinds();
    for (const auto& name : k.names()) {
      const Kind* found = k.find(name);
      std::cout << name << "\t" << found->summary << " (progress in " << found->unit << ")\n";
    }
  });

  auto* run = jobs->add_subcommand(
      "run", "Run a job over FILE in this process, on the store, with a progress bar");
  cli::add_data_option(*run, data_dir);
  run->add_option("kind", kind, "The job's kind (ctip jobs kinds)")->required();
  run->add_option("file", file, "The input file")->required()->check(CLI::ExistingFile);
  run->add_flag("--json", as_json, "Print the final job as JSON");
  run->footer(
      "Example:\n  ctip jobs run count_lines ./records.csv --data ./ctip-data\n"
      "  [##############################] 100% 1,048,576/1,048,576 bytes\n\n"
      "Exit 0 when the job succeeded, 1 when it failed or was cancelled. Ctrl-C stops it;\n"
      "nothing half-written stays.");
  run->callback([kinds] {
    Local local(data_dir, kinds(), true);
    local.service.start(JobService::Recovery::none);
    ProgressBar bar = ProgressBar::on_stderr();
    Job job = run_locally(local.service, Caller::cli(), kind, file, bar);
    Json j = job_json(local.service, job, true);
    print_job(j, as_json);
    if (exit_code_of(j) != 0) throw Error(ErrorCode::integrity, "the job did not succeed");
  });

  auto* submit = jobs->add_subcommand(
      "submit", "Upload FILE to a running ctip server as a job and follow its progress");
  submit->add_option("kind", kind, "The job's kind (GET /api/v1/meta: job_kinds)")->required();
  submit->add_option("file", file, "The input file")->required()->check(CLI::ExistingFile);
  submit->add_option("--server", server, "The server's URL")->default_val("http://127.0.0.1:8080");
  submit->add_option("--user", user, "Your username on that server")->required();
  submit
      ->add_flag("--password-stdin", password_stdin,
                 "Read your password from the first line of stdin")
      ->required();
  submit->add_flag("--json", as_json, "Print the final job as JSON");
  submit->footer(
      "Example:\n  printf '%s\\n' \"$PW\" | ctip jobs submit count_lines ./records.csv \\\n"
      "      --server http://127.0.0.1:8080 --user amina.k --password-stdin\n\n"
      "The file is streamed (any size, constant memory); the job runs on the server.");
  submit->callback([] {
    auto session = login(server, user, cli::read_password_stdin());
    ProgressBar bar = ProgressBar::on_stderr();
    Json job = run_on_server(session, kind, file, bar);
    print_job(job, as_json);
    if (exit_code_of(job) != 0) throw Error(ErrorCode::integrity, "the job did not succeed");
  });

  auto* list = jobs->add_subcommand("list", "List the store's jobs, newest first");
  cli::add_data_option(*list, data_dir);
  list->add_option("--limit", limit, "At most this many")
      ->default_val(20)
      ->check(CLI::Range(1, 500));
  list->add_flag("--json", as_json, "Print JSON");
  list->callback([kinds] {
    Local local(data_dir, kinds());
    Json out = Json::array();
    for (const auto& job : local.service.list(Caller::cli(), limit))
      out.push_back(job_json(local.service, job, false));
    if (as_json) {
      std::cout << out.dump(2) << "\n";
      return;
    }
    if (out.empty()) std::cout << "no jobs\n";
    for (const auto& j : out)
      std::cout << j["id"].get<int64_t>() << "\t" << j["kind"].get<std::string>() << "\t"
                << j["status"].get<std::string>() << "\t" << j["created_at"].get<std::string>()
                << "\n";
  });

  auto* show = jobs->add_subcommand("show", "Show one job: status, progress and result");
  cli::add_data_option(*show, data_dir);
  show->add_option("id", id, "The job's id")->required()->check(CLI::PositiveNumber);
  show->add_flag("--json", as_json, "Print JSON");
  show->callback([kinds] {
    Local local(data_dir, kinds());
    print_job(job_json(local.service, local.service.get(Caller::cli(), id), true), as_json);
  });

  auto* cancel = jobs->add_subcommand(
      "cancel", "Cancel a queued or running job (the runner stops it at its next check)");
  cli::add_data_option(*cancel, data_dir);
  cancel->add_option("id", id, "The job's id")->required()->check(CLI::PositiveNumber);
  cancel->callback([kinds] {
    Local local(data_dir, kinds());
    print_job(job_json(local.service, local.service.cancel(Caller::cli(), id), false), false);
  });
}

}  // namespace ctip::jobs
