// ctip screen: the screening instruments, the first-contact screener and the decision rule
// (the engine): `profiles`, `indicators`, `screener` and `evaluate` read data compiled into the
// binary and answers given in a file or on standard input, and store nothing. The commands on a
// store go through ScreeningService, audited under the API's actions: `coverage` (aggregates, no
// personal data), `drafts list|show|discard`, `correct` and `history` (issue #8 item 8: the
// workflow's drafts and corrections, which the API and the web page also reach).
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "auth/accounts.h"
#include "auth/permissions.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/text.h"
#include "screen/capability.h"
#include "screen/interview.h"
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

// The operator at the command line holds the data directory: the audit log names them "cli".
auth::Actor cli_operator() { return auth::Actor::operator_named("cli"); }

// The store, its audit log and the service, for one command.
struct Session {
  std::unique_ptr<store::Store> store;
  audit::DirectoryTrustStore trust;
  audit::AuditLog log;
  ScreeningService svc;
  explicit Session(const std::string& data_dir)
      : store(cli::open_existing_store(data_dir)),
        trust(cli::audit_files_dir(data_dir), cli::audit_key_file()),
        log(*store, trust),
        svc(*store, log) {}
};

std::string text_or(const Json& j, const char* key, const char* fallback = "-") {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                : fallback;
}

std::string id_or(const Json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number_integer()
             ? std::to_string(j[key].get<int64_t>())
             : "-";
}

// The user a correction is recorded for (`--as`): a correction belongs to a person who can
// answer for it, and the API lets only a role granted screenings.correct make one, on its own
// organisation's screenings unless the matrix grants `all`. The same checks here, so that the
// command line is no way around the permission matrix.
auth::Actor acting_user(store::Store& store, const std::string& username, int64_t screening_id) {
  std::optional<auth::User> user;
  std::optional<int64_t> owner;
  store.read([&](store::Connection& c) {
    user = auth::find_user_by_name(c, username);
    owner = ScreeningService::owner_of(c, screening_id);
  });
  if (!user) invalid("as", "--as: no user is named '" + username + "' (see ctip users list)");
  if (user->disabled) invalid("as", "--as: the user '" + username + "' is disabled");
  auto scope = auth::PermissionMatrix::builtin().grant(user->role, "screenings.correct");
  if (!scope)
    throw Error(ErrorCode::permission_denied,
                "--as: the role '" + user->role + "' of '" + username +
                    "' may not correct screenings (screenings.correct)",
                "as");
  // Another organisation's screening is not found, as the API answers it.
  if (!owner || (*scope == auth::Scope::organisation && *owner != user->org.id))
    throw Error(ErrorCode::not_found, "no such screening: " + std::to_string(screening_id), "id");
  return auth::Actor::user(*user, *scope);
}

// `--set QUESTION=ANSWER`, repeated, as the API's {"answers": {...}}.
Json answers_from_sets(const std::vector<std::string>& sets) {
  Json answers = Json::object();
  for (const auto& set : sets) {
    auto eq = set.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == set.size())
      invalid("set", "--set takes QUESTION=ANSWER, e.g. --set s_hurt=yes (got '" + set + "')");
    std::string question = set.substr(0, eq);
    if (answers.contains(question)) invalid("set", "--set names " + question + " twice");
    answers[question] = set.substr(eq + 1);
  }
  return answers;
}

void print_drafts(const Json& drafts) {
  if (drafts.empty()) {
    std::cout << "no open drafts\n";
    return;
  }
  std::cout << std::left << std::setw(7) << "ID" << std::setw(11) << "STEP" << std::setw(22)
            << "REFERENCE" << std::right << std::setw(9) << "ANSWERED"
            << "  " << std::left << std::setw(22) << "UPDATED"
            << "BY\n";
  for (const auto& d : drafts)
    std::cout << std::left << std::setw(7) << id_or(d, "id") << std::setw(11) << text_or(d, "step")
              << std::setw(22) << text_or(d, "reference") << std::right << std::setw(9)
              << d.value("answered", int64_t{0}) << "  " << std::left << std::setw(22)
              << text_or(d, "updated_at") << text_or(d, "updated_by") << "\n";
}

