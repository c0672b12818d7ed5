// The permission matrix: role x action -> scope, loaded from data/permissions.json (compiled
// into the binary). The one place that says who may do what (issue #2); routes name an action
// and ask here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ctip::auth {

enum class Scope { organisation, all };

class PermissionMatrix {
 public:
  // The matrix shipped in data/permissions.json.
  static const PermissionMatrix& builtin();
  // Parses a matrix document; throws Error naming the bad field.
  static PermissionMatrix parse(std::string_view json_text);

  // The scope `role` has for `action`, or nullopt when denied (unknown roles and actions too).
  std::optional<Scope> grant(std::string_view role, std::string_view action) const;
  bool allows(std::string_view role, std::string_view action) const {
    return grant(role, action).has_value();
  }
  bool is_role(std::string_view role) const;
  bool is_action(std::string_view action) const;
  const std::vector<std::string>& roles() const { return roles_; }
  const std::vector<std::string>& actions() const { return actions_; }
  // Whether a user of role `granter` may give a new account role `granted` (the matrix's
  // `grantable_by`; issue #7). The operator at the command line is not a role and may give any.
  bool may_grant(std::string_view granter, std::string_view granted) const;
  // Roles a user of role `granter` may give, in the file's order.
  std::vector<std::string> grantable_by(std::string_view granter) const;
  // Whether any action grants `role` the scope `all` (every organisation's data).
  bool reaches_all(std::string_view role) const;
  // Actions `role` may take, in the file's order.
  std::vector<std::string> actions_for(std::string_view role) const;
  int version() const { return version_; }

 private:
  int version_ = 0;
  std::vector<std::string> roles_;
  std::vector<std::string> actions_;
  std::unordered_map<std::string, Scope> grants_;    // key: role + '\n' + action
  std::unordered_map<std::string, bool> may_grant_;  // key: granter + '\n' + granted
};

}  // namespace ctip::auth
