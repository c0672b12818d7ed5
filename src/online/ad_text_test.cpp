#include "online/ad_text.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ctip::online {
namespace {

// A messy CSV row through ingest and the whole text engine: HTML, an obfuscated phone, the city
// as region hint, indicators, and offsets that point into the stored body.
TEST(AdText, FromAMessyFileToSelectorsAndIndicators) {
  std::istringstream in(
      "post_id,description,city\n"
      "p1,\"<p>NEW in town &amp; just arrived 💋 llama ⑥①② ③④⑤ ⑥⑦⑧</p>\",\"Madrid\"\n");
  auto read = read_ads(in, AdFormat::csv);
  ASSERT_EQ(read.ads.size(), 1u);
  const Ad& ad = read.ads[0];
  EXPECT_EQ(ad.body.find('<'), std::string::npos);
  const Lexicon& lexicon = Lexicon::builtin();
  auto scratch = lexicon.make_scratch();
  AdText t = analyze_ad_text(ad, lexicon, scratch);
  ASSERT_EQ(t.selectors.size(), 1u);
  EXPECT_EQ(t.selectors[0].value, "+34612345678");  // Madrid: a Spanish number
  EXPECT_TRUE(t.selectors[0].obfuscated);
  EXPECT_EQ(ad.body.substr(t.selectors[0].begin, t.selectors[0].end - t.selectors[0].begin),
            "⑥①② ③④⑤ ⑥⑦⑧");
  EXPECT_GE(t.indicators.indicators.size(), 2u);  // new in town, just arrived
  EXPECT_GT(t.indicators.score, 2.0);
  EXPECT_FALSE(t.body.tokens.empty());
}

}  // namespace
}  // namespace ctip::online
