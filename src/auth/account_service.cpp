#include "auth/account_service.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ctip::auth {

Json user_json(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"role", u.role},
          {"disabled", u.disabled},
          {"organisation", {{"id", u.org.id}, {"name", u.org.name}, {"kind", u.org.kind}}}};
}

void AccountService::check_may_grant(const Actor& actor, const std::string& role) {
  if (actor.is_operator()) return;  // holds the server's data directory anyway
  const auto& m = PermissionMatrix::builtin();
  const std::string granter = actor.role.value_or("");
  if (m.may_grant(granter, role)) return;
  std::string may;
  for (const auto& r : m.grantable_by(granter)) may += (may.empty() ? "" : ", ") + r;
  throw Error(ErrorCode::permission_denied,
              "role '" + granter + "' may not give role '" + role + "'" +
                  (may.empty() ? std::string() : " (it may give: " + may + ")") +
                  (m.reaches_all(role) ? "; '" + role +
                                             "' reaches every organisation's data and is given "
                                             "by the operator (ctip users add)"
                                       : std::string()),
              "role");
}

User AccountService::create_user(const Actor& actor, const NewUser& u) {
  validate_new_user(u);  // before the transaction: bad input takes no write lock
  check_may_grant(actor, u.role);
  // Argon2 outside the transaction: a hash takes ~100 ms and 64 MiB (accounts.h).
  const std::string hash = hash_password(u.password);
  User created;
  store_.write([&](store::Connection& c) {
    created = auth::create_user(c, u, hash);
    audit_.append(c, actor.event("users.create", "user", std::to_string(created.id)));
  });
  return created;
}

User AccountService::create_user(store::Connection& c, const Actor& actor, const NewUser& u,
                                 const std::string& password_hash) {
  check_may_grant(actor, u.role);
  User created = auth::create_user(c, u, password_hash);
  audit_.append(c, actor.event("users.create", "user", std::to_string(created.id)));
  return created;
}

User AccountService::set_password(const Actor& actor, const std::string& username,
                                  const std::string& password) {
  check_password_policy(password, username);
  const std::string hash = hash_password(password);
  User out;
  store_.write([&](store::Connection& c) {
    auto u = find_user_by_name(c, username);
    if (!u) invalid("name", "no user named '" + username + "'");
    set_password_hash(c, u->id, hash);
    audit_.append(c, actor.event("users.password", "user", std::to_string(u->id)));
    out = *u;
  });
  return out;
}

std::vector<User> AccountService::list_users(const Actor& actor,
                                             const std::optional<std::string>& org_name) {
  std::vector<User> users;
  std::optional<int64_t> org_id = actor.visible_org;
  store_.read([&](store::Connection& c) {
    if (!org_id && org_name) {
      auto org = find_organisation(c, *org_name);
      if (!org) invalid("org", "no organisation named '" + *org_name + "'");
      org_id = org->id;
    }
    users = auth::list_users(c, org_id);
  });
  // A read writes nothing but its audit entry: group-committed with other requests' entries
  // (AuditLog::record), and durable before the caller answers.
  // Which accounts were returned, not just whose (issue #7 item 5).
  audit::Event e =
      actor.event("users.read", "organisation", org_id ? std::to_string(*org_id) : "all");
  std::vector<int64_t> ids;
  ids.reserve(users.size());
  for (const auto& u : users) ids.push_back(u.id);
  e.details = audit::list_details("user", ids);
  audit_.record(e);
  return users;
}

User AccountService::set_disabled_in(store::Connection& c, const Actor& actor, const User& u,
                                     bool disabled) {
  if (disabled && actor.user_id && *actor.user_id == u.id)
    invalid("id", "an administrator cannot disable their own account");
  auth::set_disabled(c, u.id, disabled);
  audit_.append(
      c, actor.event(disabled ? "users.disable" : "users.enable", "user", std::to_string(u.id)));
  User out = u;
  out.disabled = disabled;
  return out;
}

User AccountService::set_disabled(const Actor& actor, int64_t user_id, bool disabled) {
  User out;
  store_.write([&](store::Connection& c) {
    auto u = find_user(c, user_id);
    if (!u) throw Error(ErrorCode::not_found, "no such user", "id");
    out = set_disabled_in(c, actor, *u, disabled);
  });
  return out;
}

User AccountService::set_disabled(const Actor& actor, const std::string& username, bool disabled) {
  User out;
  store_.write([&](store::Connection& c) {
    auto u = find_user_by_name(c, username);
    if (!u) invalid("name", "no user named '" + username + "'");
    out = set_disabled_in(c, actor, *u, disabled);
  });
  return out;
}

void AccountService::change_own_password(const Actor& actor, const std::string& username,
                                         const std::string& current, const std::string& next) {
  try {
    check_password_policy(next, username);
  } catch (const Error& e) {
    invalid("new_password", e.what());
  }
  std::optional<std::pair<User, std::string>> cred;
  store_.read([&](store::Connection& c) { cred = credentials(c, username); });
  if (!cred || !verify_password(cred->second, current))
    invalid("current_password", "the current password is wrong");
  const std::string hash = hash_password(next);
  store_.write([&](store::Connection& c) {
    set_password_hash(c, cred->first.id, hash);
    audit_.append(c, actor.event("users.password", "user", std::to_string(cred->first.id)));
  });
}

std::optional<int64_t> AccountService::owner_of(store::Connection& c, int64_t user_id) {
  auto u = find_user(c, user_id);
  if (!u) return std::nullopt;
  return u->org.id;
}

bool AccountService::has_users() {
  bool any = false;
  store_.read([&](store::Connection& c) { any = count_users(c) > 0; });
  return any;
}

}  // namespace ctip::auth
