// Foundation routes (issue #2): health, session, me, users, audit.
#include <cmath>

#include "core/error.h"
#include "core/time.h"
#include "server/api.h"

namespace ctip::server {
namespace {

// Verifying against a fixed hash when the username is unknown keeps the time of a failed
// login the same whether or not the account exists (no username enumeration by timing).
const std::string& dummy_hash() {
  static const std::string h = auth::hash_password("ctip-timing-equaliser-not-a-password");
  return h;
}

std::string session_cookie(const std::string& value, bool secure, int64_t max_age_s) {
  std::string c = "ctip_session=" + value +
                  "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s);
  if (secure) c += "; Secure";
  return c;
}

Json me_json(const Call& call) {
  Json perms = Json::array();
  for (const auto& a : auth::PermissionMatrix::builtin().actions_for(call.user->role))
    perms.push_back(a);
  return {{"user", user_json(*call.user)}, {"permissions", perms}, {"csrf_token", call.csrf_token}};
}

Reply login(Call& call) {
  auto body = call.json();
  JsonObject in(body);
  in.only({"username", "password"});
  std::string username = in.string("username");
  std::string password = in.string("password");
  if (username.empty() || username.size() > 64)
    invalid("username", "username must be 1 to 64 characters");
  if (password.size() > 1024) invalid("password", "password must be at most 1024 characters");

  if (int64_t wait = call.svc.throttle.retry_after_ms(username, call.client_address)) {
    // One entry per source and window, with a count, not one signed entry per attempt.
    call.svc.audit.record_failure(
        call.client_address + " " + username,
        {std::nullopt, "anonymous", std::nullopt, "session.login", "user", "throttled", "denied"});
    int64_t secs = (wait + 999) / 1000;
    Reply r(429, Json{{"error",
                       {{"code", "too_many_requests"},
                        {"message", "too many failed logins: try again in " + std::to_string(secs) +
                                        " seconds"},
                        {"retry_after_seconds", secs}}}});
    r.headers.push_back({"Retry-After", std::to_string(secs)});
    return r;
  }

  std::optional<std::pair<auth::User, std::string>> cred;
  call.svc.store.read([&](store::Connection& c) { cred = auth::credentials(c, username); });
  bool ok = auth::verify_password(cred ? cred->second : dummy_hash(), password);
  if (!cred || !ok || cred->first.disabled) {
    call.svc.throttle.failed(username, call.client_address);
    audit::Event e{std::nullopt,    "anonymous", std::nullopt,
                   "session.login", "user",      cred ? std::to_string(cred->first.id) : "unknown",
                   "failure"};
    if (cred) {
      e.actor_user_id = cred->first.id;
      e.actor = cred->first.username;
      e.org_id = cred->first.org.id;
    }
    call.svc.audit.record_failure(call.client_address + " " + username, e);
    throw Error(ErrorCode::unauthenticated, "wrong username or password, or account disabled");
  }
  call.svc.throttle.succeeded(username);
  call.user = cred->first;
  auth::Session session;
  call.svc.store.write([&](store::Connection& c) {
    session = auth::create_session(c, call.user->id);
    call.audit(c, "session.login", "user", std::to_string(call.user->id));
  });
  call.csrf_token = session.csrf_token;
  Reply r(200, me_json(call));
  r.headers.push_back({"Set-Cookie", session_cookie(session.token, call.svc.secure_cookies,
                                                    auth::kSessionLifetimeMs / 1000)});
  return r;
}

Reply logout(Call& call) {
  call.svc.store.write([&](store::Connection& c) {
    auth::delete_session(c, call.session_token);
    call.audit(c, "session.logout", "user", std::to_string(call.user->id));
  });
  Reply r = Reply::empty();
  r.headers.push_back({"Set-Cookie", session_cookie("", call.svc.secure_cookies, 0)});
  return r;
}

Reply list_users(Call& call) {
  std::vector<auth::User> users;
  call.svc.store.read(
      [&](store::Connection& c) { users = auth::list_users(c, call.org_filter()); });
  // A read writes nothing but its audit entry: group-committed with the other requests' entries,
  // and durable before the answer leaves.
  call.audit("users.read", "organisation", std::to_string(call.user->org.id));
  Json out = Json::array();
  for (const auto& u : users) out.push_back(user_json(u));
  return {200, {{"users", out}}};
}

Reply create_user(Call& call) {
  auto body = call.json();
  JsonObject in(body);
  in.only({"username", "password", "role"});
  auth::NewUser nu{in.string("username"), in.string("password"), call.user->org.name,
                   call.user->org.kind, in.string("role")};
  auth::User created;
  call.svc.store.write([&](store::Connection& c) {
    created = auth::create_user(c, nu);
    // A new account is a permission change: audited in the same transaction.
    call.audit(c, "users.create", "user", std::to_string(created.id));
  });
  return Reply::created({{"user", user_json(created)}});
}

Reply disable_user(Call& call) {
  int64_t id = call.path_id("id");
  auth::User target;
  call.svc.store.write([&](store::Connection& c) {
    auto u = auth::find_user(c, id);
    auto org = call.org_filter();
    if (!u || (org && u->org.id != *org)) throw Error(ErrorCode::not_found, "no such user", "id");
    if (u->id == call.user->id) invalid("id", "an administrator cannot disable their own account");
    auth::set_disabled(c, id, true);
    call.audit(c, "users.disable", "user", std::to_string(id));
    target = *u;
    target.disabled = true;
  });
  return {200, {{"user", user_json(target)}}};
}

Json head_json(const audit::SignedTreeHead& h) {
  return {{"tree_size", h.tree_size},
          {"root_hash", h.root_hash},
          {"timestamp", h.timestamp},
          {"signature", h.signature},
          {"public_key", h.public_key}};
}

Reply audit_entries(Call& call) {
  int64_t limit = call.query_int("limit", 50, 1, 500);
  int64_t before = call.query_int("before", 0, 0, INT64_MAX);
  call.audit("audit.read", "audit_log", "entries");
  auto head = call.svc.audit.head();
  std::vector<audit::Entry> entries;
  if (before > 0) {
    int64_t after = std::max<int64_t>(0, before - 1 - limit);
    entries = call.svc.audit.entries(after, before - 1 - after);
    std::reverse(entries.begin(), entries.end());
  } else {
    entries = call.svc.audit.latest(limit);
  }
  Json out = Json::array();
  for (const auto& e : entries) {
    out.push_back({{"seq", e.seq},
                   {"time", e.time},
                   {"actor", e.event.actor},
                   {"organisation_id", e.event.org_id ? Json(*e.event.org_id) : Json()},
                   {"action", e.event.action},
                   {"object_type", e.event.object_type},
                   {"object_id", e.event.object_id},
                   {"outcome", e.event.outcome}});
  }
  return {200, {{"entries", out}, {"tree_size", head.tree_size}}};
}

Reply audit_verify(Call& call) {
  auto v = call.svc.audit.verify();
  call.audit("audit.verify", "audit_log", "verify", v.ok ? "success" : "failure");
  Json out = {{"ok", v.ok},
              {"entries", v.entries},
              {"first_bad_entry", v.first_bad_entry ? Json(*v.first_bad_entry) : Json()},
              {"message", v.message},
              {"note", v.note.empty() ? Json() : Json(v.note)},
              {"head", v.head ? head_json(*v.head) : Json()}};
  return {200, out};
}

Reply audit_head(Call& call) { return {200, head_json(call.svc.audit.head())}; }

Reply inclusion_proof(Call& call) {
  auto head = call.svc.audit.head();
  int64_t size = call.query_int("tree_size", head.tree_size, 1, head.tree_size);
  int64_t seq = call.query_int("seq", 0, 1, size);
  if (seq == 0) invalid("seq", "query parameter 'seq' is required");
  auto entries = call.svc.audit.entries(seq - 1, 1);
  Json path = call.svc.audit.inclusion_proof(seq, size);
  return {200,
          {{"seq", seq},
           {"tree_size", size},
           {"leaf_hash", entries.empty() ? "" : entries.front().leaf_hash},
           {"path", path}}};
}

Reply consistency_proof(Call& call) {
  auto head = call.svc.audit.head();
  int64_t second = call.query_int("second", head.tree_size, 1, head.tree_size);
  int64_t first = call.query_int("first", 0, 1, second);
  if (first == 0) invalid("first", "query parameter 'first' is required");
  Json path = call.svc.audit.consistency_proof(first, second);
  return {200, {{"first", first}, {"second", second}, {"path", path}}};
}

}  // namespace

Json user_json(const auth::User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"role", u.role},
          {"disabled", u.disabled},
          {"organisation", {{"id", u.org.id}, {"name", u.org.name}, {"kind", u.org.kind}}}};
}

