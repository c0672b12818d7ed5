// What an API route sees and returns. Routes are plain functions from a Call to a Reply; the
// server (server.cpp) authenticates, checks the route's permission against the matrix,
// checks CSRF, parses the body and turns thrown ctip::Error into JSON errors.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "auth/permissions.h"
#include "core/json_input.h"
#include "store/store.h"

namespace ctip::server {

// Long-lived services shared by all requests.
struct Services {
  store::Store& store;
  audit::AuditLog& audit;
  auth::LoginThrottle throttle;
  bool secure_cookies = false;  // behind TLS
};

struct Call {
  explicit Call(Services& s) : svc(s) {}
  Services& svc;
  std::string method;
  std::string path;
  std::map<std::string, std::string> params;  // path parameters, e.g. {id}
  std::multimap<std::string, std::string> query;
  std::string body_text;
  std::string content_type;
  std::string client_address;
  std::string session_token;                      // from the cookie, possibly empty
  std::optional<auth::User> user;                 // set when the route needs a permission
  std::string csrf_token;                         // of the session
  auth::Scope scope = auth::Scope::organisation;  // what the matrix grants for this route
  std::string action;                             // the route's action

  // The body as JSON (415 unless application/json, 400 on malformed JSON).
  Json json() const;
  int64_t path_id(const std::string& name) const;  // 404 unless a positive integer
  std::optional<std::string> query_value(const std::string& name) const;
  // A bounded integer query parameter; 400 naming it when malformed or out of range.
  int64_t query_int(const std::string& name, int64_t fallback, int64_t lo, int64_t hi) const;
  // The organisation filter for this call: the user's own, or none when the scope is `all`.
  std::optional<int64_t> org_filter() const;
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
  static Reply created(Json body) { return Reply(201, std::move(body)); }
  static Reply empty() {
    Reply r(204, Json());
    r.no_content = true;
    return r;
  }
};

// `action` is a permission-matrix action, or kPublic for routes open to anyone.
inline constexpr const char* kPublic = "public";

struct Route {
  std::string method;   // GET, POST, PUT, PATCH, DELETE
  std::string pattern;  // "/api/v1/users/{id}/disable"
  std::string action;
  std::function<Reply(Call&)> handler;
  std::string summary;
};

// Every route of the API: foundation (routes_foundation.cpp) and each capability's.
const std::vector<Route>& all_routes();
std::vector<Route> foundation_routes();
std::vector<Route> screen_routes();

Json user_json(const auth::User& u);

}  // namespace ctip::server
