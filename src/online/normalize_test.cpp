#include "online/normalize.h"

#include <gtest/gtest.h>

namespace ctip::online {
namespace {

std::vector<std::string> token_texts(const NormalizedText& n) {
  std::vector<std::string> out;
  for (const auto& t : n.tokens) out.emplace_back(n.token_text(t));
  return out;
}

std::vector<std::string> run_digits(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& r : digit_runs(normalize(text), text)) out.push_back(r.digits);
  return out;
}

TEST(Normalize, NfkcAndCaseFolding) {
  EXPECT_EQ(normalize_string("ＮＥＷ In TOWN"), "new in town");
  EXPECT_EQ(normalize_string("Straße"), "strasse");
  EXPECT_EQ(normalize_string("ﬁne"), "fine");
  EXPECT_EQ(normalize_string("RECIÉN LLEGADA"), "recién llegada");
  // A decomposed é (e + U+0301) composes to the same as the precomposed one.
  EXPECT_EQ(normalize_string("reci\x65\xCC\x81n"), normalize_string("reci\xC3\xA9n"));
  // Zero-width characters inserted inside words to escape filters disappear.
  EXPECT_EQ(normalize_string("ne\xE2\x80\x8Bw in to\xE2\x80\x8Cwn"), "new in town");
  EXPECT_EQ(normalize_string("𝐧𝐞𝐰"), "new");
}

TEST(Normalize, TokensKeepOriginalOffsets) {
  std::string text = "ＨＩ, I'm NEW 💋💋 in town!";
  auto n = normalize(text);
  EXPECT_EQ(token_texts(n), (std::vector<std::string>{"hi", "i'm", "new", "💋", "💋", "in", "town"}));
  const Token& hi = n.tokens[0];
  EXPECT_EQ(text.substr(hi.begin, hi.end - hi.begin), "ＨＩ");
  const Token& kiss = n.tokens[3];
  EXPECT_EQ(kiss.kind, TokenKind::emoji);
  EXPECT_EQ(text.substr(kiss.begin, kiss.end - kiss.begin), "💋");
  const Token& town = n.tokens.back();
  EXPECT_EQ(text.substr(town.begin, town.end - town.begin), "town");
  EXPECT_EQ(n.tokens[2].kind, TokenKind::word);
}

TEST(Normalize, EmojiSequencesAreTokensOfTheirOwn) {
  // Skin tone stays with its emoji; a flag is one token; an emoji glued to a word is split off.
  std::string text = "hi👋🏽there 🇺🇸🇲🇽 ❤️";
  auto n = normalize(text);
  auto tt = token_texts(n);
  ASSERT_EQ(tt.size(), 6u);
  EXPECT_EQ(tt[0], "hi");
  EXPECT_EQ(tt[1], "👋🏽");
  EXPECT_EQ(tt[2], "there");
  EXPECT_EQ(tt[3], "🇺🇸");
  EXPECT_EQ(tt[4], "🇲🇽");
  EXPECT_EQ(tt[5], "❤");  // the variation selector U+FE0F is default-ignorable
  EXPECT_EQ(n.tokens[5].kind, TokenKind::emoji);
  EXPECT_EQ(text.substr(n.tokens[5].begin, n.tokens[5].end - n.tokens[5].begin), "❤️");
}

TEST(Normalize, CjkIsOneTokenPerCharacterAndNumbersAreNumbers) {
  auto n = normalize("新人 abc 123");
  EXPECT_EQ(token_texts(n), (std::vector<std::string>{"新", "人", "abc", "123"}));
  EXPECT_EQ(n.tokens[3].kind, TokenKind::number);
}

// Tokens note whether they hold an ASCII digit (after normalisation: "５" is "5"), so that the
// digit view passes over words of letters only.
TEST(Normalize, TokensNoteTheirDigits) {
  const auto n = normalize("call me4 ５５５ café x9é 💋 kiss");
  std::vector<std::pair<std::string, bool>> got;
  for (const auto& t : n.tokens) got.emplace_back(std::string(n.token_text(t)), t.has_digit);
  const std::vector<std::pair<std::string, bool>> want = {
      {"call", false}, {"me4", true}, {"555", true},  {"café", false},
      {"x9é", true},   {"💋", false},  {"kiss", false}};
  EXPECT_EQ(got, want);
}

TEST(Normalize, InvalidUtf8BecomesReplacementCharacters) {
  auto n = normalize(
      "a\xff"
      "b\xC3");
  EXPECT_EQ(n.text,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  // Every byte of the normalised text has its origin: "a" 0, the U+FFFD of \xff 1, "b" 2, and
  // the U+FFFD of the cut-off \xC3 3.
  const std::vector<std::pair<uint32_t, uint32_t>> origins = {{0, 1}, {1, 2}, {1, 2}, {1, 2},
                                                              {2, 3}, {3, 4}, {3, 4}, {3, 4}};
  for (uint32_t i = 0; i < n.text.size(); ++i) EXPECT_EQ(n.source_of(i), origins[i]) << i;
  EXPECT_EQ(n.source_of(static_cast<uint32_t>(n.text.size())), std::make_pair(0u, 0u));
}

TEST(DigitView, PlainAndSeparatedNumbers) {
  EXPECT_EQ(run_digits("call 555.123.4567 now"), std::vector<std::string>{"5551234567"});
  EXPECT_EQ(run_digits("(713) 555-0123"), std::vector<std::string>{"7135550123"});
  EXPECT_EQ(run_digits("5*5*5*1*2*3*4*5*6*7"), std::vector<std::string>{"5551234567"});
  EXPECT_EQ(run_digits("5 5 5 - 1 2 3 4"), std::vector<std::string>{"5551234"});
  EXPECT_EQ(run_digits("555_123_4567"), std::vector<std::string>{"5551234567"});
}

TEST(DigitView, NumberWordsAndLeetspeak) {
  EXPECT_EQ(run_digits("five five five one two three four five six seven"),
            std::vector<std::string>{"5551234567"});
  EXPECT_EQ(run_digits("f1ve f1ve f1ve 0ne tw0 thr33 f0ur"), std::vector<std::string>{"5551234"});
  EXPECT_EQ(run_digits("4one5 55 12 34"), std::vector<std::string>{"415551234"});
  EXPECT_EQ(run_digits("FIVEfiveFIVE-1234567"), std::vector<std::string>{"5551234567"});
  EXPECT_EQ(run_digits("cinco cinco cinco uno dos tres cuatro"),
            std::vector<std::string>{"5551234"});
  EXPECT_EQ(run_digits("s3is s3is s3is 123 4567"), std::vector<std::string>{"6661234567"});
}

TEST(DigitView, CircledKeycapAndWideDigits) {
  EXPECT_EQ(run_digits("⑤⑤⑤①②③④⑤⑥⑦"), std::vector<std::string>{"5551234567"});
  EXPECT_EQ(run_digits("❺❺❺➊➋➌➍"), std::vector<std::string>{"5551234"});
  EXPECT_EQ(run_digits("5️⃣5️⃣5️⃣1️⃣2️⃣3️⃣4️⃣"),
            std::vector<std::string>{"5551234"});
  EXPECT_EQ(run_digits("５５５１２３４５６７"), std::vector<std::string>{"5551234567"});
  EXPECT_EQ(run_digits("𝟱𝟱𝟱 𝟭𝟮𝟯 𝟰𝟱𝟲𝟳"), std::vector<std::string>{"5551234567"});
}

TEST(DigitView, LettersForDigitsOnlyBetweenDigits) {
  EXPECT_EQ(run_digits("55O.l23.4567"), std::vector<std::string>{"5501234567"});
  EXPECT_EQ(run_digits("555 O 1234"), std::vector<std::string>{"55501234"});
  EXPECT_EQ(run_digits("5I5-I234"), std::vector<std::string>{"5151234"});
  // A lower-case o alone is Spanish "or": two numbers, not one.
  EXPECT_EQ(run_digits("555-1234 o 555-9876"), (std::vector<std::string>{"5551234", "5559876"}));
  EXPECT_TRUE(run_digits("hola o adios").empty());
}

TEST(DigitView, EmojiAndSeparatorWordsBetweenDigits) {
  EXPECT_EQ(run_digits("555💋123💋4567"), std::vector<std::string>{"5551234567"});
  EXPECT_EQ(run_digits("555 dot 123 dot 4567"), std::vector<std::string>{"5551234567"});
  auto runs = digit_runs(normalize("555💋123💋4567"));
  EXPECT_TRUE(runs[0].obfuscated);
  EXPECT_FALSE(digit_runs(normalize("555 123 4567"))[0].obfuscated);
  EXPECT_TRUE(digit_runs(normalize("⑤⑤⑤ 123 4567"))[0].obfuscated);
  EXPECT_TRUE(digit_runs(normalize("５５５１２３４"))[0].obfuscated);
}

TEST(DigitView, WhatEndsARun) {
  // A line break, a slash, a comma, a price, another word.
  EXPECT_EQ(run_digits("55512\n34567"), (std::vector<std::string>{"55512", "34567"}));
  // "24" ends at the slash; "7" joins the number (selectors cut it off by its groups).
  EXPECT_EQ(run_digits("24/7 555 123 4567"), std::vector<std::string>{"75551234567"});
  EXPECT_EQ(run_digits("$200 55512345"), std::vector<std::string>{"55512345"});
  EXPECT_EQ(run_digits("€ 20000 555 1234"), (std::vector<std::string>{"20000", "5551234"}));
  EXPECT_EQ(run_digits("200$ 5551234"), std::vector<std::string>{"5551234"});
  EXPECT_EQ(run_digits("12345 call 67890"), (std::vector<std::string>{"12345", "67890"}));
  EXPECT_TRUE(run_digits("I am 23, 5'6 and 120 lbs").empty());
}

TEST(DigitView, OffsetsAndGroupsPointIntoTheOriginal) {
  std::string text = "Call ⑤⑤⑤ 123-4567 ok";
  auto runs = digit_runs(normalize(text));
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(text.substr(runs[0].begin, runs[0].end - runs[0].begin), "⑤⑤⑤ 123-4567");
  ASSERT_EQ(runs[0].groups.size(), 3u);
  EXPECT_EQ(runs[0].groups[1].first_digit, 3);
  EXPECT_EQ(text.substr(runs[0].groups[2].begin, runs[0].groups[2].end - runs[0].groups[2].begin),
            "4567");
}

TEST(DigitView, PlusBeforeANumber) {
  auto runs = digit_runs(normalize("text +44 20 7946 0958"));
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_TRUE(runs[0].plus);
  EXPECT_EQ(runs[0].digits, "442079460958");
}

TEST(DigitView, LongHexAndHashesAreNotPhones) {
  // The fuzzer's finding: 35 digits written together made a run longer than the 32 allowed.
  EXPECT_TRUE(run_digits(std::string(35, '7')).empty());
  for (const auto& r : digit_runs(normalize(std::string(20, '5') + " " + std::string(20, '6'))))
    EXPECT_LE(r.digits.size(), 32u);
  EXPECT_TRUE(run_digits("0x52908400098527886E0F7030069857D2E4169EE7").empty());
}

}  // namespace
}  // namespace ctip::online
