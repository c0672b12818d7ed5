#include <iomanip>
#include <iostream>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/json_input.h"

namespace ctip::cli {
namespace {

audit::Event cli_event(const std::string& action, int64_t user_id) {
  return {std::nullopt, "cli", std::nullopt, action, "user", std::to_string(user_id), "success"};
}

std::string read_password_stdin() {
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.empty())
    throw Error(ErrorCode::invalid_argument, "no password on standard input", "password");
  return password;
}

}  // namespace

void add_users_commands(CLI::App& app) {
  auto* users = app.add_subcommand("users", "Manage user accounts, organisations and roles");
  users->require_subcommand(1);
  static std::string data_dir, name, org, org_kind, role;
  static bool password_stdin = false, as_json = false;

  auto* add = users->add_subcommand("add", "Create a user (and the organisation when new)");
  add_data_option(*add, data_dir);
  add->add_option("--name", name, "Username: 3-64 of a-z 0-9 . _ -")->required();
  add->add_option("--org", org, "Organisation name; created when new")->required();
  add->add_option("--org-kind", org_kind,
                  "government_agency (default), law_enforcement, labour_inspectorate, "
                  "service_provider or online_platform")
      ->default_val("government_agency");
  add->add_option("--role", role,
                  "admin, investigator, caseworker, screener, analyst, platform_analyst, "
                  "inspector or auditor")
      ->required();
  add->add_flag("--password-stdin", password_stdin,
                "Read the password (at least 10 characters) from the first line of stdin")
      ->required();
  add->footer(
      "Example:\n  printf '%s\\n' \"$PW\" | ctip users add --data ./ctip-data --name amina.k \\\n"
      "      --org 'Safe Harbour' --org-kind service_provider --role caseworker --password-stdin");
  add->callback([] {
    auth::NewUser nu{name, read_password_stdin(), org, org_kind, role};
    auth::validate_new_user(nu);
    auto store = store::Store::open_sqlite(data_dir);
    audit::DirectoryTrustStore trust(data_dir);
    audit::AuditLog log(*store, trust);
    auth::User u;
    store->write([&](store::Connection& c) {
      u = auth::create_user(c, nu);
      log.append(c, cli_event("users.create", u.id));
    });
    std::cout << "created user " << u.username << " (id " << u.id << ", role " << u.role << ") in "
              << u.org.name << " (" << u.org.kind << ")\n";
  });

  auto* list = users->add_subcommand("list", "List users, optionally of one organisation");
  add_data_option(*list, data_dir);
  list->add_option("--org", org, "Only this organisation");
  list->add_flag("--json", as_json, "Print JSON");
  list->footer("Example:\n  ctip users list --data ./ctip-data --org 'Safe Harbour'");
  list->callback([] {
    auto store = open_existing_store(data_dir);
    audit::DirectoryTrustStore trust(data_dir);
    audit::AuditLog log(*store, trust);
    std::vector<auth::User> users;
    store->write([&](store::Connection& c) {
      std::optional<int64_t> org_id;
      if (!org.empty()) {
        auto r = c.query_one("SELECT id FROM organisations WHERE name = ?", {org});
        if (!r)
          throw Error(ErrorCode::invalid_argument, "no organisation named '" + org + "'", "org");
        org_id = r->integer(0);
      }
      users = auth::list_users(c, org_id);
      log.append(c, {std::nullopt, "cli", org_id, "users.read", "organisation",
                     org_id ? std::to_string(*org_id) : "all", "success"});
    });
    if (as_json) {
      Json out = Json::array();
      for (const auto& u : users)
        out.push_back(
            {{"id", u.id},
             {"username", u.username},
             {"role", u.role},
             {"disabled", u.disabled},
             {"organisation", {{"id", u.org.id}, {"name", u.org.name}, {"kind", u.org.kind}}}});
      std::cout << out.dump(2) << "\n";
      return;
    }
    std::cout << std::left << std::setw(6) << "ID" << std::setw(22) << "USERNAME" << std::setw(18)
              << "ROLE" << std::setw(10) << "STATUS"
              << "ORGANISATION (KIND)\n";
    for (const auto& u : users)
      std::cout << std::setw(6) << u.id << std::setw(22) << u.username << std::setw(18) << u.role
                << std::setw(10) << (u.disabled ? "disabled" : "active") << u.org.name << " ("
                << u.org.kind << ")\n";
  });

  auto set_disabled = [](bool disabled) {
    auto store = open_existing_store(data_dir);
    audit::DirectoryTrustStore trust(data_dir);
    audit::AuditLog log(*store, trust);
    store->write([&](store::Connection& c) {
      auto u = auth::find_user_by_name(c, name);
      if (!u) throw Error(ErrorCode::invalid_argument, "no user named '" + name + "'", "name");
      auth::set_disabled(c, u->id, disabled);
      log.append(c, cli_event(disabled ? "users.disable" : "users.enable", u->id));
    });
    std::cout << (disabled ? "disabled " : "enabled ") << name << "\n";
  };
  auto* disable = users->add_subcommand("disable", "Disable a user and end their sessions");
  add_data_option(*disable, data_dir);
  disable->add_option("--name", name, "Username")->required();
  disable->footer("Example:\n  ctip users disable --data ./ctip-data --name amina.k");
  disable->callback([set_disabled] { set_disabled(true); });

  auto* enable = users->add_subcommand("enable", "Enable a disabled user");
  add_data_option(*enable, data_dir);
  enable->add_option("--name", name, "Username")->required();
  enable->footer("Example:\n  ctip users enable --data ./ctip-data --name amina.k");
  enable->callback([set_disabled] { set_disabled(false); });
}

}  // namespace ctip::cli