void print_draft(const Json& d) {
  std::cout << "draft " << id_or(d, "id") << " (" << text_or(d, "status") << ", revision "
            << id_or(d, "revision") << ")\n"
            << "  created " << text_or(d, "created_at") << " by " << text_or(d, "created_by")
            << "; updated " << text_or(d, "updated_at") << " by " << text_or(d, "updated_by")
            << "\n";
  if (d.contains("follows") && !d["follows"].is_null())
    std::cout << "  completes screening " << id_or(d, "follows") << "\n";
  if (d.contains("screening_id") && !d["screening_id"].is_null())
    std::cout << "  recorded as screening " << id_or(d, "screening_id") << "\n";
  std::cout << "  state (as the screening page saved it):\n" << d["state"].dump(2) << "\n";
}

// A screening's outcome, action and case, one line: what the result leads with.
std::string case_line(const Json& view) {
  std::string out = "outcome " + text_or(view["result"], "outcome") + ", action " +
                    text_or(view["result"], "action");
  if (view.contains("case") && view["case"].is_object())
    out += "; case " + id_or(view["case"], "id") + " (" + text_or(view["case"], "status") + ")";
  return out;
}

// A screening's correction history: {"screening_id","reference","outcome","action","case",
// "corrections"}.
Json history_json(const Json& view) {
  return {{"screening_id", view["screening"]["id"]},
          {"reference", view["screening"]["person"]["reference"]},
          {"outcome", view["result"].value("outcome", "")},
          {"action", view["result"].value("action", "")},
          {"case", view.value("case", Json())},
          {"corrections", view.value("corrections", Json::array())}};
}

void print_history(const Json& view) {
  std::cout << "screening " << id_or(view["screening"], "id") << " ("
            << text_or(view["screening"]["person"], "reference") << "): " << case_line(view)
            << "\n";
  const Json& corrections = view["corrections"];
  if (corrections.empty()) {
    std::cout << "no corrections: the answers are those first recorded\n";
    return;
  }
  for (const auto& k : corrections) {
    std::cout << "\ncorrection " << id_or(k, "id") << ", " << text_or(k, "corrected_at") << " by "
              << text_or(k, "corrected_by") << ": " << text_or(k, "previous_outcome") << " -> "
              << text_or(k, "outcome") << "\n  reason: " << text_or(k, "reason") << "\n";
    for (const auto& ch : k.value("changes", Json::array()))
      std::cout << "  " << text_or(ch, "id") << ": " << text_or(ch, "from") << " -> "
                << text_or(ch, "to") << "\n";
  }
}

