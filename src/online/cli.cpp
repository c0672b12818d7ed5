// ctip ads analyze: an ads file (CSV or JSON Lines) to clusters of near-duplicate ads and ranked
// networks, in one pass and without a store (issue #10 item 7). Writes DIR/ads.csv
// (id,cluster,network) and DIR/networks.json; bad rows are listed with their line numbers and
// skipped, or refuse the run with --strict.
// ctip ads ingest|networks|network|report|verify|indicators: the same engine over the store,
// through OnlineService (online_service.h), as the API's routes call it.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "audit/trust_store.h"
#include "cli/commands.h"
#include "core/error.h"
#include "jobs/progress_bar.h"
#include "online/analyze.h"
#include "online/capability.h"
#include "online/online_service.h"

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

  o.input_bytes = static_cast<uint64_t>(total);
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
  if (!a.quiet) bar.finish(progress, std::to_string(r.summary.ingested) + " ads");

  const auto dir = std::filesystem::path(a.out);
  {
    // The two files at once: ads.csv on its own thread while networks.json is serialised.
    auto csv_written = std::async(std::launch::async, [&] {
      std::ofstream csv(dir / "ads.csv", std::ios::binary | std::ios::trunc);
      write_ads_csv(r, csv);
      if (!csv) invalid("out", "cannot write " + (dir / "ads.csv").string());
    });
    std::ofstream json(dir / "networks.json", std::ios::binary | std::ios::trunc);
    write_networks_json(r, json);
    csv_written.get();  // rethrows the thread's error, if any
    if (!json) invalid("out", "cannot write " + (dir / "networks.json").string());
  }
  // From the first byte read to the last byte written.
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (size_t i = 0; i < r.summary.issues.size() && i < 20; ++i)
    std::cerr << "ctip: " << to_string(r.summary.issues[i]) << "\n";
  if (r.summary.issue_count > 20)
    std::cerr << "ctip: ... and " << r.summary.issue_count - 20
              << " more (networks.json lists the first 1,000)\n";
  size_t organised = 0, clustered = 0;
  for (const auto& n : r.networks.networks) organised += n.organised;
  for (uint32_t s : r.cluster_size) clustered += s >= 2;
  std::cout << r.summary.ingested << " ads (" << r.summary.skipped << " rows skipped) in "
            << static_cast<int64_t>(seconds * 1000) << " ms (read and text pass "
            << static_cast<int64_t>(r.pass_seconds * 1000) << " ms, clusters "
            << static_cast<int64_t>(r.cluster_seconds * 1000) << " ms, networks "
            << static_cast<int64_t>(r.network_seconds * 1000) << " ms, writing "
            << static_cast<int64_t>(
                   (seconds - r.pass_seconds - r.cluster_seconds - r.network_seconds) * 1000)
            << " ms): " << clustered << " in near-duplicate clusters, "
            << r.networks.networks.size() << " networks, " << organised << " ranked as organised, "
            << r.networks.too_common.size() << " values too common to link\n"
            << "wrote " << (dir / "ads.csv").string() << " and " << (dir / "networks.json").string()
            << "\n";
  // The command is the process's last work: the result's memory (a million ads' features and
  // their 100,000 networks) goes back to the system when it exits. Freed one allocation at a time
  // it took some 0.5 s of the 1M-ad run. Under the sanitizers it is freed, for their leak check.
#ifndef __SANITIZE_ADDRESS__
  static_cast<void>(new AnalyzeResult(std::move(r)));
#endif
}

struct Session {
  std::unique_ptr<store::Store> store;
  audit::DirectoryTrustStore trust;
  audit::AuditLog log;
  OnlineService svc;
  explicit Session(const std::string& data_dir, bool create = false)
      : store(create ? cli::open_store(data_dir) : cli::open_existing_store(data_dir)),
        trust(cli::audit_files_dir(data_dir), cli::audit_key_file()),
        log(*store, trust),
        svc(*store, log) {}
};

const auth::Actor kOperator = auth::Actor::operator_named("cli");

struct StoreArgs {
  std::string data_dir, org, file, format, columns, region = "US", out, dir;
  int64_t network = 0, limit = 100;
  bool strict = false, quiet = false, as_json = false;
};

void print_json(const Json& j) { std::cout << j.dump(2) << "\n"; }

