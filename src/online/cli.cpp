// ctip ads analyze: an ads file (CSV or JSON Lines) to clusters of near-duplicate ads and ranked
// networks, in one pass and without a store (issue #10 item 7). Writes DIR/ads.csv
// (id,cluster,network) and DIR/networks.json; bad rows are listed with their line numbers and
// skipped, or refuse the run with --strict.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/error.h"
#include "jobs/progress_bar.h"
#include "online/analyze.h"
#include "online/capability.h"

namespace ctip::online {
namespace {

struct AnalyzeArgs {
  std::string in, out, format, columns, region = "US";
  bool strict = false, quiet = false;
};

void analyze_command(const AnalyzeArgs& a) {
  AnalyzeOptions o;
  if (!a.format.empty()) {
    o.format = parse_ad_format(a.format);
  } else if (auto f = format_of_path(a.in)) {
    o.format = *f;
  } else {
    invalid("format", "cannot tell the format from the file name: give --format csv or jsonl");
  }
  if (!a.columns.empty()) o.ingest.columns = parse_column_mapping(a.columns);
  o.ingest.strict = a.strict;
  o.region = a.region;
  std::ifstream file;
  std::istream* in = &std::cin;
  int64_t total = 0;
  if (a.in != "-") {
    file.open(a.in, std::ios::binary);
    if (!file) invalid("in", "cannot open " + a.in);
    in = &file;
    std::error_code ec;
    total = static_cast<int64_t>(std::filesystem::file_size(a.in, ec));
    if (ec) total = 0;
  }
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (ec || !std::filesystem::is_directory(a.out))
    invalid("out", "cannot create the directory " + a.out);

  auto bar = jobs::ProgressBar::on_stderr();
  bar.set_unit("bytes");
  jobs::Progress progress;
  if (!a.quiet)
    o.progress = [&](uint64_t rows) {
      const auto at = static_cast<int64_t>(file.is_open() ? static_cast<int64_t>(file.tellg()) : 0);
      if (at <= progress.done) return;
      progress = jobs::advance(progress, at, std::max(total, at), std::to_string(rows) + " ads");
      bar.update(progress);
    };
  const auto started = std::chrono::steady_clock::now();
  AnalyzeResult r = analyze_ads(*in, o);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!a.quiet) bar.finish(progress, std::to_string(r.summary.ingested) + " ads");

  const auto dir = std::filesystem::path(a.out);
  {
    std::ofstream csv(dir / "ads.csv", std::ios::binary | std::ios::trunc);
    write_ads_csv(r, csv);
    if (!csv) invalid("out", "cannot write " + (dir / "ads.csv").string());
  }
  {
    std::ofstream json(dir / "networks.json", std::ios::binary | std::ios::trunc);
    json << networks_json(r).dump(1) << "\n";
    if (!json) invalid("out", "cannot write " + (dir / "networks.json").string());
  }
  for (size_t i = 0; i < r.summary.issues.size() && i < 20; ++i)
    std::cerr << "ctip: " << to_string(r.summary.issues[i]) << "\n";
  if (r.summary.issue_count > 20)
    std::cerr << "ctip: ... and " << r.summary.issue_count - 20
              << " more (networks.json lists the first 1,000)\n";
  size_t organised = 0, clustered = 0;
  for (const auto& n : r.networks.networks) organised += n.organised;
  for (uint32_t s : r.cluster_size) clustered += s >= 2;
  std::cout << r.summary.ingested << " ads (" << r.summary.skipped << " rows skipped) in "
            << static_cast<int64_t>(seconds * 1000) << " ms: " << clustered
            << " in near-duplicate clusters, " << r.networks.networks.size() << " networks, "
            << organised << " ranked as organised, " << r.networks.too_common.size()
            << " values too common to link\n"
            << "wrote " << (dir / "ads.csv").string() << " and " << (dir / "networks.json").string()
            << "\n";
}

}  // namespace

void add_commands(CLI::App& app) {
  auto* ads = app.add_subcommand(
      "ads", "Online ads: near-duplicate templates, shared selectors and ranked networks");
  ads->require_subcommand(1);
  static AnalyzeArgs a;
  auto* analyze = ads->add_subcommand(
      "analyze", "Analyse an ads file in one pass: clusters, networks, their evidence and risk");
  analyze->add_option("--in", a.in, "The ads file (CSV or JSON Lines), or - for standard input")
      ->required();
  analyze->add_option("--out", a.out, "The directory for ads.csv and networks.json")->required();
  analyze->add_option("--format", a.format, "csv or jsonl (default: from the file name)");
  analyze->add_option("--columns", a.columns,
                      "Which file column feeds which field, e.g. body=text,id=ad_id (the usual "
                      "names are detected)");
  analyze->add_option("--region", a.region,
                      "Region of phone numbers written without a country code when the ad's "
                      "location does not tell (ISO 3166 alpha-2; default US)");
  analyze->add_flag("--strict", a.strict, "Refuse the run at the first bad row");
  analyze->add_flag("--quiet", a.quiet, "No progress bar");
  analyze->footer(
      "Fields: id and body required; title, posted_at, location (or city), site, phone, email,\n"
      "image_hash optional. Output: ads.csv with columns id,cluster,network (empty where an ad\n"
      "is in no cluster or network) and networks.json, networks ranked by a risk score with its\n"
      "reasons and the evidence of every link (which phone, which template). A value shared by\n"
      "very many unrelated ads (an agency's number) is reported as too common, not linked.\n"
      "A network is a lead, not proof.\n"
      "Example:\n  ctip ads analyze --in ads.csv --out ads-analysis");
  analyze->callback([] { analyze_command(a); });
}

}  // namespace ctip::online
