#include "auth/permissions.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/embedded.h"
#include "core/error.h"
#include "core/json_input.h"

namespace ctip::auth {
namespace {
std::string key(std::string_view role, std::string_view action) {
  std::string k(role);
  k += '\n';
  k += action;
  return k;
}
}  // namespace

PermissionMatrix PermissionMatrix::parse(std::string_view json_text) {
  auto doc = parse_json(json_text, "permissions");
  JsonObject top(doc);
  top.only({"$comment", "version", "roles", "grantable_by", "actions"});
  PermissionMatrix m;
  m.version_ = static_cast<int>(top.integer("version"));
  for (const auto& [role, description] : top.object("roles").items()) {
    if (!description.is_string()) invalid("roles." + role, "role description must be a string");
    m.roles_.push_back(role);
  }
  if (top.has("grantable_by")) {
    for (const auto& [granted, granters] : top.object("grantable_by").items()) {
      std::string field = "grantable_by." + granted;
      if (!m.is_role(granted)) invalid(field, "unknown role '" + granted + "'");
      if (!granters.is_array()) invalid(field, "must be a list of roles");
      for (const auto& g : granters) {
        if (!g.is_string() || !m.is_role(g.get<std::string>()))
          invalid(field, "every entry must be a role of \"roles\"");
        m.may_grant_[key(g.get<std::string>(), granted)] = true;
      }
    }
  }
  for (const auto& [action, spec] : top.object("actions").items()) {
    JsonObject a(spec, "actions." + action + ".");
    a.only({"description", "grants"});
    (void)a.string("description");
    m.actions_.push_back(action);
    for (const auto& [role, scope] : a.object("grants").items()) {
      std::string field = "actions." + action + ".grants." + role;
      if (std::find(m.roles_.begin(), m.roles_.end(), role) == m.roles_.end())
        invalid(field, "unknown role '" + role + "'");
      if (scope == "organisation")
        m.grants_[key(role, action)] = Scope::organisation;
      else if (scope == "all")
        m.grants_[key(role, action)] = Scope::all;
      else
        invalid(field, "scope must be \"organisation\" or \"all\"");
    }
  }
  return m;
}

const PermissionMatrix& PermissionMatrix::builtin() {
  static const PermissionMatrix m = [] {
    for (const auto& f : embedded::permissions())
      if (f.path.ends_with("permissions.json")) return parse(f.contents);
    throw Error(ErrorCode::internal, "permission matrix missing from the binary");
  }();
  return m;
}

std::optional<Scope> PermissionMatrix::grant(std::string_view role, std::string_view action) const {
  auto it = grants_.find(key(role, action));
  if (it == grants_.end()) return std::nullopt;
  return it->second;
}

bool PermissionMatrix::is_role(std::string_view role) const {
  return std::find(roles_.begin(), roles_.end(), role) != roles_.end();
}

bool PermissionMatrix::is_action(std::string_view action) const {
  return std::find(actions_.begin(), actions_.end(), action) != actions_.end();
}

bool PermissionMatrix::may_grant(std::string_view granter, std::string_view granted) const {
  return may_grant_.contains(key(granter, granted));
}

std::vector<std::string> PermissionMatrix::grantable_by(std::string_view granter) const {
  std::vector<std::string> out;
  for (const auto& r : roles_)
    if (may_grant(granter, r)) out.push_back(r);
  return out;
}

bool PermissionMatrix::reaches_all(std::string_view role) const {
  return std::any_of(actions_.begin(), actions_.end(),
                     [&](const std::string& a) { return grant(role, a) == Scope::all; });
}

std::vector<std::string> PermissionMatrix::actions_for(std::string_view role) const {
  std::vector<std::string> out;
  for (const auto& a : actions_)
    if (allows(role, a)) out.push_back(a);
  return out;
}

}  // namespace ctip::auth
