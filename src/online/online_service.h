// The online ads use cases (issue #10), each written once and called by the routes (routes.cpp),
// `ctip ads ingest|networks|network|report|feedback` (cli.cpp) and `ctip demo`: ingesting an
// ads file into an organisation's store (all or nothing, audited "ads.ingest"), the ranked
// networks and one network with its ads, links, templates and movement path, analysts'
// feedback on indicators with their measured precision (audited "ads.indicator.feedback"), and
// the evidence package of a network (audited "ads.evidence.export").
//
// Ingest is incremental in what it stores: each ad's text pass (normalisation, selectors,
// indicators) runs once, when it is ingested, and its features are kept. The clusters and the
// networks are then recomputed over all of the organisation's stored features in the same
// transaction: the near-duplicate index gives the same clusters whether ads come in one batch
// or many (linking/cluster.h), so new ads join the clusters of the ads stored before them, and
// a network can grow or merge when a new ad links two. README.md, "The store", says what this
// costs.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <nlohmann/json.hpp>  // Json held by value
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/actor.h"
#include "core/error.h"
#include "core/json_input.h"
#include "online/evidence.h"
#include "online/ingest.h"
#include "store/store.h"

namespace ctip::online {

struct IngestRequest {
  AdFormat format = AdFormat::csv;
  std::string file_name;      // shown in listings
  IngestOptions ingest;       // columns, limits, strict
  std::string region = "US";  // phone numbers without a country code or a known location
  // Called as the file is read (bytes and rows so far) and as the analysis runs.
  std::function<void(uint64_t bytes, uint64_t rows)> progress;
  std::function<void(const std::string& stage)> stage;
};

struct IngestResult {
  int64_t ingest_id = 0;
  Json summary;   // rows_read, ingested, skipped, issues (line, field, message)
  Json analysis;  // ads, clusters, networks, organised, too_common
};

class OnlineService {
 public:
  OnlineService(store::Store& store, audit::AuditLog& audit) : store_(store), audit_(audit) {}

  // Reads the file, skips its bad rows (and ids the organisation already holds) with their line
  // numbers in the summary, stores the good ones with their features and recomputes the
  // organisation's clusters and networks; one write transaction, so a failure (or a strict
  // refusal: Error(invalid_argument) naming the line) leaves the store as it was.
  IngestResult ingest(const auth::Actor& actor, int64_t org_id, std::istream& in,
                      const IngestRequest& request);

  // {"analysis": {...} | null, "networks": [...ranked summaries...], "too_common": [...],
  //  "ingests": [...]}
  Json networks(int64_t org_id, int64_t limit = 100);
  // One network: its stored profile and links, its ads with highlights (offsets into each ad's
  // body: shared template words, selectors, indicators), its templates and its movement path.
  // Error(not_found) when absent or of another organisation (org_id given).
  Json network(std::optional<int64_t> org_id, int64_t network_id);

  // An analyst's verdict on an indicator the lexicon found in an ad: true or false positive.
  // Error(invalid_argument) for an unknown indicator, or one the ad does not have; not_found for
  // an ad of another organisation. Audited.
  Json indicator_feedback(const auth::Actor& actor, int64_t org_id, const std::string& indicator,
                          int64_t ad_id, bool true_positive);
  // Every lexicon indicator with its weight and the organisation's verdicts: true and false
  // positives and the measured precision (null before any verdict).
  Json indicators(int64_t org_id);

  // The network's evidence package (evidence.h), recorded and audited; the caller writes or
  // sends it.
  EvidencePackage export_evidence(const auth::Actor& actor, std::optional<int64_t> org_id,
                                  int64_t network_id);

  // The organisation an operator's command works on (CLI): the one named (created as an
  // online_platform when `create` and new); without a name, the store's only organisation, or
  // a new "Local analysis" one when `create` and there is none. Error(invalid_argument, "org")
  // otherwise.
  int64_t operator_org(const std::string& name, bool create);

  // The organisation whose data a network is (the routes' ownership check).
  static std::optional<int64_t> network_org(store::Connection& c, int64_t network_id);

 private:
  store::Store& store_;
  audit::AuditLog& audit_;
};

}  // namespace ctip::online
