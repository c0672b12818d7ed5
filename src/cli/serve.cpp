#include "cli/serve.h"

#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <thread>

#include "audit/audit_log.h"
#include "audit/witness.h"
#include "cli/commands.h"
#include "core/error.h"

namespace ctip::cli {
namespace {

std::filesystem::path default_web_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    // build/ctip -> web/dist of the same checkout
    auto candidate = exe.parent_path().parent_path() / "web" / "dist";
    if (std::filesystem::exists(candidate / "index.html")) return candidate;
  }
  return std::filesystem::current_path() / "web" / "dist";
}

}  // namespace

void add_serve_flags(CLI::App& cmd, ServeFlags& f) {
  cmd.add_option("--port", f.port, "TCP port")->default_val(8080)->check(CLI::Range(1, 65535));
  cmd.add_option("--bind", f.bind, "Address to listen on")->default_val("127.0.0.1");
  cmd.add_option("--web", f.web_dir, "Built front end (default: web/dist of this checkout)");
  cmd.add_option("--log-level", f.log_level, "trace, debug, info, warn, error or off")
      ->default_val("info")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  cmd.add_option("--audit-witness", f.audit_witness,
                 "Directory (e.g. on another mount) where the server keeps copies of the audit "
                 "log's signed head, for 'ctip audit verify --witness DIR'");
  cmd.add_option("--audit-witness-interval", f.audit_witness_interval_s,
                 "Seconds between two heads kept in --audit-witness (a head is kept only when "
                 "the log grew)")
      ->default_val(60)
      ->check(CLI::Range(1, 86400));
  cmd.add_option("--audit-witness-keep", f.audit_witness_keep,
                 "How many heads --audit-witness keeps (the oldest are removed)")
      ->default_val(100)
      ->check(CLI::Range(1, 1000000));
  cmd.add_flag("--secure-cookies", f.secure_cookies,
               "Mark the session cookie Secure (when served over TLS, e.g. behind a proxy)");
  cmd.add_flag("--no-jobs", f.no_jobs,
               "Run no jobs here (imports, analyses): with several servers on one PostgreSQL,\n"
               "exactly one runs them; the others answer the job routes with 404");
  cmd.add_option("--job-workers", f.job_workers, "Jobs run at once")
      ->default_val(1)
      ->check(CLI::Range(1, 64));
  cmd.add_option("--session-idle-minutes", f.session_idle_minutes,
                 "End a session after this many minutes without a request (8 h at most anyway)")
      ->default_val(30)
      ->check(CLI::Range(1, 480));
  cmd.add_option("--sessions-per-user", f.sessions_per_user,
                 "Sessions a user may hold at once; a new login ends the oldest")
      ->default_val(5)
      ->check(CLI::Range(1, 100));
  cmd.add_option("--header-timeout", f.header_timeout_s,
                 "Seconds a client has to send a request's whole header (and an idle kept-alive\n"
                 "connection to start the next); past it the connection is closed")
      ->default_val(10)
      ->check(CLI::Range(1, 300));
  cmd.add_option("--max-connections-per-address", f.max_connections_per_address,
                 "Connections one client address may hold open; past it: 503 and closed\n"
                 "(behind a reverse proxy every client shares its address: raise it)")
      ->default_val(64)
      ->check(CLI::Range(1, 100000));
}

void run_server(const std::filesystem::path& data_dir, const ServeFlags& f) {
  // Logs are JSON lines on stderr and never hold personal data (see server.cpp).
  auto logger = spdlog::stderr_logger_mt("ctip");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%v})",
                      spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(f.log_level));

  // Block the shutdown signals in every thread; one thread waits for them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto store = open_store(data_dir.string());
  auto audit_dir = audit_files_dir(data_dir.string());
  audit::DirectoryTrustStore trust(audit_dir, audit_key_file());
  audit::AuditLog audit(*store, trust);
  // Signed heads copied outside the data directory (issue #7 item 5, src/audit/witness.h).
  std::unique_ptr<audit::HeadWitness> witness;
  if (!f.audit_witness.empty())
    witness = std::make_unique<audit::HeadWitness>(
        audit, audit::WitnessOptions{f.audit_witness, f.audit_witness_interval_s * 1000,
                                     static_cast<size_t>(f.audit_witness_keep)});
  server::ServerOptions o;
  o.bind = f.bind;
  o.port = f.port;
  o.secure_cookies = f.secure_cookies;
  // Job inputs stay on this server's disk while their jobs run (src/jobs/README.md).
  if (!f.no_jobs) o.jobs_dir = audit_dir / "jobs";
  o.job_workers = f.job_workers;
  o.sessions.idle_ms = int64_t{f.session_idle_minutes} * 60 * 1000;
  o.sessions.max_per_user = f.sessions_per_user;
  o.header_deadline_ms = f.header_timeout_s * 1000;
  o.max_connections_per_address = f.max_connections_per_address;
  o.web_dir = f.web_dir.empty() ? default_web_dir() : std::filesystem::path(f.web_dir);
  if (!std::filesystem::exists(o.web_dir / "index.html")) {
    std::cerr << "ctip: note: no front end at " << o.web_dir.string()
              << " (run 'make build'); serving the API only\n";
    o.web_dir.clear();
  }
  server::Server server(*store, audit, o);
  int port = server.bind();
  // The store URL may hold a password: name the engine and the audit key directory only.
  std::cout << "ctip serving http://" << f.bind << ":" << port << "/ (store: " << store->engine()
            << ", data: " << audit_dir.string() << "); stop with Ctrl-C" << std::endl;
  spdlog::info(R"({{"event":"listening","port":{}}})", port);

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info(R"({{"event":"shutdown","signal":{}}})", sig);
    server.stop();
  });
  server.listen();
  // listen() returns after stop(): in-flight requests have finished.
  if (waiter.joinable()) {
    // Wakes the waiter's sigwait() when the stop came from elsewhere: the signal is blocked in
    // every thread and consumed by sigwait, so it terminates nothing.
    pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
    waiter.join();
  }
  spdlog::info(R"({"event":"stopped"})");
  std::cout << "ctip stopped" << std::endl;
}

void add_serve_command(CLI::App& app) {
  static std::string data_dir;
  static ServeFlags flags;
  auto* serve = app.add_subcommand("serve", "Serve the web workbench and the HTTP API");
  add_data_option(*serve, data_dir);
  add_serve_flags(*serve, flags);
  serve->footer(
      "Examples:\n  ctip serve --data ./ctip-data --port 8080 --bind 127.0.0.1\n"
      "  ctip serve --store postgresql://ctip@db.example/ctip --data /var/lib/ctip");
  serve->callback([] { run_server(data_dir, flags); });
}

}  // namespace ctip::cli
