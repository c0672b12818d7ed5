// ctip screen: the screening instruments, the first-contact screener and the decision rule
// (src/screen). Nothing here is stored: these commands read data compiled into the binary and
// answers given in a file or on standard input. `ctip screen coverage` reads the store's
// aggregates (no personal data) and is audited as an export.
#include <iomanip>
#include <iostream>

#include "audit/audit_log.h"
#include "cases/coverage.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/json_input.h"
#include "screen/screening.h"

namespace ctip::cli {
namespace {

void print_json(const Json& j) { std::cout << j.dump(2) << "\n"; }

Json read_answers(const std::string& path) {
  return parse_json(read_input_file(path, "answers"), "answers file");
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

void add_screen_commands(CLI::App& app) {
  auto* screen = app.add_subcommand(
      "screen", "Screening instruments (ILO 2009 indicators) and the decision rule");
  screen->require_subcommand(1);
  screen->footer(
      "Example:\n  ctip screen evaluate --answers answers.json --json\n"
      "Nothing is stored; the instruments and the rule are compiled into ctip.");
  static std::string profile, lang, answers_path;
  static bool as_json = false;

  auto* profiles = screen->add_subcommand("profiles", "List the screening profiles");
  profiles->add_option("--lang", lang, "Language of the titles: en, es, fr or ar")
      ->default_val("en");
  profiles->add_flag("--json", as_json, "Print JSON");
  profiles->footer("Example:\n  ctip screen profiles --json");
  profiles->callback([] {
    auto j = screen::profiles_json(lang);
    as_json ? print_json(j) : print_profiles(j);
  });

  auto* indicators =
      screen->add_subcommand("indicators", "List a profile's indicators with their questions");
  indicators
      ->add_option("--profile", profile,
                   "adult_labour, adult_sexual, child_labour, child_sexual or "
                   "adult_criminality")
      ->required();
  indicators->add_option("--lang", lang, "Language of the questions: en, es, fr or ar")
      ->default_val("en");
  indicators->add_flag("--json", as_json,
                       "Print [{\"id\",\"dimension\",\"strength\",\"text\",\"label\"}]");
  indicators->footer("Example:\n  ctip screen indicators --profile adult_labour --lang es --json");
  indicators->callback([] {
    if (as_json)
      print_json(screen::indicators_json(profile, lang));
    else
      print_instrument(screen::instrument_json(profile, lang));
  });

  auto* screener = screen->add_subcommand(
      "screener", "Print the short first-contact screener, or evaluate answers to it");
  screener->add_option("--lang", lang, "Language of the questions: en, es, fr or ar")
      ->default_val("en");
  screener->add_option("--answers", answers_path,
                       "Evaluate screener answers from FILE ('-' for standard input): "
                       "{\"age\":N|\"unknown\",\"may_be_minor\":bool,\"answers\":{\"s_...\":"
                       "\"yes\"|\"no\"|\"unknown\"}}; the routing picks the profile");
  screener->add_flag("--json", as_json, "Print JSON");
  screener->footer(
      "Examples:\n  ctip screen screener --lang fr\n"
      "  echo '{\"age\":\"unknown\",\"may_be_minor\":true,\"answers\":{\"s_sexual\":\"yes\"}}' "
      "| ctip screen screener --answers - --json");
  screener->callback([] {
    if (answers_path.empty()) {
      auto j = screen::screener_json(lang);
      as_json ? print_json(j) : print_screener(j);
      return;
    }
    auto body = read_answers(answers_path);
    // --lang sets the language of question texts in the result unless the file names one.
    if (body.is_object() && !body.contains("lang")) body["lang"] = lang;
    auto result = screen::evaluate(screen::parse_screener_input(body));
    if (as_json)
      print_json(screen::to_json(result));
    else
      std::cout << screen::to_text(result);
  });

  auto* evaluate = screen->add_subcommand(
      "evaluate", "Apply the decision rule to answers and explain the outcome");
  evaluate
      ->add_option("--answers", answers_path,
                   "Answers FILE, or '-' for standard input (see the example)")
      ->required();
  evaluate->add_flag("--json", as_json,
                     "Print the result JSON (outcome, could_become, rules_applied, dimensions, "
                     "ask_next, instrument_version, rule_version, explanation)");
  evaluate->footer(
      "Example:\n  ctip screen evaluate --answers answers.json --json\n\n"
      "answers.json:\n"
      "  {\"profile\":\"adult_labour\",\"age\":34,\"may_be_minor\":false,\n"
      "   \"answers\":{\"dr_deceived_nature_of_job\":\"yes\",\"ex_excessive_hours\":\"yes\",\n"
      "              \"cd_confiscation_of_documents\":\"unknown\"}}\n\n"
      "profile: adult_labour, adult_sexual, child_labour, child_sexual, adult_criminality, or\n"
      "\"screener\" (answers keyed by screener question ids). age: whole years or \"unknown\"\n"
      "(then may_be_minor is required). Unanswered indicators are not \"no\". Bad input exits 2\n"
      "and names the field.");
  evaluate->callback([] {
    auto result = screen::evaluate(screen::parse_evaluation_input(read_answers(answers_path)));
    if (as_json)
      print_json(screen::to_json(result));
    else
      std::cout << screen::to_text(result);
  });

  static std::string data_dir, from_month, to_month;
  auto* coverage = screen->add_subcommand(
      "coverage",
      "Screening coverage per month and encounter source (aggregates, no personal data)");
  add_data_option(*coverage, data_dir);
  coverage->add_option("--from", from_month, "First month, YYYY-MM");
  coverage->add_option("--to", to_month, "Last month, YYYY-MM");
  coverage->add_flag("--json", as_json, "Print the API's Coverage JSON");
  coverage->footer(
      "Example:\n  ctip screen coverage --data ./ctip-data --from 2026-01 --to 2026-06\n"
      "Columns: persons encountered, persons screened, outcomes, and the share of own nationals\n"
      "among presumed victims (own = the deployment's country setting).");
  coverage->callback([] {
    auto store = open_existing_store(data_dir);
    audit::DirectoryTrustStore trust(data_dir);
    audit::AuditLog log(*store, trust);
    cases::Coverage cov;
    store->write([&](store::Connection& c) {
      cov = cases::load_coverage(c, std::nullopt, from_month, to_month);
      log.append(c, {std::nullopt, "cli", std::nullopt, "screenings.coverage.export", "coverage",
                     "all", "success"});
    });
    if (as_json) return print_json(cases::to_json(cov));
    std::cout << std::left << std::setw(9) << "MONTH" << std::setw(27) << "SOURCE" << std::right
              << std::setw(6) << "MET" << std::setw(9) << "SCREENED" << std::setw(9) << "PRESUMED"
              << std::setw(9) << "POSSIBLE" << std::setw(8) << "EXPL." << std::setw(8) << "NONE"
              << std::setw(10) << "OWN-NAT."
              << "\n";
    auto row = [](const cases::CoverageCell& c, const std::string& month,
                  const std::string& source) {
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
}

}  // namespace ctip::cli
