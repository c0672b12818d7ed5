// The evidence package of one network (issue #10 item 6): network.json (the network as the
// store holds it: profile, risk and reasons, every link with its evidence, the ads with the
// offsets of what they share), report.html (self-contained: no script, no external resource;
// the ads with shared template words, selectors and indicators highlighted, a timeline, the
// movement path between cities and the templates with their slots) and manifest.json listing
// each file's SHA-256 (libsodium). verify_package re-checks a package against its manifest.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>  // Json held by value
#include <string>
#include <vector>

#include "core/json_input.h"

namespace ctip::online {

struct PackageFile {
  std::string name;     // "network.json", "report.html"
  std::string content;  // the bytes
  std::string sha256;   // hex
};

struct EvidencePackage {
  std::vector<PackageFile> files;  // network.json, report.html
  Json manifest;          // {"format", "network", "created_at", "files": [{name, sha256, bytes}]}
  int64_t export_id = 0;  // the online_exports row, once recorded
  std::string manifest_text() const { return manifest.dump(2) + "\n"; }
};

// Builds the package from GET network's JSON (OnlineService::network).
EvidencePackage build_package(const Json& network, const std::string& created_at,
                              const std::string& created_by);
// Writes network.json, report.html and manifest.json into dir (created when absent).
void write_package(const EvidencePackage& package, const std::filesystem::path& dir);

struct VerifyResult {
  bool ok = true;
  std::vector<std::string> problems;  // "report.html: SHA-256 differs from the manifest", ...
  size_t files = 0;
};
// Re-reads manifest.json in dir and every file it lists: each must be there with its SHA-256.
// A file in dir that the manifest does not list is a problem too.
VerifyResult verify_package(const std::filesystem::path& dir);

// The report alone (build_package calls it).
std::string report_html(const Json& network);

}  // namespace ctip::online
