// The one-pass analysis of an ads file (issue #10, `ctip ads analyze`): ingest (ingest.h), the
// text pass per ad (ad_text.h: normalisation, selectors, indicators) on every core, near-duplicate
// clusters (linking/cluster.h) fed batch by batch, and the networks (linking/network.h). Only
// the features the linking needs are kept per ad (an ad's words are dropped once its shingles
// are in the index), so memory grows with the number of ads, not with their text.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "online/ingest.h"
#include "online/lexicon.h"
#include "online/linking/network.h"
#include "online/selectors.h"

namespace ctip::online {

struct AnalyzeOptions {
  AdFormat format = AdFormat::csv;
  IngestOptions ingest;       // columns, limits, strict
  std::string region = "US";  // phone numbers without a country code or a known location
  unsigned threads = 0;       // the text pass; 0: the machine's cores
  // The size of the input in bytes when known (a file): after the first batch the memory for
  // all ads is reserved from it, instead of growing and moving hundreds of megabytes.
  uint64_t input_bytes = 0;
  std::function<void(uint64_t rows)> progress;
};

struct AnalyzeResult {
  IngestSummary summary;
  std::vector<linking::AdFeatures> ads;  // in file order, without their words
  std::vector<uint32_t> cluster_of;      // per ad: its cluster's first ad
  std::vector<uint32_t> cluster_size;    // per ad: the size of its cluster
  linking::NetworkAnalysis networks;
  // Wall-clock seconds of the stages: reading with the text pass and sketches (one pipeline),
  // clustering (union-find over the candidates), linking the networks.
  double pass_seconds = 0, cluster_seconds = 0, network_seconds = 0;
};

AnalyzeResult analyze_ads(std::istream& in, const AnalyzeOptions& options);

// One ad's features as the pass computes them (the text pass, its selectors mapped to the
// linking engine's kinds, city and site lower-cased, first-person wording); the store keeps them
// (online_service.h).
linking::AdFeatures ad_features(const Ad& ad, const Lexicon& lexicon, Lexicon::Scratch& scratch,
                                const SelectorOptions& options);

// id,cluster,network: cluster is the id of the cluster's first ad when the cluster has two ads
// or more, network the network's id (its first ad's id); empty otherwise.
void write_ads_csv(const AnalyzeResult& result, std::ostream& out);
// {"summary": ..., "networks": [...ranked...], "too_common": [...]}: each network with its ads,
// selectors, sites, cities, movement path, posting rate, indicators, risk and reasons, and the
// evidence of each link (which phone, which template), at most `max_links` links a network.
// Written network by network (a line each), never held whole in memory.
void write_networks_json(const AnalyzeResult& result, std::ostream& out, size_t max_links = 200);
// One network of `analysis` as JSON text, as write_networks_json writes it, appended to `out`; its
// ads and templates named by `id_of`, which appends the JSON of an ad's id (its id in the file;
// the store passes its row id).
// `via_of`, when given, appends the JSON of evidence i (a link's "via"), as this function
// would write it: write_networks_json serialises each once.
using AppendId = std::function<void(std::string& out, uint32_t ad)>;
void append_network_json(std::string& out, const linking::Network& network, size_t rank,
                         const linking::NetworkAnalysis& analysis, const AppendId& id_of,
                         size_t max_links, const AppendId& via_of = nullptr);

}  // namespace ctip::online
