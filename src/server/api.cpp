// Call: what a route handler sees (api.h). Separate from the dispatcher (server.cpp) so that the
// capabilities' routes depend on this small library only, not on the server.
#include "server/api.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/error.h"

namespace ctip::server {
namespace {

// Whether a Content-Type is application/json: the media type before any parameters, without
// surrounding spaces, compared case-insensitively (RFC 9110 §8.3.1). "application/jsonx" or
// "application/json-seq" is not.
bool is_json_media_type(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  return type.size() == kJson.size() &&
         std::equal(type.begin(), type.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

}  // namespace

const auth::User& Call::signed_in() const {
  if (!user) throw Error(ErrorCode::internal, "a public route asked for the signed-in user");
  return *user;
}

Json Call::json() const {
  // A body of another type is refused even when httplib consumed it (multipart form data).
  if (body_text.empty() && content_type.empty()) return Json::object();
  if (!is_json_media_type(content_type))
    throw Error(ErrorCode::unsupported_media, "request body must be application/json",
                "Content-Type");
  if (body_text.empty()) return Json::object();
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

auth::Actor Call::actor() const {
  auth::Actor a = user ? auth::Actor::user(*user, scope) : auth::Actor::operator_named("anonymous");
  a.client_address = client_address;  // every entry records where the request came from
  return a;
}

audit::Event Call::event(const std::string& act, const std::string& object_type,
                         const std::string& object_id, const std::string& outcome) const {
  return actor().event(act, object_type, object_id, outcome);
}

void Call::audit(const std::string& act, const std::string& object_type,
                 const std::string& object_id, const std::string& outcome) const {
  svc.audit.record(event(act, object_type, object_id, outcome));
}

void Call::audit(store::Connection& c, const std::string& act, const std::string& object_type,
                 const std::string& object_id, const std::string& outcome) const {
  svc.audit.append(c, event(act, object_type, object_id, outcome));
}

Json route_json(const Route& r) {
  return {
      {"method", r.method}, {"pattern", r.pattern}, {"action", r.action}, {"summary", r.summary}};
}

}  // namespace ctip::server
