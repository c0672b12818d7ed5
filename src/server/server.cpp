#include "server/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/error.h"
#include "core/time.h"
#include "server/api.h"

namespace ctip::server {
namespace {

constexpr const char* kSessionCookie = "ctip_session";

Json error_body(std::string_view code, const std::string& message, const std::string& field) {
  Json e = {{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  return Json{{"error", e}};
}

void write_json(httplib::Response& res, int status, const Json& body) {
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

std::string cookie_value(const httplib::Request& req, const std::string& name) {
  auto header = req.get_header_value("Cookie");
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

struct CompiledRoute {
  const Route* route;
  std::vector<std::string> parts;  // "{id}" marks a parameter
};

bool mutating(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

// ---- Call -------------------------------------------------------------------------------

Json Call::json() const {
  if (body_text.empty()) return Json::object();
  if (content_type.rfind("application/json", 0) != 0)
    throw Error(ErrorCode::unsupported_media, "request body must be application/json",
                "Content-Type");
  return parse_json(body_text, "body");
}

int64_t Call::path_id(const std::string& name) const {
  auto it = params.find(name);
  int64_t v = 0;
  if (it != params.end()) {
    auto [p, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), v);
    if (ec == std::errc() && p == it->second.data() + it->second.size() && v > 0) return v;
  }
  throw Error(ErrorCode::not_found, "no such " + name, name);
}

std::optional<std::string> Call::query_value(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

int64_t Call::query_int(const std::string& name, int64_t fallback, int64_t lo, int64_t hi) const {
  auto v = query_value(name);
  if (!v) return fallback;
  int64_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < lo || out > hi)
    invalid(name, "query parameter '" + name + "' must be an integer from " + std::to_string(lo) +
                      " to " + std::to_string(hi));
  return out;
}

std::optional<int64_t> Call::org_filter() const {
  if (scope == auth::Scope::all || !user) return std::nullopt;
  return user->org.id;
}

audit::Event Call::event(const std::string& act, const std::string& object_type,
                         const std::string& object_id, const std::string& outcome) const {
  audit::Event e;
  if (user) {
    e.actor_user_id = user->id;
    e.actor = user->username;
    e.org_id = user->org.id;
  } else {
    e.actor = "anonymous";
  }
  e.action = act;
  e.object_type = object_type;
  e.object_id = object_id;
  e.outcome = outcome;
  return e;
}

void Call::audit(const std::string& act, const std::string& object_type,
                 const std::string& object_id, const std::string& outcome) const {
  svc.audit.record(event(act, object_type, object_id, outcome));
}

void Call::audit(store::Connection& c, const std::string& act, const std::string& object_type,
                 const std::string& object_id, const std::string& outcome) const {
  svc.audit.append(c, event(act, object_type, object_id, outcome));
}

const std::vector<Route>& all_routes() {
  static const std::vector<Route> routes = [] {
    std::vector<Route> r = foundation_routes();
    for (auto& s : screen_routes()) r.push_back(std::move(s));
    return r;
  }();
  return routes;
}

// ---- Server -----------------------------------------------------------------------------

struct Server::Impl {
  Impl(store::Store& store, audit::AuditLog& audit, ServerOptions o)
      : services{store, audit, {}, o.secure_cookies}, options(std::move(o)) {
    for (const auto& r : all_routes()) {
      CompiledRoute c{&r, {}};
      for (auto s : segments(r.pattern)) c.parts.emplace_back(s);
      compiled.push_back(std::move(c));
    }
  }

  Services services;
  ServerOptions options;
  httplib::Server http;
  std::vector<CompiledRoute> compiled;
  std::string index_html;

  // Finds the route for method + path; sets `allowed` when the path exists for another method.
  const CompiledRoute* match(const std::string& method, std::string_view path,
                             std::map<std::string, std::string>& params, bool& path_exists) {
    auto segs = segments(path);
    for (const auto& c : compiled) {
      if (c.parts.size() != segs.size()) continue;
      std::map<std::string, std::string> p;
      bool ok = true;
      for (size_t i = 0; i < segs.size() && ok; ++i) {
        const auto& part = c.parts[i];
        if (part.size() > 2 && part.front() == '{' && part.back() == '}')
          p[part.substr(1, part.size() - 2)] = std::string(segs[i]);
        else
          ok = part == segs[i];
      }
      if (!ok) continue;
      path_exists = true;
      if (c.route->method == method) {
        params = std::move(p);
        return &c;
      }
    }
    return nullptr;
  }

  void handle_api(const httplib::Request& req, httplib::Response& res) {
    auto started = std::chrono::steady_clock::now();
    std::string route_name = "unmatched";
    std::optional<int64_t> user_id;
    try {
      std::map<std::string, std::string> params;
      bool path_exists = false;
      const CompiledRoute* c = match(req.method, req.path, params, path_exists);
      if (!c) {
        if (path_exists)
          throw Error(ErrorCode::not_found, "method " + req.method + " not allowed on " + req.path);
        throw Error(ErrorCode::not_found, "no API route " + req.method + " " + req.path);
      }
      const Route& route = *c->route;
      route_name = route.pattern;
      Call call(services);
      call.method = req.method;
      call.path = req.path;
      call.params = std::move(params);
      call.body_text = req.body;
      call.content_type = req.get_header_value("Content-Type");
      call.client_address = req.remote_addr;
      call.session_token = cookie_value(req, kSessionCookie);
      for (const auto& [k, v] : req.params) call.query.emplace(k, v);
      call.action = route.action;
      if (route.action != kPublic) authorise(call, req);
      if (call.user) user_id = call.user->id;
      Reply reply = route.handler(call);
      for (const auto& [k, v] : reply.headers) res.set_header(k, v);
      if (reply.no_content)
        res.status = reply.status;
      else
        write_json(res, reply.status, reply.body);
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
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    // No personal data in logs: the route pattern (not the path), status and the user's id.
    spdlog::info(
        R"({{"event":"request","method":"{}","route":"{}","status":{},"ms":{:.2f},"user_id":{}}})",
        req.method, route_name, res.status, ms, user_id ? std::to_string(*user_id) : "null");
  }

  void authorise(Call& call, const httplib::Request& req) {
    if (call.session_token.empty())
      throw Error(ErrorCode::unauthenticated, "log in first: no session cookie");
    std::optional<std::pair<auth::User, std::string>> found;
    services.store.read(
        [&](store::Connection& c) { found = auth::find_session(c, call.session_token); });
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
      auto header = req.get_header_value("X-CSRF-Token");
      if (header.empty() || !equal_constant_time(header, call.csrf_token)) {
        call.audit("access.csrf_rejected", "route", call.action, "denied");
        throw Error(ErrorCode::permission_denied,
                    "missing or wrong X-CSRF-Token header (use the csrf_token from login or "
                    "/api/v1/me)",
                    "X-CSRF-Token");
      }
    }
  }

  void setup() {
    http.new_task_queue = [n = options.threads] { return new httplib::ThreadPool(n); };
    http.set_payload_max_length(options.max_body_bytes);
    http.set_read_timeout(options.read_timeout_s, 0);
    http.set_write_timeout(options.write_timeout_s, 0);
    http.set_keep_alive_max_count(10000);
    // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to every response
    // after the first on a keep-alive connection.
    http.set_tcp_nodelay(true);
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                              {"X-Frame-Options", "DENY"},
                              {"Referrer-Policy", "no-referrer"},
                              {"Content-Security-Policy",
                               "default-src 'self'; img-src 'self' data:; style-src 'self' "
                               "'unsafe-inline'; script-src 'self'; frame-ancestors 'none'"}});
    auto api = [this](const httplib::Request& req, httplib::Response& res) {
      handle_api(req, res);
    };
    const std::string api_pattern = "/api/.*";
    http.Get(api_pattern, api);
    http.Post(api_pattern, api);
    http.Put(api_pattern, api);
    http.Patch(api_pattern, api);
    http.Delete(api_pattern, api);
    http.Options(api_pattern, api);

    if (!options.web_dir.empty() && std::filesystem::exists(options.web_dir / "index.html")) {
      http.set_mount_point("/", options.web_dir.string());
      std::ifstream in(options.web_dir / "index.html");
      std::stringstream ss;
      ss << in.rdbuf();
      index_html = ss.str();
      // The front end routes on the client: any other non-API path gets index.html.
      http.Get("/(?!api/).*", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(index_html, "text/html; charset=utf-8");
      });
    }
    // httplib answers oversized or malformed requests itself with an empty body; give the API
    // its JSON error shape there too.
    http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req,
                                                                   httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
      if (req.path.rfind("/api/", 0) != 0 && res.status == 404) {
        write_json(res, 404, error_body("not_found", "not found", ""));
        return httplib::Server::HandlerResponse::Handled;
      }
      std::string code = res.status == 413   ? "payload_too_large"
                         : res.status == 404 ? "not_found"
                         : res.status >= 500 ? "internal"
                                             : "invalid_argument";
      std::string message = res.status == 413
                                ? "request body over the 1 MiB limit"
                                : "request rejected (status " + std::to_string(res.status) + ")";
      write_json(res, res.status, error_body(code, message, ""));
      return httplib::Server::HandlerResponse::Handled;
    }));
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          write_json(res, 500, error_body("internal", "internal error", ""));
        });
  }
};

Server::Server(store::Store& store, audit::AuditLog& audit, ServerOptions options)
    : impl_(std::make_unique<Impl>(store, audit, std::move(options))) {
  impl_->setup();
}

Server::~Server() = default;

int Server::bind() {
  int port = impl_->options.port;
  if (port == 0)
    port = impl_->http.bind_to_any_port(impl_->options.bind);
  else if (!impl_->http.bind_to_port(impl_->options.bind, port))
    port = -1;
  if (port < 0)
    throw Error(ErrorCode::invalid_argument,
                "cannot listen on " + impl_->options.bind + ":" +
                    std::to_string(impl_->options.port) + " (address in use or not local?)",
                "port");
  impl_->options.port = port;
  return port;
}

void Server::listen() { impl_->http.listen_after_bind(); }

void Server::stop() { impl_->http.stop(); }

}  // namespace ctip::server
