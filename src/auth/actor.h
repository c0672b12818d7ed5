// Who a use case runs for: a signed-in user (API), or an operator at the command line (CLI).
// Services take an Actor, so that the HTTP route and the CLI command are two doors into the same
// use case and audit it the same way (docs/architecture.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "auth/permissions.h"

namespace ctip::auth {

struct Actor {
  std::optional<int64_t> user_id;  // absent for an operator at the command line
  std::string name;                // username, or "cli" / "demo" for an operator
  std::optional<int64_t> org_id;   // the actor's organisation, when a user
  // The organisation whose data the actor may see; nullopt when the matrix grants `all` (or
  // for an operator, who holds the data directory anyway).
  std::optional<int64_t> visible_org;
  // The user's role (what the matrix's `grantable_by` checks); absent for an operator.
  std::optional<std::string> role;
  // Where the actor acts from, recorded in every audit entry: the client's IP address for the
  // API (Call::actor), "cli" for an operator at the command line.
  std::string client_address = "cli";

  // A signed-in user acting under the scope the permission matrix grants for the action (the
  // API sets client_address to the request's; seeding from the command line keeps "cli").
  static Actor user(const User& u, Scope scope) {
    return {u.id,     u.username,
            u.org.id, scope == Scope::all ? std::nullopt : std::optional(u.org.id),
            u.role,   "cli"};
  }
  // An operator with the data directory (CLI); sees every organisation.
  static Actor operator_named(std::string name) {
    return {std::nullopt, std::move(name), {}, {}, {}, "cli"};
  }
  bool is_operator() const { return !user_id.has_value(); }

  // The audit event for this actor (never the personal data itself: an object type and id).
  audit::Event event(std::string action, std::string object_type, std::string object_id,
                     std::string outcome = "success") const {
    audit::Event e{user_id,
                   name,
                   org_id,
                   std::move(action),
                   std::move(object_type),
                   std::move(object_id),
                   std::move(outcome)};
    e.client_address = client_address;
    return e;
  }
};

}  // namespace ctip::auth