// drafts list|show|discard, correct, history: the workflow's pieces the API and the screening
// page reach, for an operator with the data directory (issue #8 item 8).
void add_workflow_commands(CLI::App& screen, std::string& data_dir, bool& as_json) {
  static int64_t id = 0, limit = 100;
  static std::string org, as_user, reason;
  static std::vector<std::string> sets;

  auto* drafts = screen.add_subcommand(
      "drafts",
      "Screening drafts: what a screener entered so far, saved by the screening page as each\n"
      "answer is given, until the screening is recorded or the draft discarded");
  drafts->require_subcommand(1);
  drafts->footer(
      "Examples:\n  ctip screen drafts list --data ./ctip-data\n"
      "  ctip screen drafts show 12 --data ./ctip-data --json\n"
      "  ctip screen drafts discard 12 --data ./ctip-data\n"
      "Every read and discard is audited (screenings.draft.read, screenings.draft.discard), as\n"
      "from the API.");

  auto* list = drafts->add_subcommand("list", "Open drafts, newest first");
  cli::add_data_option(*list, data_dir);
  list->add_option("--org", org,
                   "Only this organisation's drafts (its name, as ctip users list shows it)");
  list->add_option("--limit", limit, "At most this many, 1-1000")
      ->default_val(100)
      ->check(CLI::Range(1, 1000));
  list->add_flag("--json", as_json,
                 "Print [{\"id\",\"revision\",\"step\",\"reference\",\"answered\",\"follows\","
                 "\"created_at\",\"updated_at\",\"updated_by\"}]");
  list->footer(
      "Example:\n  ctip screen drafts list --data ./ctip-data --org 'Safe Harbour Shelter'\n"
      "  ID     STEP       REFERENCE              ANSWERED  UPDATED               BY\n"
      "  12     questions  SH-2026-0042                  7  2026-12-01T08:41:07Z  screener\n"
      "STEP is where the screening page was; ANSWERED counts the questions answered so far.\n"
      "Without --org, every organisation's drafts.");
  list->callback([&data_dir, &as_json] {
    Session s(data_dir);
    auto actor = cli_operator();
    if (!org.empty()) {
      std::optional<auth::Organisation> found;
      s.store->read([&](store::Connection& c) { found = auth::find_organisation(c, org); });
      if (!found) invalid("org", "--org: no organisation is named '" + org + "'");
      actor.visible_org = found->id;
    }
    auto drafts = s.svc.list_drafts(actor, limit);
    as_json ? print_json(drafts) : print_drafts(drafts);
  });

  auto* show = drafts->add_subcommand("show", "One draft, with the state the page saved");
  cli::add_data_option(*show, data_dir);
  show->add_option("id", id, "The draft's id (from drafts list)")->required();
  show->add_flag("--json", as_json,
                 "Print {\"id\",\"status\",\"revision\",\"state\",\"follows\",\"screening_id\","
                 "\"created_at\",\"updated_at\",\"created_by\",\"updated_by\"}, as GET "
                 "/api/v1/screenings/drafts/{id}");
  show->footer("Example:\n  ctip screen drafts show 12 --data ./ctip-data --json");
  show->callback([&data_dir, &as_json] {
    Session s(data_dir);
    auto d = s.svc.get_draft(cli_operator(), id);
    as_json ? print_json(d) : print_draft(d);
  });

  auto* discard = drafts->add_subcommand(
      "discard", "Discard an open draft (kept, marked discarded, no longer offered to resume)");
  cli::add_data_option(*discard, data_dir);
  discard->add_option("id", id, "The draft's id (from drafts list)")->required();
  discard->footer(
      "Example:\n  ctip screen drafts discard 12 --data ./ctip-data\n"
      "  discarded draft 12\n"
      "A draft already recorded as a screening cannot be discarded (exit 1); discarding twice\n"
      "changes nothing more.");
  discard->callback([&data_dir] {
    Session s(data_dir);
    s.svc.discard_draft(cli_operator(), id);
    std::cout << "discarded draft " << id << "\n";
  });

  auto* correct = screen.add_subcommand(
      "correct",
      "Correct answers of a recorded screening: it is evaluated again with the instrument,\n"
      "profile, age and rule version it was recorded with; the previous answers and outcome\n"
      "are kept with the reason (see history); a case opens and referrals are added when the\n"
      "new result calls for them (nothing is removed)");
  cli::add_data_option(*correct, data_dir);
  correct->add_option("id", id, "The screening's id")->required();
  correct
      ->add_option("--as", as_user,
                   "The user who corrects: a role granted screenings.correct, of the screening's\n"
                   "organisation; the correction and its audit entry name them")
      ->required();
  correct
      ->add_option("--set", sets,
                   "QUESTION=ANSWER, repeatable: the question id as recorded (s_... for the\n"
                   "screener, the indicator id for a full interview) and yes, no, dont_know,\n"
                   "declined, not_applicable or unknown")
      ->required();
  correct->add_option("--reason", reason, "Why the answers change (kept in the history)")
      ->required();
  correct->add_flag(
      "--json", as_json,
      "Print the corrected screening's view, as POST /api/v1/screenings/{id}/corrections");
  correct->footer(
      "Example:\n  ctip screen correct 42 --data ./ctip-data --as screener \\\n"
      "      --set s_not_free_to_leave=yes --set s_hurt=dont_know \\\n"
      "      --reason 'said on the second day that the door was locked at night'\n"
      "  screening 42 corrected (correction 3): coercion_only -> possible_trafficking\n"
      "  outcome possible_trafficking, action refer_now; case 17 (possible)\n"
      "A question the screening's instrument does not have, or answers that change nothing, are\n"
      "refused (exit 2, naming answers.<id> or answers) and nothing is stored. Audited\n"
      "screenings.correct, in the name of --as, from the address 'cli'.");
  correct->callback([&data_dir, &as_json] {
    auto in = parse_correction(
        Json{{"answers", answers_from_sets(sets)}, {"reason", reason}});  // before the store
    Session s(data_dir);
    auto actor = acting_user(*s.store, as_user, id);
    auto view = s.svc.correct(actor, id, in);
    if (as_json) return print_json(view);
    const Json& corrections = view["corrections"];
    Json last = corrections.empty() ? Json::object() : corrections.back();
    std::cout << "screening " << id << " corrected (correction " << id_or(last, "id")
              << "): " << text_or(last, "previous_outcome") << " -> " << text_or(last, "outcome")
              << "\n"
              << case_line(view) << "\n";
  });

  auto* history = screen.add_subcommand(
      "history", "A screening's corrections: when, by whom, why, and each answer from -> to");
  cli::add_data_option(*history, data_dir);
  history->add_option("id", id, "The screening's id")->required();
  history->add_flag("--json", as_json,
                    "Print {\"screening_id\",\"reference\",\"outcome\",\"action\",\"case\","
                    "\"corrections\":[{\"id\",\"corrected_at\",\"corrected_by\",\"reason\","
                    "\"changed\",\"changes\":[{\"id\",\"from\",\"to\"}],\"previous_outcome\","
                    "\"outcome\"}]}");
  history->footer(
      "Example:\n  ctip screen history 42 --data ./ctip-data\n"
      "  screening 42 (SH-2026-0042): outcome possible_trafficking, action refer_now; case 17 "
      "(possible)\n\n"
      "  correction 3, 2026-12-01T09:02:11Z by screener: coercion_only -> possible_trafficking\n"
      "    reason: said on the second day that the door was locked at night\n"
      "    s_not_free_to_leave: no -> yes\n"
      "Reading a screening is audited (screenings.read), as from the API.");
  history->callback([&data_dir, &as_json] {
    Session s(data_dir);
    auto view = s.svc.get_screening(cli_operator(), id);
    as_json ? print_json(history_json(view)) : print_history(view);
  });
}

}  // namespace

