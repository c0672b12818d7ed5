#include "online/ad_text.h"

namespace ctip::online {

AdText analyze_ad_text(const Ad& ad, const Lexicon& lexicon, Lexicon::Scratch& scratch,
                       const SelectorOptions& options) {
  AdText out;
  out.body = normalize(ad.body);
  out.selectors = ad_selectors(ad, out.body, options);
  out.indicators = lexicon.match(out.body, scratch);
  return out;
}

}  // namespace ctip::online
