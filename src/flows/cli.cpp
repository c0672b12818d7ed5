// ctip flows summary: the aggregates of a case-record file (CTDC, CTDC synthetic, HTCDS) or of
// UNODC's GLOTIP country data, straight from the file, without a store. The file is streamed;
// nothing is written. Row errors name the line and column; any of them makes the exit code 2
// unless --skip-bad-rows is given.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "audit/trust_store.h"
#include "auth/actor.h"
#include "cli/commands.h"
#include "core/error.h"
#include "core/text.h"
#include "flows/aggregate.h"
#include "flows/capability.h"
#include "flows/flows_service.h"
#include "flows/glotip.h"
#include "flows/import.h"
#include "flows/regions.h"
#include "flows/report.h"
#include "flows/shifts.h"
#include "jobs/progress_bar.h"

namespace ctip::flows {
namespace {

struct SummaryArgs {
  std::string file;
  std::string format;
  bool as_json = false;
  bool skip_bad_rows = false;
  int from = 0, to = 0;  // 0: not given
  std::string country, region, source, sex, age;
};

constexpr size_t kErrorsShown = 20;

void report_errors(const std::vector<RowError>& errors, uint64_t count, bool skip_bad_rows) {
  for (size_t i = 0; i < errors.size() && i < kErrorsShown; ++i)
    std::cerr << "ctip: " << to_string(errors[i]) << "\n";
  if (count > kErrorsShown) std::cerr << "ctip: ... and " << count - kErrorsShown << " more\n";
  if (count > 0 && !skip_bad_rows && !errors.empty())
    throw Error(ErrorCode::invalid_argument,
                std::to_string(count) + " row" + (count == 1 ? "" : "s") +
                    " with errors (listed above, line and column); nothing was summarised. "
                    "Correct them, or give --skip-bad-rows to leave them out",
                "line " + std::to_string(errors.front().line));
}

Filter make_filter(const SummaryArgs& a) {
  return parse_filter({a.from ? std::to_string(a.from) : "", a.to ? std::to_string(a.to) : "",
                       a.country, a.region, a.source, a.sex, a.age});
}

std::string pct(double share) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << share * 100 << "%";
  return s.str();
}

void print_records_text(const ImportSummary& s, const RecordTable& table, const Filter& filter) {
  std::cout << to_string(s.format) << ": " << s.rows_read << " rows read, " << s.imported
            << " imported, " << s.skipped << " skipped\n";
  if (!s.ignored_columns.empty())
    std::cout << "ignored columns: " << core::joined(s.ignored_columns) << "\n";
  if (!s.unknown_values.empty()) {
    std::cout << "unknown values (counted as unknown in every figure):\n";
    size_t shown = 0;
    for (const auto& u : s.unknown_values) {
      if (++shown > 30) {
        std::cout << "  ... (--json lists them all)\n";
        break;
      }
      std::cout << "  " << u.column << ": \"" << u.value << "\" x " << u.count << "\n";
    }
  }
  auto m = corridors(table, filter);
  std::cout << "\ncorridors (citizenship -> exploitation), " << m.records << " records, "
            << m.unknown << " with a country unknown:\n";
  for (size_t i = 0; i < m.corridors.size() && i < 15; ++i)
    std::cout << "  " << alpha3(m.corridors[i].citizenship) << " -> "
              << alpha3(m.corridors[i].exploitation) << "  " << m.corridors[i].count << "\n";
  auto d = domestic_share(table, DomesticBy::year, filter);
  std::cout << "\ndomestic share by year (both countries known):\n";
  for (const auto& r : d.rows)
    std::cout << "  " << r.year << "  " << pct(r.share) << "  (" << r.domestic << " of "
              << r.total_known << "; " << r.unknown << " unknown)\n";
  auto e = categories_by_year(table, FlagGroup::exploitation, filter);
  std::cout << "\nforms of exploitation: " << e.records - e.unknown << " records with information, "
            << e.unknown << " without\n";
  std::cout << "\n--json gives every aggregate (domestic share by country, labour, sexual "
               "exploitation, means of control, recruiter).\n";
}

Json records_json(const ImportSummary& s, const RecordTable& table, const Filter& filter) {
  auto m = corridors(table, filter);
  Json groups = Json::object();
  for (auto g : kFlagGroups)
    groups[std::string(to_string(g))] = to_json(categories_by_year(table, g, filter));
  auto by_year = domestic_share(table, DomesticBy::year, filter);
  auto by_country = domestic_share(table, DomesticBy::country, filter);
  return {{"summary", to_json(s)},
          {"corridors", corridors_json(m)},
          {"corridors_basis", corridors_basis_json(m)},
          {"domestic",
           {{"by_year", domestic_json(by_year)},
            {"by_country", domestic_json(by_country)},
            {"records", by_year.records},
            {"unknown_by_year", by_year.unknown},
            {"unknown_by_country", by_country.unknown}}},
          {"groups", std::move(groups)}};
}

void summarise_glotip(std::istream& in, const SummaryArgs& a) {
  if (!a.region.empty() || !a.source.empty() || !a.sex.empty() || !a.age.empty())
    invalid("format",
            "--region, --source, --sex and --age filter case records; glotip is "
            "country-year data (use --country, --from, --to)");
  auto data = read_glotip(in);
  report_errors(data.summary.errors, data.summary.error_count, a.skip_bad_rows);
  auto shares = glotip_domestic_share(data);
  std::vector<GlotipDomesticRow> kept;
  std::optional<CountryCode> country;
  if (!a.country.empty()) {
    country = country_code(a.country);
    if (!country) invalid("country", "\"" + a.country + "\" is not an ISO 3166 code");
  }
  for (const auto& r : shares)
    if ((!a.from || r.year >= a.from) && (!a.to || r.year <= a.to) &&
        (!country || r.country == *country))
      kept.push_back(r);
  std::optional<int> from, to;
  if (a.from) from = a.from;
  if (a.to) to = a.to;
  auto corr = glotip_corridors(data, "Detected trafficking victims", from, to);
  if (country)
    std::erase_if(corr, [&](const auto& c) {
      return c.citizenship != *country && c.exploitation != *country;
    });
  if (a.as_json) {
    Json out = {{"summary", to_json(data.summary)},
                {"indicator", "Detected trafficking victims"},
                {"corridors", to_json(corr)},
                {"domestic", to_json(kept)}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  const auto& s = data.summary;
  std::cout << "glotip: " << s.rows_read << " rows read, " << s.imported << " imported, "
            << s.malformed.size() << " malformed values (left out), " << s.skipped << " skipped\n";
  for (size_t i = 0; i < s.malformed.size() && i < 10; ++i) {
    const auto& m = s.malformed[i];
    std::cout << "  line " << m.line << ": \"" << m.text << "\" (" << alpha3(m.country) << " "
              << m.year << ", " << m.indicator << ", " << m.category << ") is not a count\n";
  }
  if (s.malformed.size() > 10) std::cout << "  ... (--json lists them all)\n";
  std::cout << "unmapped or unknown values: " << s.unknown_values.size()
            << " distinct (--json lists them)\n\n";
  std::cout << "domestic share of detected victims with known citizenship ('<5' is 1-4):\n";
  for (const auto& r : kept) {
    if (r.total_known.hi == 0) continue;
    std::cout << "  " << alpha3(r.country) << " " << r.year << "  "
              << (r.share_lo == r.share_hi ? pct(r.share_lo)
                                           : pct(r.share_lo) + " - " + pct(r.share_hi))
              << "  (nationals " << r.domestic.lo
              << (r.domestic.exact() ? "" : "-" + std::to_string(r.domestic.hi)) << " of "
              << r.total_known.lo
              << (r.total_known.exact() ? "" : "-" + std::to_string(r.total_known.hi)) << ")\n";
  }
}

void summarise(const SummaryArgs& a) {
  Format format = parse_format(a.format);
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.file != "-") {
    file.open(a.file, std::ios::binary);
    if (!file) invalid("file", "cannot open " + a.file);
    in = &file;
  }
  if (format == Format::glotip) return summarise_glotip(*in, a);
  Filter filter = make_filter(a);
  auto imported = import_table(*in, format);
  report_errors(imported.summary.errors, imported.summary.error_count, a.skip_bad_rows);
  if (a.as_json)
    std::cout << records_json(imported.summary, imported.table, filter).dump(2) << "\n";
  else
    print_records_text(imported.summary, imported.table, filter);
}

// --- Commands over the store (--data DIR) ---------------------------------------------------

struct StoreArgs {
  std::string data_dir;
  bool as_json = false;
  FilterText filter;
};

// The store, its audit log and the service, for one command.
struct Session {
  std::unique_ptr<store::Store> store;
  audit::DirectoryTrustStore trust;
  audit::AuditLog log;
  FlowsService svc;
  explicit Session(const std::string& data_dir, bool create = false)
      : store(create ? cli::open_store(data_dir) : cli::open_existing_store(data_dir)),
        trust(cli::audit_files_dir(data_dir), cli::audit_key_file()),
        log(*store, trust),
        svc(*store, log) {}
};

void add_filter_options(CLI::App& cmd, FilterText& f) {
  cmd.add_option("--from", f.from, "First year (records of unknown year are then left out)");
  cmd.add_option("--to", f.to, "Last year");
  cmd.add_option("--country", f.country,
                 "Only records whose citizenship or country of exploitation is this ISO code");
  cmd.add_option("--region", f.region, "Only records with a country in this UN M49 region");
  cmd.add_option("--source", f.source, "Only this data source");
  cmd.add_option("--sex", f.sex, "female, male, transgender or unknown");
  cmd.add_option("--age", f.age, "An age band (0-8, 9-17, ..., 48+), minor, adult or unknown");
}

void print_json(const Json& j) { std::cout << j.dump(2) << "\n"; }

struct ImportArgs {
  std::string data_dir, file, format;
  bool dry_run = false, skip_bad_rows = false, as_json = false, quiet = false;
  double epsilon_budget = 1.0;
};

void import_command(const ImportArgs& a) {
  ImportRequest req;
  req.format = parse_format(a.format);
  req.dry_run = a.dry_run;
  req.skip_bad_rows = a.skip_bad_rows;
  req.epsilon_budget = a.epsilon_budget;
  req.file_name = a.file == "-" ? "stdin" : std::filesystem::path(a.file).filename().string();
  std::ifstream file;
  std::istream* in = &std::cin;
  int64_t total = 0;
  if (a.file != "-") {
    file.open(a.file, std::ios::binary);
    if (!file) invalid("file", "cannot open " + a.file);
    in = &file;
    std::error_code ec;
    total = static_cast<int64_t>(std::filesystem::file_size(a.file, ec));
    if (ec) total = 0;
  }
  auto bar = jobs::ProgressBar::on_stderr();
  bar.set_unit("bytes");
  jobs::Progress progress;
  if (!a.quiet)
    req.progress = [&](uint64_t bytes, uint64_t rows) {
      progress = jobs::advance(progress, static_cast<int64_t>(bytes),
                               std::max<int64_t>(total, static_cast<int64_t>(bytes)),
                               std::to_string(rows) + " rows");
      bar.update(progress);
    };
  // A dry run must not create a store where there is none.
  Session s(a.data_dir, !a.dry_run);
  ImportResult result;
  try {
    result = s.svc.import(auth::Actor::operator_named("cli"), *in, req);
  } catch (const ImportRejected& e) {
    if (!a.quiet) bar.finish(progress, "rejected");
    const auto& errors = e.summary["errors"];
    for (size_t i = 0; i < errors.size() && i < kErrorsShown; ++i)
      std::cerr << "ctip: line " << errors[i]["line"] << ", column " << errors[i]["column"]
                << (errors[i]["column_name"].get<std::string>().empty()
                        ? ""
                        : " (" + errors[i]["column_name"].get<std::string>() + ")")
                << ": " << errors[i]["message"].get<std::string>() << "\n";
    throw;
  }
  if (!a.quiet) {
    const auto read = static_cast<int64_t>(result.summary.value("rows_read", 0));
    progress = jobs::advance(progress, std::max(progress.done, total),
                             std::max(progress.done, total), std::to_string(read) + " rows");
    bar.finish(progress, a.dry_run ? "read (dry run)" : "imported");
  }
  if (a.as_json) {
    Json out = {{"dry_run", a.dry_run}, {"summary", result.summary}};
    if (result.import_id) out["import_id"] = *result.import_id;
    print_json(out);
    return;
  }
  const auto& sm = result.summary;
  std::cout << (a.dry_run ? "dry run, nothing stored: "
                          : "import " + std::to_string(*result.import_id) + ": ")
            << sm["rows_read"] << " rows read, " << sm["imported"] << " imported, " << sm["skipped"]
            << " skipped\n";
  if (sm.contains("ignored_columns") && !sm["ignored_columns"].empty())
    std::cout << "ignored columns: " << sm["ignored_columns"].dump() << "\n";
  if (sm.contains("unknown_values") && sm["unknown_values"].is_object()) {
    size_t shown = 0;
    for (const auto& [column, values] : sm["unknown_values"].items())
      for (const auto& v : values) {
        if (++shown > 20) break;
        std::cout << "  " << column << ": " << v["value"].dump() << " x " << v["count"]
                  << " -> unknown\n";
      }
    if (shown > 20) std::cout << "  ... (--json lists them all)\n";
  }
}

void print_corridors(const Json& j) {
  std::cout << "corridors (citizenship -> country of exploitation): " << j["records"]
            << " records, " << j["unknown"] << " with a country unknown\n";
  for (const auto& c : j["corridors"])
    std::cout << "  " << c["citizenship"].get<std::string>() << " -> "
              << c["exploitation"].get<std::string>() << "  " << c["count"] << "\n";
}

void print_domestic(const Json& j) {
  const bool by_year = j["by"] == "year";
  std::cout << "domestic share (citizenship = country of exploitation, both known), by "
            << j["by"].get<std::string>() << ":\n";
  for (const auto& r : j["rows"])
    std::cout << "  "
              << (by_year ? std::to_string(r["year"].get<int>()) : r["country"].get<std::string>())
              << "  " << pct(r["share"].get<double>()) << "  (" << r["domestic"] << " of "
              << r["total_known"] << "; " << r["unknown"] << " unknown)\n";
}

void print_shifts(const Json& j) {
  std::cout << j["series"] << " series, " << j["tested"] << " with enough records to test\n";
  size_t shown = 0;
  for (const auto& s : j["shifts"]) {
    if (s["verdict"] != "shift") continue;
    std::cout << "  * " << s["explanation"].get<std::string>() << "\n";
    ++shown;
  }
  if (shown == 0) std::cout << "  no shift flagged\n";
  if (!j["changepoints"].empty()) std::cout << "changepoints:\n";
  for (const auto& c : j["changepoints"])
    std::cout << "  * " << c["explanation"].get<std::string>() << "\n";
}

void add_store_commands(CLI::App& flows) {
  static ImportArgs imp;
  auto* import = flows.add_subcommand(
      "import", "Import a file into the store's flows dataset (all or nothing)");
  cli::add_data_option(*import, imp.data_dir);
  import->add_option("FILE", imp.file, "The CSV file, or - for standard input")->required();
  import->add_option("--format", imp.format, "The file's layout: " + std::string(kFormatNames))
      ->required();
  import->add_flag("--dry-run", imp.dry_run, "Read and report; store nothing");
  import->add_flag("--skip-bad-rows", imp.skip_bad_rows,
                   "Import the good rows of a file with row errors (the bad ones are listed)");
  import->add_option("--epsilon-budget", imp.epsilon_budget,
                     "The privacy budget of this dataset for differentially private releases "
                     "(default 1.0)");
  import->add_flag("--json", imp.as_json, "Print the import summary as JSON");
  import->add_flag("--quiet", imp.quiet, "No progress bar");
  import->footer(
      "The file lands whole or not at all: a row error (named by line and column) rejects the\n"
      "file, exit code 2, unless --skip-bad-rows. Unknown values (citizenship \"0\", -99) are\n"
      "not errors: they count as unknown in every figure and are listed in the summary.\n"
      "Examples:\n"
      "  ctip flows import --data ctip-data --format ctdc ctdc_global.csv\n"
      "  ctip flows import --data ctip-data --format glotip data_glotip_2025.csv --dry-run");
  import->callback([] { import_command(imp);
});

static StoreArgs a;
auto* imports = flows.add_subcommand("imports", "List the imports and their epsilon budgets");
cli::add_data_option(*imports, a.data_dir);
imports->add_flag("--json", a.as_json, "Print JSON");
imports->callback([] {
  Session s(a.data_dir);
  Json o = s.svc.overview();
  if (a.as_json) {
    o.erase("countries");
    return print_json(o);
  }
  std::cout << o["records"] << " case records, " << o["glotip_values"] << " GLOTIP values\n";
  for (const auto& i : o["imports"])
    std::cout << "  " << i["id"] << "  " << i["format"].get<std::string>() << "  "
              << i["file_name"].get<std::string>() << "  " << i["imported"] << " imported, "
              << i["skipped"] << " skipped  epsilon " << i["epsilon_spent"] << " of "
              << i["epsilon_budget"] << " spent  (" << i["created_at"].get<std::string>() << ")\n";
});

auto* corridors = flows.add_subcommand(
    "corridors", "The corridor matrix: citizenship -> country of exploitation (alpha-3)");
cli::add_data_option(*corridors, a.data_dir);
add_filter_options(*corridors, a.filter);
corridors->add_flag("--json", a.as_json, "Print [{\"citizenship\",\"exploitation\",\"count\"}]");
corridors->callback([] {
  Session s(a.data_dir);
  Json j = s.svc.corridors(parse_filter(a.filter));
  if (a.as_json) return print_json(j["corridors"]);
  print_corridors(j);
});

static std::string by = "year";
auto* domestic = flows.add_subcommand(
    "domestic", "The domestic share (citizenship = country of exploitation) by year or country");
cli::add_data_option(*domestic, a.data_dir);
domestic->add_option("--by", by, "year (default) or country")
    ->check(CLI::IsMember({"year", "country"}));
add_filter_options(*domestic, a.filter);
domestic->add_flag("--json", a.as_json,
                   "Print [{\"year\"|\"country\",\"domestic\",\"total_known\",\"share\"}]");
domestic->callback([] {
  Session s(a.data_dir);
  Json j =
      s.svc.domestic(by == "year" ? DomesticBy::year : DomesticBy::country, parse_filter(a.filter));
  if (a.as_json) return print_json(j["rows"]);
  print_domestic(j);
});

static std::string group = "exploitation";
auto* cats =
    flows.add_subcommand("categories",
                         "Forms of exploitation, labour, sexual exploitation, means of control or "
                         "recruiter relation by year");
cli::add_data_option(*cats, a.data_dir);
cats->add_option("--group", group, "exploitation (default), labour, sexual, control, recruiter");
add_filter_options(*cats, a.filter);
cats->add_flag("--json", a.as_json, "Print JSON");
cats->callback([] {
  auto g = parse_flag_group(group);
  if (!g) invalid("group", "group is one of exploitation, labour, sexual, control, recruiter");
  Session s(a.data_dir);
  Json j = s.svc.categories(*g, parse_filter(a.filter));
  if (a.as_json) return print_json(j);
  std::cout << group << " by year (" << j["unknown"] << " of " << j["records"]
            << " records without information):\n";
  for (const auto& y : j["years"]) {
    std::cout << "  " << y["year"] << "  n=" << y["known"];
    for (const auto& [cat, n] : y["counts"].items())
      if (n.get<int64_t>() > 0) std::cout << "  " << cat << " " << n;
    std::cout << "\n";
  }
});

static std::string baseline = "2017-2019", compare = "2020-2022";
auto* shifts = flows.add_subcommand(
    "shifts", "Shifts between a baseline and a comparison period, tested, with changepoints");
cli::add_data_option(*shifts, a.data_dir);
shifts->add_option("--baseline", baseline, "Baseline years (default 2017-2019)");
shifts->add_option("--compare", compare, "Comparison years (default 2020-2022)");
add_filter_options(*shifts, a.filter);
shifts->add_flag("--json", a.as_json, "Print JSON (every series, with its test and q-value)");
shifts->footer(
    "Counts: exact Poisson rate ratio; shares: Fisher's exact or two-proportion test;\n"
    "Benjamini-Hochberg q-values across every series; a series with too few records is\n"
    "never flagged. Changepoints: penalised Poisson segmentation of the yearly counts.");
shifts->callback([] {
  stats::ShiftCriteria c;
  c.baseline = parse_period(baseline, "baseline");
  c.compare = parse_period(compare, "compare");
  Session s(a.data_dir);
  Json j = s.svc.shifts(parse_filter(a.filter), c);
  if (a.as_json) return print_json(j);
  print_shifts(j);
});

auto* glotip = flows.add_subcommand(
    "glotip", "UNODC GLOTIP domestic shares per country-year ('<5' kept as an interval)");
cli::add_data_option(*glotip, a.data_dir);
static std::string glotip_by = "country";
glotip->add_option("--by", glotip_by, "country (country-years; the default) or year")
    ->check(CLI::IsMember({"year", "country"}));
glotip->add_option("--from", a.filter.from, "First year");
glotip->add_option("--to", a.filter.to, "Last year");
glotip->add_option("--country", a.filter.country, "One reporting country (ISO code)");
glotip->add_flag("--json", a.as_json, "Print JSON");
glotip->callback([] {
  Session s(a.data_dir);
  Json j = s.svc.glotip(glotip_by == "year" ? DomesticBy::year : DomesticBy::country,
                        parse_filter(a.filter));
  print_json(j["rows"]);
});

static std::optional<int64_t> k;
static std::optional<double> epsilon;
static int64_t per_person = 1;
static std::string out;
auto* release = flows.add_subcommand(
    "release", "Publish the corridor table: k-suppressed or differentially private (audited)");
cli::add_data_option(*release, a.data_dir);
release->add_option("--k", k, "Suppress cells below k (>= 2), with secondary suppression");
release->add_option("--epsilon", epsilon,
                    "Add discrete Laplace noise for epsilon-differential privacy (spends "
                    "epsilon from the budget of every dataset read)");
release->add_option("--max-records-per-person", per_person,
                    "Records one person can have (the sensitivity; default 1)");
release->add_option("--out", out, "Write the published table here (CSV; .json for JSON)")
    ->required();
add_filter_options(*release, a.filter);
release->footer(
    "A release with k < 2, epsilon <= 0 or over a dataset's budget is refused with the\n"
    "reason, and nothing is recorded. Every release records its parameters and the files it\n"
    "came from (SHA-256).\n"
    "Examples:\n"
    "  ctip flows release --data ctip-data --k 11 --out corridors.csv\n"
    "  ctip flows release --data ctip-data --epsilon 0.5 --out corridors.csv");
release->callback([] {
  if (k.has_value() == epsilon.has_value())
    invalid("k", "give either --k (suppression) or --epsilon (differential privacy)");
  ReleaseRequest req;
  req.k = k;
  req.epsilon = epsilon;
  req.max_records_per_person = per_person;
  req.filter = parse_filter(a.filter);
  req.filter_json = to_json(a.filter);
  Session s(a.data_dir);
  Json r = s.svc.release(auth::Actor::operator_named("cli"), req)["release"];
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  if (!f) invalid("out", "cannot write " + out);
  if (out.ends_with(".json"))
    f << r.dump(2) << "\n";
  else
    f << s.svc.release_csv(r["id"].get<int64_t>());
  if (!f) invalid("out", "cannot write " + out);
  std::cout << "release " << r["id"] << ": ";
  if (r["method"] == "k")
    std::cout << "k = " << *k << ", " << r["table"]["suppressed"]
              << " cells suppressed (primary and secondary)";
  else
    std::cout << "epsilon = " << *epsilon << ", discrete Laplace noise of scale "
              << r["table"]["scale"];
  std::cout << "; written to " << out << "\n";
  if (epsilon && !r["epsilon_remaining"].is_null())
    std::cout << "epsilon left (the least of the datasets read): " << r["epsilon_remaining"]
              << "\n";
});
}  // namespace

}  // namespace ctip::flows

void add_commands(CLI::App& app) {
  auto* flows = app.add_subcommand(
      "flows",
      "Trafficking flows: corridors, domestic trafficking and forms of exploitation "
      "from case records (CTDC, HTCDS) and UNODC country data (GLOTIP)");
  flows->require_subcommand(1);
  flows->footer(
      "Example:\n  ctip flows summary ctdc_global.csv --format ctdc --json\n"
      "Figures count records; an unknown value (citizenship \"0\", \"-99\", empty) is unknown in "
      "every figure, never a country.");
  static SummaryArgs args;
  auto* summary = flows->add_subcommand(
      "summary", "Read a file and print its import summary and aggregates (nothing is stored)");
  summary->add_option("FILE", args.file, "The CSV file, or - for standard input")->required();
  summary->add_option("--format", args.format, "The file's layout: " + std::string(kFormatNames))
      ->required();
  summary->add_flag("--json", args.as_json, "Print JSON (every aggregate)");
  summary->add_flag("--skip-bad-rows", args.skip_bad_rows,
                    "Leave rows with errors out (they are still listed) instead of failing");
  summary->add_option("--from", args.from, "First year (records of unknown year are left out)");
  summary->add_option("--to", args.to, "Last year");
  summary->add_option("--country", args.country,
                      "Only records whose citizenship or country of exploitation is this ISO "
                      "code (NGA or NG)");
  summary->add_option("--region", args.region,
                      "Only records with a country in this UN M49 region, e.g. \"Western "
                      "Africa\", \"Europe\" (case records only)");
  summary->add_option("--source", args.source,
                      "Only this data source, e.g. \"Case Management\" (case records only)");
  summary->add_option("--sex", args.sex, "female, male, transgender or unknown (case records)");
  summary->add_option("--age", args.age,
                      "An age band (0-8, 9-17, 18-20, ..., 48+), minor, adult or unknown");
  summary->footer(
      "Formats:\n"
      "  ctdc            CTDC global dataset (2017 data dictionary): any subset of its columns in\n"
      "                  any order; citizenship and CountryOfExploitation as ISO alpha-2; flags\n"
      "                  0/1, 0.0/1.0, true/false, -99 or empty\n"
      "  ctdc-synthetic  CTDC global synthetic dataset (2024 codebook): alpha-3, flags 1 or empty\n"
      "  htcds           IOM HTCDS 2.0 field names (prs_Citizenship, vic_LocationOfExploitation,\n"
      "                  vic_TypeOfExploitation, vic_MethodsOfControl, ...); multiselect values\n"
      "                  separated by ;\n"
      "  glotip          UNODC GLOTIP country data (data_glotip, sheet 1, as CSV): '<5' is a "
      "count\n"
      "                  of 1 to 4 and stays an interval through every sum\n"
      "Errors name the line and column (ragged rows, invalid UTF-8, impossible years, flags\n"
      "none of the accepted spellings) and make the exit code 2 unless --skip-bad-rows.\n"
      "Examples:\n"
      "  ctip flows summary ctdc_global.csv --format ctdc --from 2017 --to 2019\n"
      "  ctip flows summary data_glotip_2025.csv --format glotip --country ARG --json");
  summary->callback([] { summarise(args); });
  add_store_commands(*flows);
}

}  // namespace ctip::flows
