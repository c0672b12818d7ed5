// ctip screen: the screening instruments, the first-contact screener and the decision rule
// (the engine). Nothing here is stored: these commands read data compiled into the binary and
// answers given in a file or on standard input. `ctip screen coverage` reads the store's
// aggregates (no personal data) through ScreeningService::coverage, audited as the API's
// GET /api/v1/screenings/coverage is.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"
#include "screen/capability.h"
#include "screen/screening.h"
#include "screen/screening_service.h"

namespace ctip::screen {
namespace {

void print_json(const Json& j) { std::cout << j.dump(2) << "\n"; }

// The help texts list the languages and profiles from their one definition (catalogue.h).
const std::string kLanguageList = core::joined(kLanguages);
std::string profile_list() {
  std::vector<std::string_view> ids;
  for (const auto& i : Catalogue::builtin().instruments) ids.push_back(i.profile);
  return core::joined(ids);
}

Json read_answers(const std::string& path) {
  return parse_json(cli::read_input_file(path, "answers"), "answers file");
}

void print_profiles(const Json& j) {
  for (const auto& p : j["profiles"]) {
    std::cout << std::left << std::setw(19) << p["id"].get<std::string>() << std::setw(7)
              << p["version"].get<std::string>() << std::setw(7)
              << p["population"].get<std::string>() << std::setw(13)
              << p["exploitation"].get<std::string>() << std::right << std::setw(3)
              << p["indicators"].get<int>() << " indicators  " << p["title"].get<std::string>()
              << "\n";
  }
  std::cout << "\nrule " << j["rule_version"].get<std::string>() << "; screener "
            << j["screener"]["id"].get<std::string>() << " "
            << j["screener"]["version"].get<std::string>() << " ("
            << j["screener"]["questions"].get<int>() << " questions); languages:";
  for (const auto& l : j["languages"]) std::cout << " " << l.get<std::string>();
  std::cout << "\n";
}

void print_instrument(const Json& j) {
  std::cout << j["profile"].get<std::string>() << " " << j["version"].get<std::string>() << ": "
            << j["title"].get<std::string>() << " (" << j["indicator_count"].get<int>()
            << " indicators)\n";
  for (const auto& d : j["dimensions"]) {
    std::cout << "\n"
              << d["title"].get<std::string>() << " (" << d["id"].get<std::string>() << ", group "
              << d["group"].get<std::string>() << ")\n";
    for (const auto& i : d["indicators"]) {
      std::cout << "  " << std::left << std::setw(7) << i["strength"].get<std::string>()
                << i["id"].get<std::string>() << "\n         " << i["text"].get<std::string>()
                << "\n";
    }
  }
}

void print_screener(const Json& j) {
  std::cout << j["title"].get<std::string>() << " (" << j["id"].get<std::string>() << " "
            << j["version"].get<std::string>() << ")\n"
            << j["intro"].get<std::string>() << "\n\n";
  int n = 0;
  for (const auto& q : j["questions"])
    std::cout << std::right << std::setw(2) << ++n << ". " << q["text"].get<std::string>()
              << "\n    [" << q["id"].get<std::string>() << "]\n";
  std::cout << "\nThe answers (yes, no, unknown) route to a full interview:\n";
  for (const auto& r : j["routing"]) {
    std::cout << "  " << r["population"].get<std::string>() << ", "
              << (r.contains("if_yes") ? r["if_yes"].get<std::string>() + " yes" : "otherwise")
              << " -> " << r["profile"].get<std::string>() << "\n";
  }
}

}  // namespace

void add_commands(CLI::App& app) {
  auto* screen = app.add_subcommand(
      "screen", "Screening instruments (ILO 2009 indicators) and the decision rule");
  screen->require_subcommand(1);
  screen->footer(
      "Example:\n  ctip screen evaluate --answers answers.json --json\n"
      "Nothing is stored; the instruments and the rule are compiled into ctip.");
  static std::string profile, lang, answers_path;
  static bool as_json = false;

  auto* profiles_cmd = screen->add_subcommand("profiles", "List the screening profiles");
  profiles_cmd->add_option("--lang", lang, "Language of the titles: " + kLanguageList)
      ->default_val("en");
  profiles_cmd->add_flag("--json", as_json, "Print JSON");
  profiles_cmd->footer("Example:\n  ctip screen profiles --json");
  profiles_cmd->callback([] {
    auto j = profiles_json(lang);
    as_json ? print_json(j) : print_profiles(j);
  });

  auto* indicators_cmd =
      screen->add_subcommand("indicators", "List a profile's indicators with their questions");
  indicators_cmd->add_option("--profile", profile, "Profile: " + profile_list())->required();
  indicators_cmd->add_option("--lang", lang, "Language of the questions: " + kLanguageList)
      ->default_val("en");
  indicators_cmd->add_flag("--json", as_json,
                           "Print [{\"id\",\"dimension\",\"strength\",\"text\",\"label\"}]");
  indicators_cmd->footer(
      "Example:\n  ctip screen indicators --profile adult_labour --lang es --json");
  indicators_cmd->callback([] {
    if (as_json)
      print_json(indicators_json(profile, lang));
    else
      print_instrument(instrument_json(profile, lang));
  });

  auto* screener_cmd = screen->add_subcommand(
      "screener", "Print the short first-contact screener, or evaluate answers to it");
  screener_cmd->add_option("--lang", lang, "Language of the questions: " + kLanguageList)
      ->default_val("en");
  screener_cmd->add_option("--answers", answers_path,
                           "Evaluate screener answers from FILE ('-' for standard input): "
                           "{\"age\":N|\"unknown\",\"may_be_minor\":bool,\"answers\":{\"s_...\":"
                           "\"yes\"|\"no\"|\"unknown\"}}; the routing picks the profile");
  screener_cmd->add_flag("--json", as_json, "Print JSON");
  screener_cmd->footer(
      "Examples:\n  ctip screen screener --lang fr\n"
      "  echo '{\"age\":\"unknown\",\"may_be_minor\":true,\"answers\":{\"s_sexual\":\"yes\"}}' "
      "| ctip screen screener --answers - --json");
  screener_cmd->callback([] {
    if (answers_path.empty()) {
      auto j = screener_json(lang);
      as_json ? print_json(j) : print_screener(j);
      return;
    }
    auto body = read_answers(answers_path);
    // --lang sets the language of question texts in the result unless the file names one.
    if (body.is_object() && !body.contains("lang")) body["lang"] = lang;
    auto result = evaluate(parse_screener_input(body));
    if (as_json)
      print_json(to_json(result));
    else
      std::cout << to_text(result);
  });

  auto* evaluate_cmd = screen->add_subcommand(
      "evaluate", "Apply the decision rule to answers and explain the outcome");
  evaluate_cmd
      ->add_option("--answers", answers_path,
                   "Answers FILE, or '-' for standard input (see the example)")
      ->required();
  evaluate_cmd->add_flag("--json", as_json,
                         "Print the result JSON (outcome, could_become, rules_applied, dimensions, "
                         "ask_next, instrument_version, rule_version, explanation)");
  evaluate_cmd->footer(
      "Example:\n  ctip screen evaluate --answers answers.json --json\n\n"
      "answers.json:\n"
      "  {\"profile\":\"adult_labour\",\"age\":34,\"may_be_minor\":false,\n"
      "   \"answers\":{\"dr_deceived_nature_of_job\":\"yes\",\"ex_excessive_hours\":\"yes\",\n"
      "              \"cd_confiscation_of_documents\":\"unknown\"}}\n\n"
      "profile: adult_labour, adult_sexual, child_labour, child_sexual, adult_criminality, or\n"
      "\"screener\" (answers keyed by screener question ids). age: whole years or \"unknown\"\n"
      "(then may_be_minor is required). Unanswered indicators are not \"no\". Bad input exits 2\n"
      "and names the field.");
  evaluate_cmd->callback([] {
    auto result = evaluate(parse_evaluation_input(read_answers(answers_path)));
    if (as_json)
      print_json(to_json(result));
    else
      std::cout << to_text(result);
  });

  static std::string data_dir, from_month, to_month;
  auto* coverage_cmd = screen->add_subcommand(
      "coverage",
      "Screening coverage per month and encounter source (aggregates, no personal data)");
  cli::add_data_option(*coverage_cmd, data_dir);
  coverage_cmd->add_option("--from", from_month, "First month, YYYY-MM");
  coverage_cmd->add_option("--to", to_month, "Last month, YYYY-MM");
  coverage_cmd->add_flag("--json", as_json, "Print the API's Coverage JSON");
  coverage_cmd->footer(
      "Example:\n  ctip screen coverage --data ./ctip-data --from 2026-01 --to 2026-06\n"
      "Columns: persons encountered, persons screened, outcomes, and the share of own nationals\n"
      "among presumed victims (own = the deployment's country setting).");
  coverage_cmd->callback([] {
    auto store = cli::open_existing_store(data_dir);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLog log(*store, trust);
    Coverage cov = ScreeningService(*store, log)
                       .coverage(auth::Actor::operator_named("cli"), from_month, to_month);
    if (as_json) return print_json(to_json(cov));
    std::cout << std::left << std::setw(9) << "MONTH" << std::setw(27) << "SOURCE" << std::right
              << std::setw(6) << "MET" << std::setw(9) << "SCREENED" << std::setw(9) << "PRESUMED"
              << std::setw(9) << "POSSIBLE" << std::setw(8) << "EXPL." << std::setw(8) << "NONE"
              << std::setw(10) << "OWN-NAT."
              << "\n";
    auto row = [](const CoverageCell& c, const std::string& month, const std::string& source) {
      std::cout << std::left << std::setw(9) << month << std::setw(27) << source << std::right
                << std::setw(6) << c.encountered << std::setw(9) << c.screened << std::setw(9)
                << c.presumed_trafficking << std::setw(9) << c.possible_trafficking << std::setw(8)
                << c.exploitation_only << std::setw(8) << c.no_indication << std::setw(9)
                << (c.presumed ? std::to_string(100 * c.presumed_own_national / c.presumed) + "%"
                               : "-")
                << "\n";
    };
    for (const auto& c : cov.cells) row(c, c.month, c.source);
    row(cov.totals, "total", "");
  });

  static std::string new_pattern;
  static bool default_pattern = false;
  auto* pattern_cmd = screen->add_subcommand(
      "reference-pattern",
      "Print or set the pattern every person reference must match (a pseudonym, never a name)");
  cli::add_data_option(*pattern_cmd, data_dir);
  auto* set_opt = pattern_cmd->add_option(
      "--set", new_pattern, "ECMAScript regular expression matched against the whole reference");
  pattern_cmd
      ->add_flag("--default", default_pattern,
                 "Back to the default: letters, digits and '-', 4 to 32 characters")
      ->excludes(set_opt);
  pattern_cmd->footer(
      "Examples:\n  ctip screen reference-pattern --data ./ctip-data\n"
      "  [A-Za-z0-9-]{4,32}\n"
      "  ctip screen reference-pattern --data ./ctip-data --set 'SH-[0-9]{4}-[0-9]{1,6}'\n"
      "Control, invisible and bidirectional formatting characters are refused whatever the\n"
      "pattern; changing it is audited (settings.update).");
  pattern_cmd->callback([set_opt] {
    auto store = cli::open_existing_store(data_dir);
    std::string pattern;
    if (set_opt->count() > 0 || default_pattern) {
      audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
      audit::AuditLog log(*store, trust);
      ScreeningService svc(*store, log);
      std::string p = default_pattern ? std::string(kDefaultReferencePattern) : new_pattern;
      store->write([&](store::Connection& c) {
        svc.set_reference_pattern(c, auth::Actor::operator_named("cli"), p);
      });
    }
    store->read([&](store::Connection& c) { pattern = ScreeningService::reference_pattern(c); });
    std::cout << pattern << "\n";
  });

  auto* compact_cmd = screen->add_subcommand(
      "compact",
      "Convert screenings stored with their rendered result (before schema 0008) to the compact\n"
      "form: answers compressed, result recomputed on read; only where the recomputed result is\n"
      "identical to the stored one");
  cli::add_data_option(*compact_cmd, data_dir);
  compact_cmd->footer(
      "Example:\n  ctip screen compact --data ./ctip-data\n"
      "  compacted 42113 screening(s); 0 kept their stored result\n"
      "Then reclaim the space: SQLite with 'ctip db backup' and a restore, or VACUUM while the\n"
      "server is stopped; PostgreSQL with VACUUM FULL.");
  compact_cmd->callback([] {
    auto store = cli::open_existing_store(data_dir);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLog log(*store, trust);
    auto [converted, kept] =
        ScreeningService(*store, log).compact(auth::Actor::operator_named("cli"));
    std::cout << "compacted " << converted << " screening(s); " << kept
              << " kept their stored result (their recomputed result differs)\n";
  });
}

}  // namespace ctip::screen
