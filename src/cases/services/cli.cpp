// `ctip providers import|list`: the provider directory from the command line, through the same
// use cases as the API (provider_service.h), as the operator "cli".
#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "audit/trust_store.h"
#include "cases/services/capability.h"
#include "cases/services/provider_service.h"
#include "cli/commands.h"
#include "core/error.h"

namespace ctip::cases::services {
namespace {

struct ProviderSession {
  std::unique_ptr<store::Store> store;
  audit::DirectoryTrustStore trust;
  audit::AuditLog log;
  ProviderService svc;
  explicit ProviderSession(const std::string& data_dir)
      : store(cli::open_existing_store(data_dir)),
        trust(cli::audit_files_dir(data_dir), cli::audit_key_file()),
        log(*store, trust),
        svc(*store, log) {}
};

struct ProviderArgs {
  std::string data_dir, file, service, region;
  bool as_json = false, free_only = false;
};

void import_command(const ProviderArgs& a) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.file != "-") {
    file.open(a.file, std::ios::binary);
    if (!file) invalid("file", "cannot open " + a.file);
    in = &file;
  }
  ProviderSession s(a.data_dir);
  Json out;
  try {
    out = s.svc.import_csv(auth::Actor::operator_named("cli"), *in);
  } catch (const ProvidersRejected& e) {
    for (const auto& p : e.problems)
      std::cerr << "ctip: line " << p["line"] << ", " << p["field"].get<std::string>() << ": "
                << p["message"].get<std::string>() << "\n";
    throw;
  }
  if (a.as_json)
    std::cout << out.dump(2) << "\n";
  else
    std::cout << "imported " << out["imported"] << " providers\n";
}

void list_command(const ProviderArgs& a) {
  repository::ProviderFilter f;
  if (!a.service.empty()) {
    f.service = parse_service_type(a.service);
    if (!f.service) invalid("service", "'" + a.service + "' is not a service type");
  }
  if (!a.region.empty()) f.region = a.region;
  f.free_only = a.free_only;
  ProviderSession s(a.data_dir);
  Json list = s.svc.list(f);
  if (a.as_json) {
    std::cout << list.dump(2) << "\n";
    return;
  }
  for (const auto& p : list) {
    std::string services;
    for (const auto& t : p["services"])
      services += (services.empty() ? "" : ",") + t.get<std::string>();
    std::cout << p["id"] << "\t" << p["name"].get<std::string>() << "\t"
              << p["region"].get<std::string>() << "\t" << services << "\t" << p["free_places"]
              << "/" << p["capacity"] << " free\n";
  }
}

}  // namespace

void add_commands(CLI::App& app) {
  auto* providers = app.add_subcommand(
      "providers", "The service provider directory: shelters, medical, legal aid, interpreters...");
  providers->require_subcommand(1);
  static ProviderArgs args;
  auto* import = providers->add_subcommand(
      "import", "Add the providers of a CSV file (all or nothing: a bad row imports none)");
  cli::add_data_option(*import, args.data_dir);
  import->add_option("FILE", args.file, "The CSV file, or - for standard input")->required();
  import->add_flag("--json", args.as_json, "Print JSON");
  import->footer(
      "Columns (header row, any order): name, services, languages, interpreter, region,\n"
      "location, sexes, min_age, max_age, nationalities, documentation, capacity, occupancy,\n"
      "funding_this_year, funding_baseline, and optionally org_id. Lists are separated by ';'\n"
      "(services: shelter;medical;psychological;legal_aid;translation;employment;repatriation).\n"
      "An empty eligibility cell admits everyone. Every bad row is named by line and field\n"
      "and makes the exit code 2.\n"
      "Example:\n  ctip providers import --data ./ctip-data data/demo/providers.csv");
  import->callback([] { import_command(args);
});

auto* list = providers->add_subcommand("list", "List the providers with their free places");
cli::add_data_option(*list, args.data_dir);
list->add_option("--service", args.service, "Only providers offering this service");
list->add_option("--region", args.region, "Only providers in this region");
list->add_flag("--free", args.free_only, "Only providers with a free place");
list->add_flag("--json", args.as_json, "Print JSON");
list->callback([] { list_command(args); });
}  // namespace ctip::cases::services

}  // namespace ctip::cases::services