void ingest_command(const StoreArgs& a) {
  IngestRequest req;
  if (!a.format.empty()) {
    req.format = parse_ad_format(a.format);
  } else if (auto f = format_of_path(a.file)) {
    req.format = *f;
  } else {
    invalid("format", "cannot tell the format from the file name: give --format csv or jsonl");
  }
  if (!a.columns.empty()) req.ingest.columns = parse_column_mapping(a.columns);
  req.ingest.strict = a.strict;
  req.region = a.region;
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
  if (!a.quiet) {
    req.progress = [&](uint64_t bytes, uint64_t rows) {
      const auto at = static_cast<int64_t>(bytes);
      if (at <= progress.done) return;
      progress =
          jobs::advance(progress, at, std::max(total, at), std::to_string(rows) + " ads read");
      bar.update(progress);
    };
    req.stage = [&](const std::string& stage) {
      progress.message = stage;
      bar.update(progress);
    };
  }
  Session s(a.data_dir, true);
  const int64_t org = s.svc.operator_org(a.org, true);
  IngestResult r = s.svc.ingest(kOperator, org, *in, req);
  if (!a.quiet) bar.finish(progress, "");
  const auto& issues = r.summary["issues"];
  for (size_t i = 0; i < issues.size() && i < 20; ++i)
    std::cerr << "ctip: line " << issues[i]["line"] << ", field "
              << issues[i]["field"].get<std::string>() << ": "
              << issues[i]["message"].get<std::string>()
              << (issues[i]["skipped"].get<bool>() ? " (skipped)" : "") << "\n";
  if (issues.size() > 20)
    std::cerr << "ctip: ... and " << r.summary["issue_count"].get<int64_t>() - 20 << " more\n";
  if (a.as_json)
    return print_json({{"ingest", r.ingest_id}, {"summary", r.summary}, {"analysis", r.analysis}});
  std::cout << "ingest " << r.ingest_id << ": " << r.summary["ingested"] << " ads stored, "
            << r.summary["skipped"] << " rows skipped\n"
            << r.analysis["recomputed"].get<std::string>() << " (" << r.analysis["ads"]
            << " stored ads): " << r.analysis["clusters"] << " clusters, " << r.analysis["networks"]
            << " networks (" << r.analysis["organised"] << " ranked as organised), "
            << r.analysis["too_common"] << " values too common to link\n";
}

void networks_command(const StoreArgs& a) {
  Session s(a.data_dir);
  Json j = s.svc.networks(s.svc.operator_org(a.org, false), a.limit);
  if (a.as_json) return print_json(j);
  std::cout << "RANK  ID        RISK  ORGANISED  ADS   CITIES\n";
  for (const auto& n : j["networks"]) {
    std::string cities;
    for (const auto& c : n["cities"]) cities += (cities.empty() ? "" : ", ") + c.get<std::string>();
    std::printf("%-5lld %-9lld %5.1f  %-9s  %-5lld %s\n",
                static_cast<long long>(n["rank"].get<int64_t>()),
                static_cast<long long>(n["id"].get<int64_t>()), n["risk"].get<double>(),
                n["organised"].get<bool>() ? "yes" : "no",
                static_cast<long long>(n["ads"].get<int64_t>()), cities.c_str());
  }
  std::cout << j["total"] << " networks; " << j["too_common"].size()
            << " values too common to link (--json lists them)\n";
}

void report_command(const StoreArgs& a) {
  Session s(a.data_dir);
  auto package = s.svc.export_evidence(kOperator, std::nullopt, a.network);
  write_package(package, a.out);
  std::cout << "wrote " << (std::filesystem::path(a.out) / "network.json").string() << ", "
            << (std::filesystem::path(a.out) / "report.html").string() << " and "
            << (std::filesystem::path(a.out) / "manifest.json").string() << " (export "
            << package.export_id << ", audited ads.evidence.export)\n";
}

