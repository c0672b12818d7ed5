// Account routes (issue #2): log in and out, the current user, and the users of an
// organisation (AccountService).
#include <nlohmann/json.hpp>

#include "auth/account_service.h"
#include "auth/capability.h"
#include "core/error.h"
#include "core/time.h"

namespace ctip::auth {
namespace {

using server::Call;
using server::Ownership;
using server::Reply;
using server::Route;

AccountService service(Call& call) { return {call.svc.store, call.svc.audit}; }

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

// 429 for an attempt the throttle holds back; audited as one entry per source and window, with
// a count, not one signed entry per attempt.
Reply throttled(Call& call, const std::string& username, const std::string& action, int64_t wait) {
  audit::Event e{std::nullopt, "anonymous", std::nullopt, action, "user", "throttled", "denied"};
  e.client_address = call.client_address;  // issue #7 item 5: every entry says from where
  call.svc.audit.record_failure(call.client_address + " " + username, e);
  int64_t secs = (wait + 999) / 1000;
  Reply r(429, Json{{"error",
                     {{"code", "too_many_requests"},
                      {"message", "too many failed attempts: try again in " + std::to_string(secs) +
                                      " seconds"},
                      {"retry_after_seconds", secs}}}});
  r.headers.push_back({"Retry-After", std::to_string(secs)});
  return r;
}

Json me_json(const Call& call) {
  Json perms = Json::array();
  for (const auto& a : auth::PermissionMatrix::builtin().actions_for(call.signed_in().role))
    perms.push_back(a);
  return {{"user", user_json(call.signed_in())},
          {"permissions", perms},
          {"csrf_token", call.csrf_token}};
}

Reply login(Call& call) {
  auto body = call.json();
  JsonObject in(body);
  in.only({"username", "password"});
  std::string username = in.string("username");
  std::string password = in.string("password");
  if (username.empty() || username.size() > 64)
    invalid("username", "username must be 1 to 64 characters");
  if (password.size() > auth::kMaxPasswordBytes)
    invalid("password", "password must be at most 1024 bytes");

  if (int64_t wait = call.svc.throttle.retry_after_ms(username, call.client_address))
    return throttled(call, username, "session.login", wait);

  std::optional<std::pair<auth::User, std::string>> cred;
  call.svc.store.read([&](store::Connection& c) { cred = auth::credentials(c, username); });
  // Outside any transaction, and at most one hash per core at a time (accounts.h).
  bool ok = auth::verify_password(cred ? cred->second : dummy_hash(), password);
  if (!cred || !ok || cred->first.disabled) {
    call.svc.throttle.failed(username, call.client_address);
    audit::Event e{std::nullopt,    "anonymous", std::nullopt,
                   "session.login", "user",      cred ? std::to_string(cred->first.id) : "unknown",
                   "failure"};
    e.client_address = call.client_address;
    if (cred) {
      e.actor_user_id = cred->first.id;
      e.actor = cred->first.username;
      e.org_id = cred->first.org.id;
    }
    call.svc.audit.record_failure(call.client_address + " " + username, e);
    throw Error(ErrorCode::unauthenticated, "wrong username or password, or account disabled");
  }
  call.svc.throttle.succeeded(username, call.client_address);
  call.user = cred->first;
  auth::Session session;
  call.svc.store.write([&](store::Connection& c) {
    session = auth::create_session(c, call.user->id, system_clock(), call.svc.sessions);
    call.audit(c, "session.login", "user", std::to_string(call.user->id));
  });
  call.csrf_token = session.csrf_token;
  Reply r(200, me_json(call));
  r.headers.push_back({"Set-Cookie", session_cookie(session.token, call.svc.secure_cookies,
                                                    call.svc.sessions.lifetime_ms / 1000)});
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

// Changing one's own password: the current password is checked like a login (throttled per
// username and address), and every session of the user ends, this one too.
Reply change_password(Call& call) {
  auto body = call.json();
  JsonObject in(body);
  in.only({"current_password", "new_password"});
  std::string current = in.string("current_password");
  std::string next = in.string("new_password");
  if (current.size() > auth::kMaxPasswordBytes)
    invalid("current_password", "password must be at most 1024 bytes");
  const auth::User& me = call.signed_in();
  if (int64_t wait = call.svc.throttle.retry_after_ms(me.username, call.client_address))
    return throttled(call, me.username, "users.password", wait);
  try {
    service(call).change_own_password(call.actor(), me.username, current, next);
  } catch (const Error& e) {
    if (e.field() == "current_password") {
      call.svc.throttle.failed(me.username, call.client_address);
      call.svc.audit.record_failure(
          call.client_address + " " + me.username,
          call.event("users.password", "user", std::to_string(me.id), "failure"));
    }
    throw;
  }
  Reply r = Reply::empty();
  r.headers.push_back({"Set-Cookie", session_cookie("", call.svc.secure_cookies, 0)});
  return r;
}

Reply get_users(Call& call) {
  Json out = Json::array();
  for (const auto& u : service(call).list_users(call.actor())) out.push_back(user_json(u));
  return {200, {{"users", out}}};
}

Reply post_user(Call& call) {
  auto body = call.json();
  JsonObject in(body);
  in.only({"username", "password", "role"});
  // An administrator creates users in their own organisation.
  NewUser nu{in.string("username"), in.string("password"), call.signed_in().org.name,
             call.signed_in().org.kind, in.string("role")};
  return Reply::created({{"user", user_json(service(call).create_user(call.actor(), nu))}});
}

Reply post_disable(Call& call) {
  return {200,
          {{"user", user_json(service(call).set_disabled(call.actor(), call.object_id, true))}}};
}

}  // namespace

std::vector<Route> routes() {
  return {
      {"POST", "/api/v1/session", server::kPublic, login, "Log in; sets the session cookie",
       Ownership::none()},
      {"DELETE", "/api/v1/session", "session.logout", logout, "Log out", Ownership::none()},
      {"GET", "/api/v1/me", "session.me",
       [](Call& call) -> Reply {
         return {200, me_json(call)};
       },
       "The current user, organisation, role and permissions", Ownership::none()},
      {"POST", "/api/v1/me/password", "session.password", change_password,
       "Change one's own password; ends all of one's sessions", Ownership::none()},
      {"GET", "/api/v1/users", "users.read", get_users, "Users of the organisation",
       Ownership::organisation()},
      {"POST", "/api/v1/users", "users.manage", post_user, "Create a user",
       Ownership::organisation()},
      {"POST", "/api/v1/users/{id}/disable", "users.manage", post_disable, "Disable a user",
       Ownership::object("user", AccountService::owner_of)},
  };
}

void add_meta(Json& meta) {
  Json roles = Json::array();
  for (const auto& r : PermissionMatrix::builtin().roles()) roles.push_back(r);
  meta["roles"] = roles;
  Json kinds = Json::array();
  for (std::string_view k : kOrgKinds) kinds.push_back(std::string(k));
  meta["organisation_kinds"] = kinds;
}

}  // namespace ctip::auth
