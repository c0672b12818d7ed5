#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "auth/account_service.h"
#include "auth/capability.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"

namespace ctip::auth {
namespace {

// The operator at the command line holds the data directory: the audit log names them "cli".
const Actor kOperator = Actor::operator_named("cli");

}  // namespace

void add_commands(CLI::App& app) {
  auto* users = app.add_subcommand("users", "Manage user accounts, organisations and roles");
  users->require_subcommand(1);
  static std::string data_dir, name, org, org_kind, role;
  static bool password_stdin = false, as_json = false;

  auto* add = users->add_subcommand("add", "Create a user (and the organisation when new)");
  cli::add_data_option(*add, data_dir);
  add->add_option("--name", name, "Username: 3-64 of a-z 0-9 . _ -")->required();
  add->add_option("--org", org, "Organisation name; created when new")->required();
  add->add_option("--org-kind", org_kind, "Organisation kind: " + core::joined(kOrgKinds))
      ->default_val("government_agency");
  add->add_option("--role", role, "Role: " + core::joined(PermissionMatrix::builtin().roles()))
      ->required();
  add->add_flag("--password-stdin", password_stdin,
                "Read the password (at least 12 characters, not a common one, not containing the "
                "username) from the first line of stdin")
      ->required();
  add->footer(
      "Example:\n  printf '%s\\n' \"$PW\" | ctip users add --data ./ctip-data --name amina.k \\\n"
      "      --org 'Safe Harbour' --org-kind service_provider --role caseworker --password-stdin");
  add->callback([] {
    NewUser nu{name, cli::read_password_stdin(), org, org_kind, role};
    validate_new_user(nu);  // before opening (and perhaps creating) the store
    auto store = cli::open_store(data_dir);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLog log(*store, trust);
    User u = AccountService(*store, log).create_user(kOperator, nu);
    std::cout << "created user " << u.username << " (id " << u.id << ", role " << u.role << ") in "
              << u.org.name << " (" << u.org.kind << ")\n";
  });

  auto* list = users->add_subcommand("list", "List users, optionally of one organisation");
  cli::add_data_option(*list, data_dir);
  list->add_option("--org", org, "Only this organisation");
  list->add_flag("--json", as_json, "Print JSON");
  list->footer("Example:\n  ctip users list --data ./ctip-data --org 'Safe Harbour'");
  list->callback([] {
    auto store = cli::open_existing_store(data_dir);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLog log(*store, trust);
    auto users = AccountService(*store, log)
                     .list_users(kOperator, org.empty() ? std::nullopt : std::optional(org));
    if (as_json) {
      Json out = Json::array();
      for (const auto& u : users) out.push_back(user_json(u));
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

  auto* passwd = users->add_subcommand(
      "set-password", "Set a user's password (the password policy applies) and end their sessions");
  cli::add_data_option(*passwd, data_dir);
  passwd->add_option("--name", name, "Username")->required();
  passwd
      ->add_flag("--password-stdin", password_stdin,
                 "Read the password from the first line of stdin")
      ->required();
  passwd->footer(
      "Example:\n  printf '%s\\n' \"$PW\" | ctip users set-password --data ./ctip-data --name "
      "amina.k "
      "--password-stdin");
  passwd->callback([] {
    std::string password = cli::read_password_stdin();
    auto store = cli::open_existing_store(data_dir);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLog log(*store, trust);
    AccountService(*store, log).set_password(kOperator, name, password);
    std::cout << "set the password of " << name << " and ended their sessions\n";
  });

  auto set_disabled = [](bool disabled) {
    auto store = cli::open_existing_store(data_dir);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLog log(*store, trust);
    AccountService(*store, log).set_disabled(kOperator, name, disabled);
    std::cout << (disabled ? "disabled " : "enabled ") << name << "\n";
  };
  auto* disable = users->add_subcommand("disable", "Disable a user and end their sessions");
  cli::add_data_option(*disable, data_dir);
  disable->add_option("--name", name, "Username")->required();
  disable->footer("Example:\n  ctip users disable --data ./ctip-data --name amina.k");
  disable->callback([set_disabled] { set_disabled(true); });

  auto* enable = users->add_subcommand("enable", "Enable a disabled user");
  cli::add_data_option(*enable, data_dir);
  enable->add_option("--name", name, "Username")->required();
  enable->footer("Example:\n  ctip users enable --data ./ctip-data --name amina.k");
  enable->callback([set_disabled] { set_disabled(false); });
}

}  // namespace ctip::auth