void add_commands(CLI::App& app) {
  auto* screen = app.add_subcommand(
      "screen", "Screening instruments (ILO 2009 indicators) and the decision rule");
  screen->require_subcommand(1);
  screen->footer(
      "Examples:\n  ctip screen evaluate --answers answers.json --json\n"
      "  ctip screen history 42 --data ./ctip-data\n"
      "profiles, indicators, screener and evaluate store nothing (the instruments and the rule\n"
      "are compiled into ctip); coverage, drafts, correct, history, reference-pattern and\n"
      "compact work on a store and are audited.");
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
      "Columns: persons encountered (MET), persons screened, the six outcomes (presumed,\n"
      "possible, coercion only, exploitation only, no indication, insufficient information),\n"
      "the three actions (refer now, complete the interview, no further action), and the share\n"
      "of own nationals among presumed victims (own = the deployment's country setting). A\n"
      "person screened more than once counts under the most severe outcome and the most urgent\n"
      "action. Exact counts: the API and the web page leave out cells of fewer than 5 persons.");
  coverage_cmd->callback([] {
    auto store = cli::open_existing_store(data_dir);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLog log(*store, trust);
    Coverage cov = ScreeningService(*store, log)
                       .coverage(auth::Actor::operator_named("cli"), from_month, to_month);
    if (as_json) return print_json(to_json(cov));
    std::cout << std::left << std::setw(9) << "MONTH" << std::setw(27) << "SOURCE" << std::right
              << std::setw(6) << "MET" << std::setw(9) << "SCREENED" << std::setw(9) << "PRESUMED"
              << std::setw(9) << "POSSIBLE" << std::setw(8) << "COERC." << std::setw(7) << "EXPL."
              << std::setw(7) << "NONE" << std::setw(8) << "INSUFF." << std::setw(7) << "REFER"
              << std::setw(7) << "CONT." << std::setw(7) << "NO-FA" << std::setw(10) << "OWN-NAT."
              << "\n";
    auto row = [](const CoverageCell& c, const std::string& month, const std::string& source) {
      std::cout << std::left << std::setw(9) << month << std::setw(27) << source << std::right
                << std::setw(6) << c.encountered << std::setw(9) << c.screened << std::setw(9)
                << c.presumed_trafficking << std::setw(9) << c.possible_trafficking << std::setw(8)
                << c.coercion_only << std::setw(7) << c.exploitation_only << std::setw(7)
                << c.no_indication << std::setw(8) << c.insufficient_information << std::setw(7)
                << c.refer_now << std::setw(7) << c.complete_interview << std::setw(7)
                << c.no_further_action << std::setw(10)
                << (c.presumed ? std::to_string(100 * c.presumed_own_national / c.presumed) + "%"
                               : "-")
                << "\n";
    };
    for (const auto& c : cov.cells) row(c, c.month, c.source);
    row(cov.totals, "total", "");
  });

  add_workflow_commands(*screen, data_dir, as_json);

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