void verify_command(const StoreArgs& a) {
  auto r = verify_package(a.dir);
  for (const auto& p : r.problems) std::cerr << "ctip: " << p << "\n";
  if (!r.ok)
    throw Error(ErrorCode::integrity,
                "the evidence package in " + a.dir + " does not match its manifest");
  std::cout << "ok: " << r.files << " files match manifest.json\n";
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

  static StoreArgs st;
  auto* ingest = ads->add_subcommand(
      "ingest", "Add an ads file to the store; the clusters and networks are recomputed");
  cli::add_data_option(*ingest, st.data_dir);
  ingest->add_option("file", st.file, "The ads file (CSV or JSON Lines), or - for standard input")
      ->required();
  ingest->add_option("--org", st.org,
                     "The organisation whose ads these are (created when new; default: the "
                     "store's only organisation)");
  ingest->add_option("--format", st.format, "csv or jsonl (default: from the file name)");
  ingest->add_option("--columns", st.columns,
                     "Which file column feeds which field, e.g. body=text");
  ingest->add_option("--region", st.region, "Region of phone numbers without a country code");
  ingest->add_flag("--strict", st.strict, "Refuse the file at the first bad row (nothing stored)");
  ingest->add_flag("--quiet", st.quiet, "No progress bar");
  ingest->add_flag("--json", st.as_json, "Print {\"ingest\",\"summary\",\"analysis\"}");
  ingest->footer(
      "Bad rows (invalid UTF-8, oversized fields, missing or duplicate ids, ids already stored,\n"
      "unparseable dates) are listed with their line numbers and skipped; --strict refuses the\n"
      "file instead. The file is stored in one transaction: a failure leaves the store as it was.\n"
      "Each ad's text pass runs once; the clusters and networks are then recomputed over all the\n"
      "organisation's stored ads (new ads join the clusters of the stored ones). Audited "
      "ads.ingest.\n"
      "Example:\n  ctip ads ingest --data ./ctip-data ads.csv");
  ingest->callback([] { ingest_command(st); });

  auto* networks = ads->add_subcommand("networks", "The stored networks, ranked by risk");
  cli::add_data_option(*networks, st.data_dir);
  networks->add_option("--org", st.org, "The organisation (default: the store's only one)");
  networks->add_option("--limit", st.limit, "At most this many")->check(CLI::Range(1, 100000));
  networks->add_flag("--json", st.as_json,
                     "Print {\"analysis\",\"total\",\"networks\",\"too_common\",\"ingests\"} as "
                     "GET /api/v1/ads/networks");
  networks->footer("Example:\n  ctip ads networks --data ./ctip-data --json");
  networks->callback([] { networks_command(st); });

  auto* network = ads->add_subcommand("network", "One network with its ads, links and templates");
  cli::add_data_option(*network, st.data_dir);
  network->add_option("--network", st.network, "The network's id (from ctip ads networks)")
      ->required();
  network->footer("Prints GET /api/v1/ads/networks/{id}'s JSON.");
  network->callback([] {
    Session s(st.data_dir);
    print_json(s.svc.network(std::nullopt, st.network));
  });

  auto* report = ads->add_subcommand(
      "report", "Export a network's evidence package: network.json, report.html, manifest.json");
  cli::add_data_option(*report, st.data_dir);
  report->add_option("--network", st.network, "The network's id (from ctip ads networks)")
      ->required();
  report->add_option("--out", st.out, "The directory to write the package into")->required();
  report->footer(
      "report.html is self-contained (no script, nothing fetched). manifest.json lists each\n"
      "file's SHA-256; ctip ads verify --dir DIR re-checks them. Audited ads.evidence.export.\n"
      "Example:\n  ctip ads report --data ./ctip-data --network 17 --out evidence-17");
  report->callback([] { report_command(st); });

  auto* verify = ads->add_subcommand("verify", "Check an evidence package against its manifest");
  verify->add_option("--dir", st.dir, "The package's directory")->required();
  verify->footer(
      "Exit 0 when every file the manifest lists is there with its SHA-256 and nothing else is;\n"
      "exit 1 naming each file that differs.\nExample:\n  ctip ads verify --dir evidence-17");
  verify->callback([] { verify_command(st); });

  auto* indicators = ads->add_subcommand(
      "indicators", "The indicator lexicon with analysts' verdicts and measured precision");
  cli::add_data_option(*indicators, st.data_dir);
  indicators->add_option("--org", st.org, "The organisation (default: the store's only one)");
  indicators->callback([] {
    Session s(st.data_dir);
    print_json(s.svc.indicators(s.svc.operator_org(st.org, false)));
  });
}

}  // namespace ctip::online
