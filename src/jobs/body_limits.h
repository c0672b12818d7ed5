// Per-route request body limits. cpp-httplib has one limit for the whole server
// (set_payload_max_length) and checks it when it reads a body; a server with a 1 MiB limit
// refuses a streamed job upload, and a server with a 64 GiB limit lets any JSON route buffer
// gigabytes in memory. BodyLimits decides per method and route pattern, from the request's
// headers, before any byte of the body is read.
//
// How the server uses it (see README.md):
//   BodyLimits limits(1 << 20);                          // JSON routes: 1 MiB
//   jobs::http::add_body_limits(limits, max_upload);     // POST /api/v1/jobs: streamed
//   limits.install(http);   // or call pre_routing()/expect_continue() from the server's own
//                           // handlers, and set_payload_max_length(limits.largest())
// A body over a route's limit gets 413 (with "Connection: close": the unread body is not
// parsed as a next request); a chunked body (no Content-Length) on a route whose limit is the
// default gets 411, since its size cannot be checked before it is buffered. Routes that stream
// their body (a limit set above the default) accept chunked bodies and count bytes as they
// read them (jobs::Upload does).
#pragma once

#include <httplib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::jobs {

class BodyLimits {
 public:
  explicit BodyLimits(uint64_t default_max_bytes = 1 << 20);
  // `pattern` in the API's route syntax, e.g. "/api/v1/jobs" or "/api/v1/jobs/{id}/cancel";
  // when several patterns match a path, the one with most literal segments wins.
  BodyLimits& set(std::string method, const std::string& pattern, uint64_t max_bytes);
  uint64_t limit(std::string_view method, std::string_view path) const;
  uint64_t default_limit() const { return default_max_bytes_; }
  // What to give httplib::Server::set_payload_max_length so that it refuses nothing the
  // routes accept.
  uint64_t largest() const;

  struct Refusal {
    int status;           // 413 or 411
    std::string code;     // "payload_too_large", "invalid_argument"
    std::string message;  // for a person
  };
  // Pure: the refusal for a request with these headers, or nullopt when it may proceed.
  std::optional<Refusal> check(std::string_view method, std::string_view path,
                               std::optional<uint64_t> content_length, bool chunked) const;

  // httplib hooks. pre_routing(): a Server::set_pre_routing_handler body; answers a refused
  // request with a JSON error and returns Handled. expect_continue(): a
  // Server::set_expect_100_continue_handler body (a client that sends "Expect: 100-continue",
  // as curl does for large bodies, learns of the refusal before sending the body).
  httplib::Server::HandlerResponse pre_routing(const httplib::Request& req,
                                               httplib::Response& res) const;
  int expect_continue(const httplib::Request& req, httplib::Response& res) const;
  // Installs both hooks and the payload maximum on a server; `*this` must outlive it.
  void install(httplib::Server& server) const;

 private:
  struct Rule {
    std::string method;
    std::vector<std::string> parts;  // "{x}" matches any one segment
    int literals = 0;
    uint64_t max_bytes = 0;
  };
  uint64_t default_max_bytes_;
  std::vector<Rule> rules_;
};

// {"error":{"code","message"}}, the API's error shape (server.cpp), for these hooks.
void write_json_error(httplib::Response& res, int status, std::string_view code,
                      std::string_view message, std::string_view field = {});

}  // namespace ctip::jobs
