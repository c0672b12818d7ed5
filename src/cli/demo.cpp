#include <cstdlib>
#include <iostream>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "cli/commands.h"
#include "cli/serve.h"
#include "core/error.h"

namespace ctip::cli {
namespace {

// Demo organisations and one user per role. The password is for demonstrations on a
// workstation only; CTIP_DEMO_PASSWORD overrides it.
struct DemoUser {
  const char* username;
  const char* role;
  const char* org;
  const char* kind;
};
constexpr DemoUser kDemoUsers[] = {
    {"admin", "admin", "National Anti-Trafficking Unit", "government_agency"},
    {"analyst", "analyst", "National Anti-Trafficking Unit", "government_agency"},
    {"auditor", "auditor", "National Anti-Trafficking Unit", "government_agency"},
    {"investigator", "investigator", "Federal Police THB Unit", "law_enforcement"},
    {"caseworker", "caseworker", "Safe Harbour Shelter", "service_provider"},
    {"screener", "screener", "Safe Harbour Shelter", "service_provider"},
    {"inspector", "inspector", "Labour Inspectorate", "labour_inspectorate"},
    {"platform_analyst", "platform_analyst", "Marketplace Trust & Safety", "online_platform"},
};

std::string demo_password() {
  const char* env = std::getenv("CTIP_DEMO_PASSWORD");
  return env && *env ? env : "ctip-demo-2026";
}

// Seeds once: a store that already has users is left as it is.
bool seed(store::Store& store, audit::AuditLog& log) {
  bool seeded = false;
  store.write([&](store::Connection& c) {
    if (c.query_one("SELECT count(*) FROM users")->integer(0) > 0) return;
    for (const auto& d : kDemoUsers) {
      auto u = auth::create_user(c, {d.username, demo_password(), d.org, d.kind, d.role});
      log.append(c, {std::nullopt, "demo", u.org.id, "users.create", "user",
                     std::to_string(u.id), "success"});
    }
    seeded = true;
  });
  return seeded;
}

}  // namespace

void add_demo_command(CLI::App& app) {
  static std::string data_dir;
  static ServeFlags flags;
  static bool no_serve = false;
  auto* demo = app.add_subcommand(
      "demo", "Create a store with demo organisations, users and data, then serve it");
  add_data_option(*demo, data_dir);
  add_serve_flags(*demo, flags);
  demo->add_flag("--no-serve", no_serve, "Only create the demo store");
  demo->footer("Example:\n  ctip demo --data ./ctip-data          (then open http://127.0.0.1:8080)");
  demo->callback([] {
    {
      auto store = store::Store::open_sqlite(data_dir);
      audit::AuditLog log(*store);
      bool seeded = seed(*store, log);
      std::cout << (seeded ? "demo data loaded into " : "demo store already present in ")
                << data_dir << "\n";
    }
    std::cout << "\nLog in at http://" << flags.bind << ":" << flags.port
              << "/ with one of these demo users (password: " << demo_password() << "):\n";
    for (const auto& d : kDemoUsers)
      std::cout << "  " << d.username << std::string(18 - std::string(d.username).size(), ' ')
                << d.org << "\n";
    std::cout << std::endl;
    if (!no_serve) run_server(data_dir, flags);
  });
}

}  // namespace ctip::cli
