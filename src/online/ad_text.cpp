#include "online/ad_text.h"

namespace ctip::online {

AdText analyze_ad_text(const Ad& ad, const Lexicon& lexicon, Lexicon::Scratch& scratch,
                       const SelectorOptions& options) {
  AdText out;
  analyze_ad_text_into(ad, lexicon, scratch, options, out);
  return out;
}

void analyze_ad_text_into(const Ad& ad, const Lexicon& lexicon, Lexicon::Scratch& scratch,
                          const SelectorOptions& options, AdText& out) {
  normalize_into(ad.body, out.body);
  out.selectors = ad_selectors(ad, out.body, options);
  out.indicators = lexicon.match(out.body, scratch);
}

}  // namespace ctip::online
