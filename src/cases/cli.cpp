// ctip cases list|show|alerts|export: the operator's door to the same use cases as the API
// (cases_service.h), over the store in --data. The operator sees every case; every read and
// the export are audited as "cli".
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/trust_store.h"
#include "auth/actor.h"
#include "cases/capability.h"
#include "cases/cases_service.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/time.h"

namespace ctip::cases {
namespace {

// The store, its audit log and the service, for one command.
struct CasesSession {
  std::unique_ptr<store::Store> store;
  audit::DirectoryTrustStore trust;
  audit::AuditLog log;
  CasesService svc;
  explicit CasesSession(const std::string& data_dir)
      : store(cli::open_existing_store(data_dir)),
        trust(cli::audit_files_dir(data_dir), cli::audit_key_file()),
        log(*store, trust),
        svc(*store, log) {}
};

const auth::Actor kOperator = auth::Actor::operator_named("cli");

std::string text_or(const Json& j, const char* fallback = "-") {
  return j.is_null() ? fallback : j.is_string() ? j.get<std::string>() : j.dump();
}

struct CasesArgs {
  std::string data_dir;
  bool as_json = false;
  int64_t id = 0;
  int64_t limit = 100;
  std::string status;
  std::string out;
};

}  // namespace

void add_commands(CLI::App& app) {
  auto* cases = app.add_subcommand(
      "cases", "Case management: victims' cases, documentation, justice and follow-up");
  cases->require_subcommand(1);
  static CasesArgs a;

  auto* list = cases->add_subcommand("list", "List the cases, newest first (audited)");
  cli::add_data_option(*list, a.data_dir);
  list->add_flag("--json", a.as_json, "Print JSON");
  list->add_option("--limit", a.limit, "At most this many (1-1000)")->check(CLI::Range(1, 1000));
  list->add_option("--status", a.status, "Only this victim status");
  list->callback([] {
    repository::ListFilter f;
    f.limit = a.limit;
    if (!a.status.empty()) {
      check_one_of(a.status, kVictimStatuses, "status");
      f.victim_status = a.status;
    }
    CasesSession s(a.data_dir);
    Json out = s.svc.list(kOperator, f);
    if (a.as_json) {
      std::cout << out.dump(2) << "\n";
      return;
    }
    std::cout << out.size() << " cases\n";
    for (const auto& k : out)
      std::cout << "  " << k["id"] << "  " << k["organisation"].get<std::string>() << "  "
                << k["person_reference"].get<std::string>() << "  "
                << k["victim_status"].get<std::string>() << "  opened "
                << k["opened_at"].get<std::string>().substr(0, 10)
                << (k["closed_at"].is_null() ? "" : "  closed") << "\n";
  });

  auto* show = cases->add_subcommand("show", "One case with its timeline (audited)");
  cli::add_data_option(*show, a.data_dir);
  show->add_option("ID", a.id, "The case id")->required();
  show->add_flag("--json", a.as_json, "Print JSON");
  show->callback([] {
    CasesSession s(a.data_dir);
    Json k = s.svc.get(kOperator, a.id);
    if (a.as_json) {
      std::cout << k.dump(2) << "\n";
      return;
    }
    std::cout << "case " << k["id"] << " (" << k["organisation"].get<std::string>() << ", person "
              << k["person_reference"].get<std::string>()
              << "): " << k["victim_status"].get<std::string>()
              << (k["closed_at"].is_null() ? "" : ", closed") << "\n";
    const Json& p = k["person"];
    std::cout << "  sex " << text_or(p["sex"]) << ", age " << text_or(p["age"]) << ", nationality "
              << text_or(p["nationality"]) << ", documentation "
              << text_or(p["documentation_status"]) << "\n";
    for (const auto& e : k["timeline"])
      std::cout << "  " << e["at"].get<std::string>().substr(0, 10) << "  "
                << e["kind"].get<std::string>() << "  " << e["summary"].get<std::string>() << "\n";
  });

  auto* alerts = cases->add_subcommand(
      "alerts", "Permits pending or expiring and proceedings stalled (thresholds: settings)");
  cli::add_data_option(*alerts, a.data_dir);
  alerts->add_flag("--json", a.as_json, "Print JSON");
  alerts->callback([] {
    CasesSession s(a.data_dir);
    Json out =
        s.svc.alerts(kOperator, now_iso().substr(0, 10), std::nullopt, std::nullopt, std::nullopt);
    if (a.as_json) {
      std::cout << out.dump(2) << "\n";
      return;
    }
    std::cout << out["alerts"].size() << " alerts\n";
    for (const auto& al : out["alerts"])
      std::cout << "  case " << al["case_id"] << "  " << al["message"].get<std::string>() << "\n";
  });

  auto* exp = cases->add_subcommand(
      "export",
      "Write the HTCDS 2.0 CSV of the cases whose person consented to statistics (audited)");
  cli::add_data_option(*exp, a.data_dir);
  exp->add_option("--out", a.out, "The CSV file to write")->required();
  exp->add_flag("--json", a.as_json, "Print the summary as JSON");
  exp->callback([] {
    CasesSession s(a.data_dir);
    Json summary;
    std::string csv = s.svc.export_htcds(kOperator, summary);
    std::ofstream f(a.out, std::ios::binary | std::ios::trunc);
    if (!f) invalid("out", "cannot write " + a.out);
    f << csv;
    if (!f) invalid("out", "cannot write " + a.out);
    if (a.as_json) {
      std::cout << summary.dump(2) << "\n";
      return;
    }
    std::cout << summary["rows"] << " cases written to " << a.out << "; "
              << summary["excluded_without_consent"] << " left out (no consent to statistics)\n";
  });
}

}  // namespace ctip::cases