std::vector<Route> foundation_routes() {
  return {
      {"GET", "/api/v1/health", kPublic,
       [](Call&) -> Reply {
         return {200, {{"status", "ok"}, {"version", "0.1.0"}}};
       },
       "Liveness"},
      {"POST", "/api/v1/session", kPublic, login, "Log in; sets the session cookie"},
      {"DELETE", "/api/v1/session", "session.logout", logout, "Log out"},
      {"GET", "/api/v1/me", "session.me",
       [](Call& call) -> Reply {
         return {200, me_json(call)};
       },
       "The current user, organisation, role and permissions"},
      {"GET", "/api/v1/users", "users.read", list_users, "Users of the organisation"},
      {"POST", "/api/v1/users", "users.manage", create_user, "Create a user"},
      {"POST", "/api/v1/users/{id}/disable", "users.manage", disable_user, "Disable a user"},
      {"GET", "/api/v1/audit/entries", "audit.read", audit_entries, "Latest audit entries"},
      {"GET", "/api/v1/audit/verify", "audit.verify", audit_verify, "Verify the audit log"},
      {"GET", "/api/v1/audit/head", "audit.verify", audit_head, "The signed tree head"},
      {"GET", "/api/v1/audit/proof/inclusion", "audit.verify", inclusion_proof,
       "RFC 9162 inclusion proof"},
      {"GET", "/api/v1/audit/proof/consistency", "audit.verify", consistency_proof,
       "RFC 9162 consistency proof"},
  };
}

}  // namespace ctip::server
