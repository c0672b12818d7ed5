// The HTTP server: JSON API under /api/v1 and the web front end (web/dist) on one origin.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "store/store.h"

namespace ctip::server {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;                  // 0 picks a free port (tests)
  std::filesystem::path web_dir;    // built front end; empty serves the API only
  size_t max_body_bytes = 1 << 20;  // 1 MiB
  int read_timeout_s = 10;
  int write_timeout_s = 10;
  int threads = 32;
  bool secure_cookies = false;
  auth::SessionPolicy sessions;  // idle timeout, absolute limit, sessions per user (src/auth)
};

class Server {
 public:
  Server(store::Store& store, audit::AuditLog& audit, ServerOptions options);
  ~Server();
  // Binds; returns the bound port. Throws Error when the address is taken.
  int bind();
  // Serves until stop() (blocking).
  void listen();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctip::server
