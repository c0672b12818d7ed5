#include "online/selectors.h"

#include <gtest/gtest.h>

#include <array>
#include <random>

#include "core/error.h"

namespace ctip::online {
namespace {

std::vector<Selector> of(std::string_view text, std::string_view region = "US",
                         bool validate = false) {
  return extract_selectors(text, normalize(text), region, SelectorSource::body, validate);
}

std::vector<std::string> values(const std::vector<Selector>& s, SelectorKind kind) {
  std::vector<std::string> out;
  for (const auto& x : s)
    if (x.kind == kind) out.push_back(x.value);
  return out;
}

std::string written(std::string_view text, const Selector& s) {
  return std::string(text.substr(s.begin, s.end - s.begin));
}

TEST(Phones, PlainFormsToE164) {
  std::string text = "Call (713) 555-0123 or text 1-832-555-0188, intl +44 20 7946 0958";
  auto s = of(text);
  EXPECT_EQ(values(s, SelectorKind::phone),
            (std::vector<std::string>{"+17135550123", "+18325550188", "+442079460958"}));
  EXPECT_EQ(written(text, s[0]), "713) 555-0123");
  EXPECT_FALSE(s[0].obfuscated);
}

TEST(Phones, ObfuscationsRealAdsUse) {
  const char* forms[] = {
      "call five five five one two three four five six seven",
      "f1ve f1ve f1ve 123 4567",
      "⑤⑤⑤①②③④⑤⑥⑦",
      "5 5 5 - 1 2 3 - 4 5 6 7",
      "5*5*5*1*2*3*4*5*6*7",
      "555.123.4567",
      "555💋123💋4567",
      "555 dot 123 dot 4567",
      "55five1two34567",
      "５５５１２３４５６７",
      "5️⃣5️⃣5️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣",
  };
  for (const char* f : forms) {
    auto s = of(f);
    ASSERT_EQ(values(s, SelectorKind::phone), std::vector<std::string>{"+15551234567"}) << f;
  }
  auto s = of("f1ve f1ve f1ve 123 4567", "US", true);
  EXPECT_TRUE(s[0].obfuscated);
  EXPECT_EQ(s[0].valid, false);  // 555 numbers are fictional: possible, not valid
  EXPECT_EQ(of("call 212 555 0199", "US", true)[0].valid, true);
  EXPECT_FALSE(of("call 212 555 0199")[0].valid.has_value());
  EXPECT_EQ(values(of("4one5 555 0123"), SelectorKind::phone),
            std::vector<std::string>{"+14155550123"});
  EXPECT_EQ(values(of("55O.l23.4567"), SelectorKind::phone),
            std::vector<std::string>{"+15501234567"});
  EXPECT_EQ(values(of("Call 713 555 O123"), SelectorKind::phone),
            std::vector<std::string>{"+17135550123"});
}

TEST(Phones, TheNanpFastPathAgreesWithLibphonenumber) {
  // Random 7- to 15-digit numbers, with and without '+', in NANP and other regions: the
  // selectors' answer (fast paths and memo) equals libphonenumber's own. 10 and 11 digits, the
  // lengths of NANP numbers, are drawn more often.
  std::mt19937_64 rng(11);
  int phones = 0;
  for (int i = 0; i < 12000; ++i) {
    size_t len = rng() % 2 ? 10 + rng() % 2 : 7 + rng() % 9;
    std::string digits;
    for (size_t k = 0; k < len; ++k) digits += static_cast<char>('0' + rng() % 10);
    if (len >= 11 && rng() % 2) digits[0] = '1';
    bool plus = rng() % 4 == 0;
    const char* region = std::array{"US", "CA", "JM", "GB", "MX"}[rng() % 5];
    std::string written = (plus ? "+" : "") + digits;
    auto expect = phone_to_e164(written, region);
    auto got = phones_in(written, region);
    std::vector<std::string> got_values;
    for (const auto& s : got) got_values.push_back(s.value);
    if (expect) {
      ++phones;
      EXPECT_EQ(got_values, std::vector<std::string>{*expect}) << written << " " << region;
    } else {
      EXPECT_TRUE(got_values.empty()) << written << " " << region;
    }
  }
  EXPECT_GT(phones, 1000);
}

TEST(Phones, TwoNumbersSideBySideAndNoise) {
  EXPECT_EQ(values(of("713 555 0123 832 555 0188"), SelectorKind::phone),
            (std::vector<std::string>{"+17135550123", "+18325550188"}));
  EXPECT_EQ(values(of("available 24/7 713-555-0123"), SelectorKind::phone),
            std::vector<std::string>{"+17135550123"});
  EXPECT_EQ(values(of("555-1234 o 555-9876"), SelectorKind::phone), std::vector<std::string>{});
  EXPECT_TRUE(values(of("I am 23, 5'6, 120 lbs, $200/hr, 1 hour"), SelectorKind::phone).empty());
  EXPECT_TRUE(values(of("call 555 1234"), SelectorKind::phone).empty());  // local only
}

TEST(Phones, RegionHint) {
  // 612 345 678 is a Spanish mobile; with region US it is too short.
  EXPECT_EQ(values(of("llámame 612 345 678", "ES"), SelectorKind::phone),
            std::vector<std::string>{"+34612345678"});
  EXPECT_TRUE(values(of("llámame 612 345 678", "US"), SelectorKind::phone).empty());
  EXPECT_EQ(region_for_location("Madrid", "US"), "ES");
  EXPECT_EQ(region_for_location("Houston, TX", "MX"), "US");
  EXPECT_EQ(region_for_location("Fresno, CA", "MX"), "US");
  EXPECT_EQ(region_for_location("Toronto, ON, CA", "US"), "CA");
  EXPECT_EQ(region_for_location("Calgary, Alberta", "US"), "CA");
  EXPECT_EQ(region_for_location("Guadalajara, Jalisco, México", "US"), "MX");
  EXPECT_EQ(region_for_location("somewhere, Colombia", "US"), "CO");
  EXPECT_EQ(region_for_location("Lyon, FRA", "US"), "FR");
  EXPECT_EQ(region_for_location("", "GB"), "GB");
  EXPECT_EQ(region_for_location("the moon", "GB"), "GB");
  Ad ad;
  ad.body = "tel 612 345 678";
  ad.location = "Barcelona";
  EXPECT_EQ(values(ad_selectors(ad, normalize(ad.body)), SelectorKind::phone),
            std::vector<std::string>{"+34612345678"});
}

TEST(Emails, PlainAndWide) {
  std::string text =
      "mail Candy.Doll+ads@GMail.com, or ｂｅｌｌａ＠ｙａｈｏｏ．ｃｏｍ. not@this or a@b.c";
  auto s = of(text);
  EXPECT_EQ(values(s, SelectorKind::email),
            (std::vector<std::string>{"candy.doll+ads@gmail.com", "bella@yahoo.com"}));
  EXPECT_EQ(written(text, s[0]), "Candy.Doll+ads@GMail.com");
  EXPECT_EQ(written(text, s[1]), "ｂｅｌｌａ＠ｙａｈｏｏ．ｃｏｍ");
  // Spelled out to escape filters.
  std::string spelled =
      "write candy.doll at gmail dot com or bella (at) yahoo (dot) com, "
      "lola [arroba] hotmail [punto] es, mia at outlook.com; meet me at home dot";
  auto sp = of(spelled);
  EXPECT_EQ(values(sp, SelectorKind::email),
            (std::vector<std::string>{"candy.doll@gmail.com", "bella@yahoo.com", "lola@hotmail.es",
                                      "mia@outlook.com"}));
  EXPECT_EQ(written(spelled, sp[0]), "candy.doll at gmail dot com");
  EXPECT_TRUE(sp[0].obfuscated);
  EXPECT_TRUE(values(sp, SelectorKind::url).empty());  // "outlook.com" is the address's
  // A phone-like run inside an address is not a phone.
  EXPECT_TRUE(values(of("x7135550123@mail.com"), SelectorKind::phone).empty());
}

TEST(Handles, PlatformFormsAndBareAt) {
  std::string text =
      "insta: Candy_Doll22 snap - bella.b telegram @sweetpea kik me snapchat lola_99 "
      "follow @Rose.x, mail me@x.com";
  auto s = of(text);
  EXPECT_EQ(values(s, SelectorKind::handle),
            (std::vector<std::string>{"instagram:candy_doll22", "snapchat:bella.b",
                                      "telegram:sweetpea", "snapchat:lola_99", "unknown:rose.x"}));
  EXPECT_EQ(written(text, s[0]), "insta: Candy_Doll22");
  EXPECT_TRUE(values(of("snap me, kik or text, ig 5551234567"), SelectorKind::handle).empty());
}

TEST(Urls, SchemesWwwAndBareDomains) {
  std::string text = "see https://Example.com/ad/123?x=1. or www.mysite.net/, candy.xxx and end.";
  auto s = of(text);
  EXPECT_EQ(values(s, SelectorKind::url),
            (std::vector<std::string>{"example.com/ad/123?x=1", "mysite.net", "candy.xxx"}));
  EXPECT_EQ(written(text, s[0]), "https://Example.com/ad/123?x=1");
  EXPECT_TRUE(values(of("e-mail bella@yahoo.com"), SelectorKind::url).empty());
  EXPECT_TRUE(values(of("end.of sentence, i.e. no"), SelectorKind::url).empty());
  // Words are passed over whole unless they hold a dot or start with a scheme: an address right
  // after a dotted word, after a hyphenated one, and a scheme's host after other words are found.
  EXPECT_EQ(values(of("v1.2 well-known v2.0.1 bella.club/x http:// now http://a-b.site z.io"),
                   SelectorKind::url),
            (std::vector<std::string>{"bella.club/x", "a-b.site", "z.io"}));
}

TEST(Wallets, BitcoinAndEthereum) {
  // The genesis block's address (P2PKH), a P2SH address, BIP 173 and BIP 350 test vectors.
  EXPECT_TRUE(is_bitcoin_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
  EXPECT_TRUE(is_bitcoin_address("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
  EXPECT_TRUE(is_bitcoin_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
  EXPECT_TRUE(is_bitcoin_address("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));
  EXPECT_TRUE(is_bitcoin_address("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"));
  // One character changed: the checksum fails.
  EXPECT_FALSE(is_bitcoin_address("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
  EXPECT_FALSE(is_bitcoin_address("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"));
  EXPECT_FALSE(is_bitcoin_address("Bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));  // mixed case
  EXPECT_FALSE(is_bitcoin_address("1111111111111111111111111111111111"));
  EXPECT_TRUE(is_ethereum_address("0x52908400098527886E0F7030069857D2E4169EE7"));
  EXPECT_FALSE(is_ethereum_address("0x52908400098527886E0F7030069857D2E4169EE"));
  std::string text =
      "tips: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa, eth 0x52908400098527886E0F7030069857D2E4169EE7";
  auto s = of(text);
  EXPECT_EQ(values(s, SelectorKind::bitcoin),
            std::vector<std::string>{"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"});
  EXPECT_EQ(values(s, SelectorKind::ethereum),
            std::vector<std::string>{"0x52908400098527886e0f7030069857d2e4169ee7"});
  EXPECT_TRUE(values(s, SelectorKind::phone).empty());
}

// The wallet scan looks for runs of 14 letters or digits (the shortest address) 64 bytes at a
// time, in blocks that overlap by 14: an address is found at any offset (across the blocks'
// borders), after words of any length, at the start and at the end of the text, and next to
// another address.
TEST(Wallets, FoundAtEveryOffset) {
  // BIP 350's shortest valid address (witness version 16, a 2-byte program): 14 characters.
  EXPECT_TRUE(is_bitcoin_address("BC1SW50QGDZ25J"));
  const std::string eth = "0x52908400098527886E0F7030069857D2E4169EE7";
  for (size_t pad = 0; pad < 160; ++pad)
    for (const std::string btc : {"bc1sw50qgdz25j", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"}) {
      // Words of 1 to 13 letters before it: runs just shorter than the shortest address.
      std::string before;
      for (size_t k = 0; before.size() < pad; ++k)
        before += std::string(1 + (k * 5 + pad) % 13, 'a') + " ";
      before.resize(pad);
      if (!before.empty()) before.back() = ' ';
      for (const std::string& after : {std::string(), std::string(" x"), std::string(" " + eth)}) {
        const std::string text = before + btc + after;
        SCOPED_TRACE("text: " + text);
        const auto s = of(text);
        ASSERT_EQ(values(s, SelectorKind::bitcoin), std::vector<std::string>{btc});
        EXPECT_EQ(written(text, s[0]), btc);
        EXPECT_EQ(values(s, SelectorKind::ethereum).size(), after.size() > 2 ? 1u : 0u);
      }
    }
  // Alphanumeric runs one shorter than an address are not read as one.
  EXPECT_TRUE(of("bc1qw508d6qejx 1A1zP1eP5QGef").empty());
}

TEST(AdSelectors, FieldsAreIncludedAndDuplicatesMerged) {
  Ad ad;
  ad.body = "call 713-555-0123 or seven one three 555 0123";
  ad.title = "New! 713.555.0123";
  ad.phone = "(832) 555-0188";
  ad.email = "Bella@Yahoo.com";
  ad.image_hash = "abc;def";
  auto s = ad_selectors(ad, normalize(ad.body));
  EXPECT_EQ(values(s, SelectorKind::phone),
            (std::vector<std::string>{"+17135550123", "+18325550188"}));
  EXPECT_EQ(s[0].source, SelectorSource::body);
  EXPECT_EQ(values(s, SelectorKind::email), std::vector<std::string>{"bella@yahoo.com"});
  EXPECT_EQ(values(s, SelectorKind::image_hash), (std::vector<std::string>{"abc", "def"}));
}

PdqHash random_hash(std::mt19937_64& rng) {
  PdqHash h;
  for (auto& w : h.words) w = rng();
  return h;
}

PdqHash flip(PdqHash h, std::mt19937_64& rng, int bits) {
  std::vector<int> all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<size_t>(i)] = i;
  std::shuffle(all.begin(), all.end(), rng);
  for (int k = 0; k < bits; ++k) {
    int b = all[static_cast<size_t>(k)];
    h.words[static_cast<size_t>(b / 64)] ^= 1ULL << (b % 64);
  }
  return h;
}

TEST(Pdq, ParseAndDistance) {
  std::string hex(64, '0');
  hex[63] = 'F';
  auto h = parse_pdq(hex);
  ASSERT_TRUE(h);
  EXPECT_EQ(to_hex(*h), std::string(63, '0') + "f");
  EXPECT_EQ(hamming_distance(*h, PdqHash{}), 4);
  EXPECT_FALSE(parse_pdq(hex.substr(1)));
  EXPECT_FALSE(parse_pdq(std::string(63, '0') + "g"));
}

TEST(Pdq, IndexFindsExactlyTheHashesWithinTheRadiusWithoutComparingAll) {
  std::mt19937_64 rng(7);
  PdqIndex index;
  std::vector<PdqHash> stored;
  for (uint32_t i = 0; i < 20000; ++i) {
    stored.push_back(random_hash(rng));
    index.add(i, stored.back());
  }
  // Near copies at every distance from 0 to 40.
  PdqHash query = stored[123];
  for (int d = 0; d <= 40; ++d) {
    stored.push_back(flip(query, rng, d));
    index.add(static_cast<uint32_t>(stored.size() - 1), stored.back());
  }
  for (int radius : {0, 10, 31}) {
    auto got = index.within(query, radius);
    std::vector<uint32_t> expect;
    for (uint32_t i = 0; i < stored.size(); ++i)
      if (hamming_distance(query, stored[i]) <= radius) expect.push_back(i);
    std::vector<uint32_t> ids;
    for (auto m : got) ids.push_back(m.id);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, expect) << radius;
    EXPECT_LT(index.last_candidates(), stored.size() / 10) << radius;
  }
  auto got = index.within(query, 31);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got[0].distance, 0);
  EXPECT_THROW(index.within(query, 32), Error);
}

}  // namespace
}  // namespace ctip::online
