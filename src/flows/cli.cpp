// ctip flows summary: the aggregates of a case-record file (CTDC, CTDC synthetic, HTCDS) or of
// UNODC's GLOTIP country data, straight from the file, without a store. The file is streamed;
// nothing is written. Row errors name the line and column; any of them makes the exit code 2
// unless --skip-bad-rows is given.
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/text.h"
#include "flows/aggregate.h"
#include "flows/capability.h"
#include "flows/glotip.h"
#include "flows/import.h"
#include "flows/regions.h"
#include "flows/report.h"

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
  Filter f;
  if (a.from) f.year_from = a.from;
  if (a.to) f.year_to = a.to;
  if (!a.country.empty()) {
    auto c = country_code(a.country);
    if (!c) invalid("country", "\"" + a.country + "\" is not an ISO 3166 alpha-2 or alpha-3 code");
    f.country = c;
  }
  if (!a.region.empty()) {
    countries_in_region(a.region);  // throws, naming the regions, for an unknown name
    f.region = a.region;
  }
  if (!a.source.empty()) f.source = a.source;
  if (!a.sex.empty()) {
    f.sex = parse_sex(a.sex);
    if (!f.sex) invalid("sex", "sex is one of unknown, female, male, transgender");
  }
  if (!a.age.empty()) {
    f.age = parse_age_group(a.age);
    if (!f.age)
      invalid("age",
              "age is one of 0-8, 9-17, 18-20, 21-23, 24-26, 27-29, 30-38, 39-47, 48+, "
              "minor, adult, unknown");
  }
  return f;
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

}  // namespace

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
}

}  // namespace ctip::flows
