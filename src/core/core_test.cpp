#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <string>

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

// The Error parse_json throws for text, or a failed test when it parses.
Error parse_error_of(std::string_view text, const JsonLimits& limits = {}) {
  try {
    (void)parse_json(text, "body", limits);
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "parsed: " << text.substr(0, 80);
  return Error(ErrorCode::internal, "parsed");
}

std::string nested_array(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// Issue #7: an "age" array nested 55,000 deep crashed the server (a recursive dump() of it in
// the error message). Refused while parsing, naming the field.
TEST(JsonInput, RefusesNestingDeeperThanTheLimitWhileParsing) {
  Error e = parse_error_of(R"({"profile":"screener","age":)" + nested_array(55000) + "}");
  EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
  EXPECT_EQ(e.field(), "age");
  EXPECT_NE(std::string(e.what()).find("deeper than 64 levels"), std::string::npos) << e.what();
  EXPECT_LT(std::string(e.what()).size(), 200u);
  // 64 levels parse, 65 do not; objects count as arrays do.
  EXPECT_NO_THROW(parse_json(nested_array(64)));
  EXPECT_EQ(parse_error_of(nested_array(65)).field(), "body");
  std::string objects;
  for (int i = 0; i < 70; ++i) objects += R"({"a":)";
  objects += "1" + std::string(70, '}');
  std::string keys = "a";
  for (int i = 1; i < 64; ++i) keys += ".a";
  EXPECT_EQ(parse_error_of(objects).field(), keys);
  EXPECT_EQ(parse_error_of(nested_array(10), JsonLimits{.max_depth = 3}).field(), "body");
}

// Issue #7: 1e400 answered 500 (nlohmann throws out_of_range, not parse_error).
TEST(JsonInput, RefusesANumberBeyondADoubleNamingTheField) {
  for (const std::string& n :
       {std::string("1e400"), std::string("-1e400"), "1" + std::string(400, '0') + ".5"}) {
    Error e = parse_error_of(R"({"person":{"age":)" + n + "}}");
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "person.age") << n;
    EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
    EXPECT_LT(std::string(e.what()).size(), 200u);
  }
  EXPECT_EQ(parse_error_of(R"({"a":[1,2,{"b":[0,1e999]}]})").field(), "a[2].b[1]");
  EXPECT_EQ(parse_error_of("[0,1e999]").field(), "body[1]");
  EXPECT_EQ(parse_error_of("1e999").field(), "body");
  // Large but finite numbers parse; an integer beyond 64 bits becomes a double.
  EXPECT_TRUE(parse_json("1e300").is_number_float());
  EXPECT_TRUE(parse_json("123456789012345678901234567890").is_number_float());
}

TEST(JsonInput, RefusesADuplicateKeyNamingIt) {
  Error e = parse_error_of(R"({"age":30,"answers":{"q":"yes","q":"no"}})");
  EXPECT_EQ(e.field(), "answers.q");
  EXPECT_NE(std::string(e.what()).find("given twice"), std::string::npos);
  EXPECT_EQ(parse_error_of(R"({"age":30,"age":31})").field(), "age");
  EXPECT_EQ(parse_json(R"({"a":{"k":1},"b":{"k":2}})")["b"]["k"], 2);  // other objects' keys
}

TEST(JsonInput, BoundsStringsAndKeys) {
  JsonLimits small{.max_depth = 64, .max_string_bytes = 8, .max_key_bytes = 4};
  EXPECT_EQ(parse_error_of(R"({"note":"123456789"})", small).field(), "note");
  EXPECT_NO_THROW(parse_json(R"({"note":"12345678"})", "body", small));
  Error key = parse_error_of(R"({"k":{"abcde":1}})", small);
  EXPECT_EQ(key.field(), "k");
  // The default string limit holds a 64 KiB string and refuses one byte more.
  EXPECT_NO_THROW(parse_json("\"" + std::string(64 << 10, 'x') + "\""));
  EXPECT_EQ(parse_error_of("{\"x\":\"" + std::string((64 << 10) + 1, 'x') + "\"}").field(), "x");
  // A string field of JsonObject is bounded too (4 KiB unless the caller says otherwise).
  auto j = parse_json("{\"s\":\"" + std::string(5000, 'x') + "\"}");
  JsonObject o(j);
  try {
    (void)o.string("s");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "s");
  }
  EXPECT_EQ(o.string("s", 5000).size(), 5000u);
}

// Found by screen_input_fuzz: an empty key refused as unknown named no field.
TEST(JsonInput, AnEmptyKeyIsNamed) {
  auto j = parse_json(R"({"":1})");
  try {
    JsonObject(j).only({"a"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "\"\"");
  }
  EXPECT_EQ(parse_error_of(R"({"":{"":1e400}})").field(), "\"\".\"\"");
  EXPECT_EQ(parse_error_of(R"({"":1,"":2})").field(), "\"\"");
}

TEST(JsonInput, SyntaxErrorsNameTheDocumentAndByte) {
  Error e = parse_error_of(R"({"a":tru})");
  EXPECT_EQ(e.field(), "body");
  EXPECT_NE(std::string(e.what()).find("not valid JSON (at byte"), std::string::npos);
  for (std::string_view bad : {"", "{", "[1,]", "{\"a\" 1}", "\"\\ud800\"", "nul", "01"})
    EXPECT_EQ(parse_error_of(bad).code(), ErrorCode::invalid_argument) << bad;
}

TEST(JsonInput, IntegerFieldRefusesAnUnsignedBeyondInt64) {
  auto j = parse_json(R"({"n":18446744073709551615,"m":9223372036854775807})");
  JsonObject o(j);
  EXPECT_THROW((void)o.integer("n"), Error);
  EXPECT_EQ(o.integer("m"), std::numeric_limits<int64_t>::max());
}

TEST(JsonInput, QuoteIsShortAndFlat) {
  EXPECT_EQ(quote_value(parse_json("[[[[1]]]]")), "an array");
  EXPECT_EQ(quote_value(parse_json(R"({"a":1})")), "an object");
  EXPECT_EQ(quote_value(parse_json("12")), "12");
  EXPECT_EQ(quote_value(parse_json("null")), "null");
  EXPECT_EQ(quote_value(Json(std::string(100, 'x'))), "'" + std::string(40, 'x') + "...'");
  // Cut on a UTF-8 boundary: "é" is two bytes.
  EXPECT_EQ(quote("aé", 2), "'a...'");
}

TEST(Time, FormatsUtc) { EXPECT_EQ(format_time(0), "1970-01-01T00:00:00.000Z"); }

}  // namespace
}  // namespace ctip
