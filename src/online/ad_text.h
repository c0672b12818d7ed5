// One ad's text through the whole engine in one call (issue #10): the normalised body with its
// tokens (shingles for near-duplicate templates, src/online/linking), its selectors (links between
// ads) and its indicator profile (risk). What the ingest pipeline computes per ad, once.
#pragma once

#include <vector>

#include "online/ingest.h"
#include "online/lexicon.h"
#include "online/normalize.h"
#include "online/selectors.h"

namespace ctip::online {

struct AdText {
  NormalizedText body;              // normalize(ad.body): text, tokens, origins
  std::vector<Selector> selectors;  // ad_selectors(ad, body, options)
  IndicatorProfile indicators;      // lexicon.match(body, scratch)
};

// Pure and per ad: call it from several threads, each with its own scratch.
AdText analyze_ad_text(const Ad& ad, const Lexicon& lexicon, Lexicon::Scratch& scratch,
                       const SelectorOptions& options = {});
// The same into `out`, reusing its buffers.
void analyze_ad_text_into(const Ad& ad, const Lexicon& lexicon, Lexicon::Scratch& scratch,
                          const SelectorOptions& options, AdText& out);

}  // namespace ctip::online
