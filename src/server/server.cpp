#include "server/server.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "app/capabilities.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/time.h"
#include "jobs/job_service.h"
#include "server/api.h"
#include "server/http_listener.h"

namespace ctip::server {
namespace {

constexpr const char* kSessionCookie = "ctip_session";
// The most of a refused request's body the server reads (and drops) to deliver its answer.
constexpr uint64_t kDrainBytes = 16ULL << 20;

Json error_body(std::string_view code, const std::string& message, const std::string& field) {
  Json e = {{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  return Json{{"error", e}};
}

void write_json(HttpResponse& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string cookie_value(const HttpRequest& req, const std::string& name) {
  auto header = req.header("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=')
      return std::string(part.substr(name.size() + 1));
    pos = end + 1;
  }
  return {};
}

bool is_param(std::string_view part) {
  return part.size() > 2 && part.front() == '{' && part.back() == '}';
}

bool matches(const std::vector<std::string_view>& parts, const std::vector<std::string_view>& segs,
             std::map<std::string, std::string>* params) {
  if (parts.size() != segs.size()) return false;
  for (size_t i = 0; i < segs.size(); ++i) {
    if (is_param(parts[i])) {
      if (params) (*params)[std::string(parts[i].substr(1, parts[i].size() - 2))] = segs[i];
    } else if (parts[i] != segs[i]) {
      return false;
    }
  }
  return true;
}

// Whether pattern a is more specific than pattern b (same number of segments): at the first
// segment where one has a literal and the other a parameter, the literal wins.
bool more_specific(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool pa = is_param(a[i]), pb = is_param(b[i]);
    if (pa != pb) return !pa;
  }
  return false;
}

// The request's declared body size: nullopt when it sends none or a chunked one. Two different
// Content-Length headers are refused (a proxy and ctip could each take a different one and
// disagree about where the next request starts).
std::optional<uint64_t> content_length(const HttpRequest& req) {
  auto values = req.header_values("Content-Length");
  if (values.empty()) return std::nullopt;
  std::optional<uint64_t> out;
  for (const std::string& text : values) {
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size() || (out && *out != v))
      throw Error(ErrorCode::invalid_argument, "malformed or conflicting Content-Length headers",
                  "Content-Length");
    out = v;
  }
  return out;
}

std::string limit_text(uint64_t bytes) {
  if (bytes % (1ULL << 30) == 0) return std::to_string(bytes >> 30) + " GiB";
  if (bytes % (1ULL << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

Error too_large(uint64_t limit) {
  return Error(ErrorCode::payload_too_large,
               "request body over this route's " + limit_text(limit) + " limit", "body");
}

bool mutating(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// CTIP_API_RECORD: one JSON line per answered API request (docs/architecture.md), for the
// OpenAPI check that validates every response the tests produce. CTIP_API_RECORD names a file;
// CTIP_API_RECORD_DIR names a folder in which each server writes its own file
// (api-<pid>-<n>.jsonl, created at its first answer), so that tests running in parallel
// (`make cpp-test`) record without sharing a file.
class ResponseRecorder {
 public:
  ResponseRecorder(const char* file, const char* dir) {
    if (file && *file)
      out_.open(file, std::ios::app);
    else if (dir && *dir)
      dir_ = dir;
    enabled_ = out_.is_open() || !dir_.empty();
  }
  bool enabled() const { return enabled_; }
  void record(const std::string& method, const std::string* route, const std::string& path,
              const HttpResponse& res) {
    if (!enabled()) return;
    std::string content_type = res.header("Content-Type");
    Json body;  // null when empty or not JSON
    if (!res.body.empty() && content_type.rfind("application/json", 0) == 0)
      body = Json::parse(res.body, nullptr, false);
    if (body.is_discarded()) body = nullptr;
    Json line = {{"method", method},     {"route", route ? Json(*route) : Json()}, {"path", path},
                 {"status", res.status}, {"content_type", content_type},           {"body", body}};
    std::lock_guard lock(mu_);
    if (!out_.is_open()) {
      if (open_failed_) return;
      static std::atomic<int> servers{0};
      out_.open(dir_ + "/api-" + std::to_string(::getpid()) + "-" + std::to_string(++servers) +
                ".jsonl");
      if (!out_.is_open()) {
        open_failed_ = true;  // the folder is gone: stop recording rather than fail the answer
        return;
      }
    }
    out_ << line.dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    out_.flush();
  }

 private:
  std::mutex mu_;
  std::ofstream out_;
  std::string dir_;
  bool enabled_ = false;
  bool open_failed_ = false;
};

}  // namespace

RouteMatch match_route(const std::vector<Route>& routes, std::string_view method,
                       std::string_view path) {
  auto segs = segments(path);
  RouteMatch out;
  std::set<std::string> allowed;
  std::vector<std::string_view> best_parts;
  for (const auto& r : routes) {
    auto parts = segments(r.pattern);
    if (!matches(parts, segs, nullptr)) continue;
    allowed.insert(r.method);
    if (r.method == method && (!out.route || more_specific(parts, best_parts))) {
      out.route = &r;
      best_parts = std::move(parts);
    }
  }
  if (out.route)
    matches(best_parts, segs, &out.params);
  else
    out.allowed.assign(allowed.begin(), allowed.end());
  return out;
}

// ---- Server -----------------------------------------------------------------------------

struct Server::Impl {
  Impl(store::Store& store, audit::AuditLog& audit, ServerOptions o)
      : services{store, audit, {}, o.secure_cookies, nullptr, o.sessions},
        options(std::move(o)),
        recorder(std::getenv("CTIP_API_RECORD"), std::getenv("CTIP_API_RECORD_DIR")) {
    std::set<std::string> seen;
    for (const auto& r : all_routes()) {
      // A route that does not say whose data it serves could leak another organisation's.
      if (r.owner.kind == Ownership::Kind::unset)
        throw Error(ErrorCode::internal,
                    "route " + r.method + " " + r.pattern + " declares no Ownership");
      if (r.owner.kind == Ownership::Kind::object &&
          (!r.owner.resolve || r.pattern.find("{" + r.owner.param + "}") == std::string::npos))
        throw Error(ErrorCode::internal, "route " + r.method + " " + r.pattern +
                                             " owns an object without a resolver or parameter");
      if (!seen.insert(r.method + " " + r.pattern).second)
        throw Error(ErrorCode::internal, "route " + r.method + " " + r.pattern + " twice");
      largest_body = std::max<uint64_t>(largest_body, body_limit(r));
    }
    if (!options.jobs_dir.empty()) {
      jobs::ServiceOptions jo;
      jo.jobs_dir = options.jobs_dir;
      jo.workers = options.job_workers;
      jo.max_input_bytes = static_cast<int64_t>(largest_body);
      jobs = std::make_unique<jobs::JobService>(
          store, audit, options.job_kinds ? options.job_kinds() : app::job_kinds(), jo);
      jobs->start();
      services.jobs = jobs.get();
    }
  }

  uint64_t body_limit(const Route& r) const {
    return r.max_body_bytes ? r.max_body_bytes : options.max_body_bytes;
  }

  Services services;
  ServerOptions options;
  ResponseRecorder recorder;
  // Declared before the listener: it stops (and its requests finish) before the job runner.
  std::unique_ptr<jobs::JobService> jobs;
  uint64_t largest_body = 0;  // the largest body any route takes
  std::unique_ptr<HttpListener> listener;
  std::string index_html;  // empty: no front end

  // Applies the matrix's scope to the route's object (Ownership::object): 404 when it does not
  // exist, and 404 too - audited as a denied access - when it belongs to another organisation
  // and the user's scope is `organisation`, so that a probe learns nothing.
  void check_object(Call& call, const Route& route) {
    const auto& own = route.owner;
    int64_t id = call.path_id(own.param);
    std::optional<int64_t> org;
    services.store.read([&](store::Connection& c) { org = own.resolve(c, id); });
    if (!org) {
      // A probe of an id that does not exist is recorded too (issue #7 item 5): scanning ids
      // leaves a trail like probing another organisation's objects does.
      call.audit("access.not_found", own.object_type, std::to_string(id), "failure");
      throw Error(ErrorCode::not_found, "no such " + own.object_type, own.param);
    }
    if (call.scope == auth::Scope::organisation && call.user && *org != call.user->org.id) {
      call.audit("access.denied", own.object_type, std::to_string(id), "denied");
      throw Error(ErrorCode::not_found, "no such " + own.object_type, own.param);
    }
    call.object_id = id;
  }

  // `body` is set for requests that may carry a body (POST, PUT, PATCH, DELETE): it is read
  // only once the route is known and the caller allowed, within the route's limit.
  void handle_api(const HttpRequest& req, HttpResponse& res, const RequestBody* body) {
    auto started = std::chrono::steady_clock::now();
    std::string route_name = "unmatched";
    const Route* matched = nullptr;
    std::optional<int64_t> user_id;
    bool body_read = body == nullptr;
    bool body_touched = false;  // reading began (it cannot begin again)
    std::optional<uint64_t> declared_length;
    // No route takes a multipart form: refused unread (415).
    const bool multipart = req.header("Content-Type").starts_with("multipart/");
    try {
      declared_length = content_length(req);
      RouteMatch found = match_route(all_routes(), req.method, req.path);
      if (!found.route && !found.allowed.empty()) {
        std::string allow;
        for (const auto& m : found.allowed) allow += (allow.empty() ? "" : ", ") + m;
        res.set_header("Allow", allow);
        if (req.method == "OPTIONS") {
          res.status = 204;
        } else {
          write_json(res, 405,
                     error_body("method_not_allowed",
                                "method " + req.method + " not allowed on " + req.path +
                                    " (allowed: " + allow + ")",
                                ""));
        }
      } else if (!found.route) {
        throw Error(ErrorCode::not_found, "no API route " + req.method + " " + req.path);
      } else {
        const Route& route = *found.route;
        matched = &route;
        route_name = route.pattern;
        Call call(services);
        call.method = req.method;
        call.path = req.path;
        call.params = std::move(found.params);
        call.content_type = req.header("Content-Type");
        call.client_address = req.remote_addr;
        call.session_token = cookie_value(req, kSessionCookie);
        for (const auto& [k, v] : req.query) call.query.emplace(k, v);
        call.action = route.action;
        const uint64_t limit = body_limit(route);
        if (declared_length && *declared_length > limit) throw too_large(limit);
        if (body && multipart)
          throw Error(ErrorCode::unsupported_media,
                      "send JSON (or, for a job, the file itself), not a multipart form",
                      "Content-Type");
        if (route.action != kPublic) authorise(call, req);
        if (call.user) user_id = call.user->id;
        if (route.owner.kind == Ownership::Kind::object) check_object(call, route);
        // Reads the body once, in pieces, within the route's limit (413 past it).
        auto read_within_limit = [body, limit, &body_read, &body_touched](const BodySink& sink) {
          if (body_touched) throw Error(ErrorCode::internal, "request body read twice");
          body_touched = true;
          uint64_t received = 0;
          bool over = false;
          bool complete = (*body)([&](const char* data, size_t n) {
            received += n;
            over = received > limit;
            return !over && sink(data, n);
          });
          body_read = complete;
          if (over) throw too_large(limit);
          return complete;
        };
        if (body && route.streams_body) {
          call.read_body = read_within_limit;
        } else if (body) {
          bool complete = read_within_limit([&](const char* data, size_t n) {
            call.body_text.append(data, n);
            return true;
          });
          if (!complete)
            throw Error(ErrorCode::invalid_argument, "incomplete request body", "body");
        }
        Reply reply = route.handler(call);
        for (const auto& [k, v] : reply.headers) res.set_header(k, v);
        if (reply.no_content) {
          res.status = reply.status;
        } else if (reply.raw) {
          res.status = reply.status;
          res.set_content(std::move(*reply.raw), reply.content_type);
        } else {
          write_json(res, reply.status, reply.body);
        }
      }
    } catch (const Error& e) {
      const std::string& field = e.field();
      // Integrity and internal errors are logged by code only: messages may quote input.
      if (http_status(e.code()) >= 500)
        spdlog::error(R"({{"event":"request_failed","route":"{}","code":"{}"}})", route_name,
                      to_string(e.code()));
      write_json(res, http_status(e.code()),
                 error_body(to_string(e.code()),
                            http_status(e.code()) >= 500 ? "internal error" : e.what(), field));
    } catch (const std::exception&) {
      spdlog::error(R"({{"event":"request_failed","route":"{}","code":"internal"}})", route_name);
      write_json(res, 500, error_body("internal", "internal error", ""));
    }
    res.set_header("Cache-Control", "no-store");
    // Answered before the body was read: a body of up to kDrainBytes is read and dropped, so
    // that a client which sends it whole before reading the answer (no "Expect: 100-continue")
    // gets the answer, and the connection stays usable. The rest of a larger one must not be
    // taken for the next request: the connection closes (the listener closes a connection
    // whose body was left unread).
    if (!body_read) {
      if (!body_touched && (!declared_length || *declared_length <= kDrainBytes)) {
        uint64_t dropped = 0;
        body_read = (*body)([&](const char*, size_t n) { return (dropped += n) <= kDrainBytes; });
      }
      if (!body_read) res.set_header("Connection", "close");
    }
    if (recorder.enabled())
      recorder.record(req.method, matched ? &matched->pattern : nullptr, req.path, res);
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    // No personal data in logs: the route pattern (not the path), status and the user's id.
    spdlog::info(
        R"({{"event":"request","method":"{}","route":"{}","status":{},"ms":{:.2f},"user_id":{}}})",
        req.method, route_name, res.status, ms, user_id ? std::to_string(*user_id) : "null");
  }

  void authorise(Call& call, const HttpRequest& req) {
    if (call.session_token.empty())
      throw Error(ErrorCode::unauthenticated, "log in first: no session cookie");
    auto found =
        auth::resume_session(services.store, call.session_token, system_clock(), services.sessions);
    if (!found) throw Error(ErrorCode::unauthenticated, "session expired or unknown: log in again");
    call.user = std::move(found->first);
    call.csrf_token = std::move(found->second);
    auto grant = auth::PermissionMatrix::builtin().grant(call.user->role, call.action);
    if (!grant) {
      call.audit("access.denied", "route", call.action, "denied");
      throw Error(ErrorCode::permission_denied,
                  "role '" + call.user->role + "' may not " + call.action);
    }
    call.scope = *grant;
    if (mutating(call.method)) {
      auto header = req.header("X-CSRF-Token");
      if (header.empty() || !equal_constant_time(header, call.csrf_token)) {
        call.audit("access.csrf_rejected", "route", call.action, "denied");
        throw Error(ErrorCode::permission_denied,
                    "missing or wrong X-CSRF-Token header (use the csrf_token from login or "
                    "/api/v1/me)",
                    "X-CSRF-Token");
      }
    }
  }

  // Everything outside /api/: the built front end. A file of web/dist when the path names one,
  // else index.html (the front end routes on the client).
  void serve_web(const HttpRequest& req, HttpResponse& res) {
    if ((req.method != "GET" && req.method != "HEAD") || index_html.empty()) {
      write_json(res, 404, error_body("not_found", "not found", ""));
      return;
    }
    std::string_view rel(req.path);
    while (!rel.empty() && rel.front() == '/') rel.remove_prefix(1);
    bool plain =
        rel.find('\0') == std::string_view::npos && rel.find('\\') == std::string_view::npos;
    for (auto part : segments(rel)) plain = plain && part != ".." && part != ".";
    if (plain && !rel.empty()) {
      std::filesystem::path file = options.web_dir / std::string(rel);
      std::error_code ec;
      if (std::filesystem::is_regular_file(file, ec)) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        res.set_content(ss.str(), media_type(file.extension().string()));
        return;
      }
    }
    res.set_content(index_html, "text/html; charset=utf-8");
  }

  static std::string media_type(const std::string& extension) {
    static const std::map<std::string, std::string> types = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"}};
    auto it = types.find(extension);
    return it == types.end() ? "application/octet-stream" : it->second;
  }

  void setup() {
    ListenerOptions lo;
    lo.max_header_bytes = options.max_header_bytes;
    lo.max_header_count = options.max_header_count;
    lo.header_deadline = std::chrono::milliseconds(options.header_deadline_ms);
    lo.body_idle = std::chrono::seconds(options.read_timeout_s);
    lo.write_timeout = std::chrono::seconds(options.write_timeout_s);
    lo.max_connections_per_address = options.max_connections_per_address;
    lo.workers = options.threads;
    lo.default_headers = {{"X-Content-Type-Options", "nosniff"},
                          {"X-Frame-Options", "DENY"},
                          {"Referrer-Policy", "no-referrer"},
                          {"Content-Security-Policy",
                           "default-src 'self'; img-src 'self' data:; style-src 'self' "
                           "'unsafe-inline'; script-src 'self'; frame-ancestors 'none'"}};
    lo.error_body = [](int, std::string_view code, std::string_view message) {
      return error_body(code, std::string(message), "").dump();
    };
    if (!options.web_dir.empty() && std::filesystem::exists(options.web_dir / "index.html")) {
      std::ifstream in(options.web_dir / "index.html");
      std::stringstream ss;
      ss << in.rdbuf();
      index_html = ss.str();
    }
    // The dispatcher reads a body only once the route is known and the caller allowed, within
    // the route's limit, or lets the route stream it.
    listener = std::make_unique<HttpListener>(
        std::move(lo), [this](const HttpRequest& req, HttpResponse& res, const RequestBody* body) {
          if (req.path.starts_with("/api/"))
            handle_api(req, res, body);
          else
            serve_web(req, res);
        });
  }
};

Server::Server(store::Store& store, audit::AuditLog& audit, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, audit, std::move(options))) {
  impl_->setup();
}

Server::~Server() = default;

int Server::bind() {
  impl_->options.port = impl_->listener->bind(impl_->options.bind, impl_->options.port);
  return impl_->options.port;
}

void Server::listen() { impl_->listener->run(); }

void Server::stop() { impl_->listener->stop(); }

}  // namespace ctip::server
