// What an API route sees and returns. Routes are plain functions from a Call to a Reply, declared
// by each capability (src/<capability>/routes.cpp) and listed by the registry
// (src/app/capabilities.cpp). The dispatcher (server.cpp) matches the most specific route,
// authenticates, checks the route's permission against the matrix, checks CSRF, applies the
// organisation scope the route's Ownership declares, and turns thrown ctip::Error into JSON
// errors. Handlers call their capability's service with call.actor(); they hold no SQL.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>  // Json held by value
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "auth/actor.h"
#include "auth/permissions.h"
#include "core/json_input.h"
#include "store/store.h"

namespace ctip::jobs {
class JobService;
}

namespace ctip::server {

// Long-lived services shared by all requests.
struct Services {
  store::Store& store;
  audit::AuditLog& audit;
  auth::LoginThrottle throttle;
  bool secure_cookies = false;  // behind TLS
  // The job runner (src/jobs) of this server; null when it runs none (`ctip serve --no-jobs`).
  jobs::JobService* jobs = nullptr;
  auth::SessionPolicy sessions{};  // idle and absolute limits, sessions per user
};

// A request body read in pieces, for a route that streams it (Route::streams_body): calls
// `sink` with each piece as it arrives; returns false when the client went away or `sink`
// returned false. Reads at most the route's max_body_bytes (413 past that).
using BodySink = std::function<bool(const char* data, size_t size)>;
using BodyReader = std::function<bool(const BodySink& sink)>;

struct Call {
  explicit Call(Services& s) : svc(s) {}
  Services& svc;
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // path parameters, e.g. {id}
  std::multimap<std::string, std::string> query;
  std::string body_text;  // the whole body, for a route that does not stream it
  BodyReader read_body;   // for a route that streams its body; empty otherwise
  std::string content_type;
  std::string client_address;
  std::string session_token;       // from the cookie, possibly empty
  std::optional<auth::User> user;  // set when the route needs a permission
  // The signed-in user of a route that needs a permission; Error(internal) on a public route.
  const auth::User& signed_in() const;
  std::string csrf_token;                         // of the session
  auth::Scope scope = auth::Scope::organisation;  // what the matrix grants for this route
  std::string action;                             // the route's action
  // For a route on one object (Ownership::object): the object's id from the path, already
  // checked by the dispatcher to exist and to be visible to the user.
  int64_t object_id = 0;

  // The body as JSON (415 unless application/json, 400 on malformed JSON).
  Json json() const;
  int64_t path_id(const std::string& name) const;  // 404 unless a positive integer
  std::optional<std::string> query_value(const std::string& name) const;
  // A bounded integer query parameter; 400 naming it when malformed or out of range.
  int64_t query_int(const std::string& name, int64_t fallback, int64_t lo, int64_t hi) const;
  // The organisation filter for this call: the user's own, or none when the scope is `all`.
  std::optional<int64_t> org_filter() const;
  // Who the call's use case runs for (the signed-in user under this route's scope).
  auth::Actor actor() const;
  // Appends an audit event by the current user (own transaction).
  void audit(const std::string& action, const std::string& object_type,
             const std::string& object_id, const std::string& outcome = "success") const;
  // The same, inside the caller's write transaction.
  void audit(store::Connection& c, const std::string& action, const std::string& object_type,
             const std::string& object_id, const std::string& outcome = "success") const;
  audit::Event event(const std::string& action, const std::string& object_type,
                     const std::string& object_id, const std::string& outcome) const;
};

struct Reply {
  Reply(int s = 200, Json b = Json::object()) : status(s), body(std::move(b)) {}
  int status;
  Json body;
  bool no_content = false;
  std::vector<std::pair<std::string, std::string>> headers;
  // A body that is not JSON (a PDF): sent as it is with `content_type`, `body` ignored.
  std::optional<std::string> raw;
  std::string content_type;
  static Reply created(Json body) { return Reply(201, std::move(body)); }
  static Reply bytes(std::string content, std::string type) {
    Reply r(200, Json());
    r.raw = std::move(content);
    r.content_type = std::move(type);
    return r;
  }
  static Reply empty() {
    Reply r(204, Json());
    r.no_content = true;
    return r;
  }
};

// `action` is a permission-matrix action, or kPublic for routes open to anyone.
inline constexpr const char* kPublic = "public";

// What organisation a route's data belongs to. Every route declares it; the dispatcher applies
// the permission matrix's scope (`organisation` or `all`) from it, so that no handler has to
// remember to.
struct Ownership {
  enum class Kind {
    unset,         // not declared: the server refuses to start (Server's constructor)
    none,          // no organisation's data: reference data, one's own session, the audit log
    organisation,  // a list or aggregate of organisations' data: narrowed to the user's
                   // organisation unless the matrix grants `all` (Call::actor().visible_org)
    object,        // one object named by the path parameter `param`: the dispatcher resolves its
                   // organisation and answers 404 when it does not exist or when it belongs to
                   // another organisation and the scope is `organisation`
  };
  Kind kind = Kind::unset;
  std::string object_type;  // "screening", "user" (Kind::object)
  std::string param = "id";
  // The organisation owning object `id`, or nullopt when there is no such object; runs in a read
  // transaction, through the capability's repository.
  std::function<std::optional<int64_t>(store::Connection&, int64_t id)> resolve;

  static Ownership none() { return {Kind::none, {}, {}, {}}; }
  static Ownership organisation() { return {Kind::organisation, {}, {}, {}}; }
  static Ownership object(std::string type,
                          std::function<std::optional<int64_t>(store::Connection&, int64_t)> fn,
                          std::string param = "id") {
    return {Kind::object, std::move(type), std::move(param), std::move(fn)};
  }
};

struct Route {
  std::string method;   // GET, POST, PUT, PATCH, DELETE
  std::string pattern;  // "/api/v1/users/{id}/disable"
  std::string action;
  std::function<Reply(Call&)> handler;
  std::string summary;
  Ownership owner;
  // The largest request body the route takes; 0: the server's default (1 MiB). The dispatcher
  // refuses a bigger Content-Length with 413 before reading a byte, and stops reading a chunked
  // body at the limit.
  uint64_t max_body_bytes = 0;
  // True when the handler reads the body itself, in pieces, through Call::read_body (uploads of
  // any size to a job, in constant memory); false: the dispatcher reads it into body_text after
  // the permission check.
  bool streams_body = false;
};

// Every route of the API: the platform's (health, meta; server/routes_platform.cpp) and each
// registered capability's (src/app/capabilities.cpp).
const std::vector<Route>& all_routes();
std::vector<Route> platform_routes();

// Route matching (server.cpp): the most specific route for method + path among `routes` -
// literal segments beat {parameters}, whatever the order of declaration - with its path
// parameters; when no route has the method, `allowed` lists the methods the path has (405 and
// its Allow header), and is empty when the path has no route at all (404).
struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed;  // sorted
};
RouteMatch match_route(const std::vector<Route>& routes, std::string_view method,
                       std::string_view path);

// How a route is written in `ctip api routes` and the CTIP_API_RECORD lines.
Json route_json(const Route& r);

}  // namespace ctip::server
