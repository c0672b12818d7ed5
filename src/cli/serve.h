#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <filesystem>
#include <string>

#include "server/server.h"

namespace ctip::cli {

struct ServeFlags {
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string web_dir;  // empty: web/dist next to the binary's build folder, else ./web/dist
  std::string log_level = "info";
  bool secure_cookies = false;  // behind a TLS-terminating proxy
  bool no_jobs = false;         // another server on the same store runs the jobs
  int job_workers = 1;
  int session_idle_minutes = 30;  // auth::SessionPolicy::idle_ms
  int sessions_per_user = 5;      // auth::SessionPolicy::max_per_user
  int header_timeout_s = 10;      // server::ServerOptions::header_deadline_ms
  int max_connections_per_address = 64;
  std::string audit_witness;  // a directory for copies of the signed audit head; empty: none
  int64_t audit_witness_interval_s = 60;
  int64_t audit_witness_keep = 100;
};
void add_serve_flags(CLI::App& cmd, ServeFlags& flags);
// Serves until SIGTERM or SIGINT, then shuts down gracefully.
void run_server(const std::filesystem::path& data_dir, const ServeFlags& flags);

}  // namespace ctip::cli
