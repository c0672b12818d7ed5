#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/country.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/time.h"

namespace ctip {
namespace {

TEST(Country, FindsAlpha2AndAlpha3FromIsoCodes) {
  ASSERT_GT(country_count(), 240u);
  auto ng = find_country("ng");
  ASSERT_TRUE(ng);
  EXPECT_EQ(ng->alpha3, "NGA");
  EXPECT_EQ(find_country("THA")->alpha2, "TH");
  EXPECT_FALSE(find_country("XX"));
  EXPECT_FALSE(find_country("00"));  // CTDC's "unknown country" is not a country
}

TEST(Crypto, Sha256OfEmptyStringIsTheKnownValue) {
  EXPECT_EQ(to_hex(sha256(std::string_view{})),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Crypto, HexRoundTripAndMalformedHex) {
  EXPECT_EQ(from_hex("6162"), "ab");
  EXPECT_THROW(from_hex("6g"), Error);
  EXPECT_EQ(random_token(16).size(), 32u);
  EXPECT_NE(random_token(), random_token());
}

TEST(JsonInput, NamesTheFieldOnBadInput) {
  auto j = parse_json(R"({"a":"x","n":3,"extra":1})");
  JsonObject o(j);
  EXPECT_EQ(o.string("a"), "x");
  EXPECT_EQ(o.integer("n"), 3);
  try {
    o.only({"a", "n"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "extra");
  }
  try {
    (void)o.string("n");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "n");
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  }
  EXPECT_THROW(parse_json("{"), Error);
}

TEST(Time, FormatsUtc) { EXPECT_EQ(format_time(0), "1970-01-01T00:00:00.000Z"); }

}  // namespace
}  // namespace ctip
