// Account use cases, each written once: the API's routes (routes.cpp), `ctip users` (cli.cpp)
// and demo seeding (src/cli/demo.cpp) call these. Each opens the write transaction, calls the
// repository (accounts.h) and appends its audit entry in the same transaction: a new account,
// a disabled or enabled one is a permission change, and a list of users is personal data.
// Logging in and out stay with the session routes (routes.cpp): only the API has sessions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "auth/actor.h"
#include "core/json_input.h"
#include "store/store.h"

namespace ctip::auth {

// A user as the API and `ctip users list --json` show it.
Json user_json(const User& u);

class AccountService {
 public:
  AccountService(store::Store& store, audit::AuditLog& audit) : store_(store), audit_(audit) {}

  // Creates a user, and the organisation when new (audited "users.create"). A user may give
  // only the roles the matrix's `grantable_by` names for their role (an organisation's admin
  // cannot mint an auditor or analyst, whose scope is every organisation): else
  // Error(permission_denied) naming "role". The operator at the CLI may give any role. The
  // password is hashed before the write transaction.
  User create_user(const Actor& actor, const NewUser& u);
  // The same inside the caller's transaction, with `u.password` already hashed by the caller
  // (hash_password, outside the transaction): for one-off seeding (ctip demo).
  User create_user(store::Connection& c, const Actor& actor, const NewUser& u,
                   const std::string& password_hash);

  // Sets a user's password under the password policy and ends their sessions (audited
  // "users.password"). Invalid naming "name" when there is no such user.
  User set_password(const Actor& actor, const std::string& username, const std::string& password);

  // A user changes their own password: the new one must follow the policy (invalid naming
  // "new_password"), the current one must verify (invalid naming "current_password"); then all
  // their sessions end (audited "users.password"). Hashing is outside the transaction.
  void change_own_password(const Actor& actor, const std::string& username,
                           const std::string& current, const std::string& next);

  // Error(permission_denied) naming "role" unless `actor` may give `role` (see create_user).
  static void check_may_grant(const Actor& actor, const std::string& role);

  // Users the actor may see: of the actor's organisation when its scope is `organisation`,
  // else of the organisation named `org_name` (Error invalid naming "org" when unknown), else
  // all. Audited "users.read" on the organisation (its id, or "all").
  std::vector<User> list_users(const Actor& actor,
                               const std::optional<std::string>& org_name = std::nullopt);

  // Disables a user (ending their sessions) or enables one (audited "users.disable" or
  // "users.enable"). A user cannot disable their own account (invalid naming "id"). Error
  // not_found naming "id" when there is no such user. Returns the user as changed.
  User set_disabled(const Actor& actor, int64_t user_id, bool disabled);
  // The same by username, for the CLI; an unknown name is invalid naming "name".
  User set_disabled(const Actor& actor, const std::string& username, bool disabled);

  // The organisation of a user, or nullopt (for the dispatcher's scope check).
  static std::optional<int64_t> owner_of(store::Connection& c, int64_t user_id);
  // Whether the store has any user (demo seeding runs once).
  bool has_users();

 private:
  User set_disabled_in(store::Connection& c, const Actor& actor, const User& u, bool disabled);

  store::Store& store_;
  audit::AuditLog& audit_;
};

}  // namespace ctip::auth
