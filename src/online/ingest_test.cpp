#include "online/ingest.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/error.h"

namespace ctip::online {
namespace {

IngestedAds read(const std::string& text, AdFormat format, IngestOptions o = {}) {
  std::istringstream in(text);
  return read_ads(in, format, o);
}

// With the input's size known, the duplicate-id check reserves room after the first batch; ids
// of the first batch are still known to later ones, and the reserve is bounded (a tiny first
// batch of a huge "file" does not reserve gigabytes).
TEST(Ingest, DuplicatesAcrossBatchesWithTheInputSizeKnown) {
  std::string text = "id,body\n";
  for (int i = 0; i < 10; ++i)
    text += "a" + std::to_string(i) + ",body " + std::to_string(i) + "\n";
  text += "a3,again\n";
  for (uint64_t bytes : {uint64_t{0}, uint64_t{text.size()}, uint64_t{1} << 40}) {
    IngestOptions o;
    o.batch_size = 4;
    o.input_bytes = bytes;
    const auto r = read(text, AdFormat::csv, o);
    EXPECT_EQ(r.ads.size(), 10u) << bytes;
    ASSERT_EQ(r.summary.issues.size(), 1u) << bytes;
    EXPECT_EQ(to_string(r.summary.issues[0]), "line 12, field id: duplicate id 'a3'");
  }
}

TEST(Ingest, CsvDetectsCommonColumnNames) {
  auto r = read(
      "Ad ID,Title,Text,Date,City,Phone Number,unused\n"
      "a1,Hi,\"Sweet, new in town\",2020-03-01,Houston TX,713-555-0123,x\n"
      "a2,,\"two\nlines\",03/02/2020 18:05,Dallas,,y\n",
      AdFormat::csv);
  ASSERT_EQ(r.ads.size(), 2u) << (r.summary.issues.empty() ? "" : to_string(r.summary.issues[0]));
  EXPECT_EQ(r.summary.columns[static_cast<size_t>(AdField::id)], "Ad ID");
  EXPECT_EQ(r.summary.columns[static_cast<size_t>(AdField::body)], "Text");
  EXPECT_EQ(r.summary.columns[static_cast<size_t>(AdField::posted_at)], "Date");
  EXPECT_EQ(r.summary.columns[static_cast<size_t>(AdField::location)], "City");
  EXPECT_EQ(r.summary.columns[static_cast<size_t>(AdField::phone)], "Phone Number");
  EXPECT_EQ(r.summary.ignored_columns, std::vector<std::string>{"unused"});
  EXPECT_EQ(r.ads[0].id, "a1");
  EXPECT_EQ(r.ads[0].body, "Sweet, new in town");
  EXPECT_EQ(r.ads[0].location, "Houston TX");
  EXPECT_EQ(r.ads[0].phone, "713-555-0123");
  EXPECT_EQ(*r.ads[0].posted_ms, 1583020800000);  // 2020-03-01T00:00:00Z
  EXPECT_EQ(r.ads[1].body, "two\nlines");
  EXPECT_EQ(*r.ads[1].posted_ms, 1583172300000);  // 2020-03-02T18:05:00Z
  EXPECT_EQ(r.ads[1].line, 3u);
}

// The reader reuses its batch's ads from batch to batch: a sink that copies them (as `ctip ads
// analyze` does) must see nothing of an earlier row, nor of a row refused halfway through.
TEST(Ingest, ReusedAdsCarryNothingOverFromEarlierRows) {
  IngestOptions o;
  o.batch_size = 1;
  std::vector<Ad> seen;
  std::istringstream in(
      "id,title,body,posted_at,city,site,phone,email,image_hash\n"
      "a1,Hi,first,2020-03-01,Houston,site-a,713-555-0123,a@b.example,ABCD\n"
      "b1,,after a full row,,,,,,\n"
      "a2,Refused,second,not a date,Dallas,site-b,713-555-0199,c@d.example,ef01\n"
      "a3,,third,,,,,,\n");
  auto sum = ingest_ads(
      in, AdFormat::csv,
      [&](std::span<Ad> batch) { seen.insert(seen.end(), batch.begin(), batch.end()); }, o);
  EXPECT_EQ(sum.skipped, 1u);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].image_hash, "abcd");
  EXPECT_TRUE(seen[0].posted_ms.has_value());
  for (size_t i : {1, 2}) {
    const Ad& a = seen[i];
    EXPECT_EQ(a.id, i == 1 ? "b1" : "a3");
    EXPECT_EQ(a.line, i == 1 ? 3u : 5u);
    EXPECT_EQ(a.title, "") << a.id;
    EXPECT_EQ(a.posted_at, "") << a.id;
    EXPECT_FALSE(a.posted_ms.has_value()) << a.id;
    EXPECT_EQ(a.location, "") << a.id;
    EXPECT_EQ(a.site, "") << a.id;
    EXPECT_EQ(a.phone, "") << a.id;
    EXPECT_EQ(a.email, "") << a.id;
    EXPECT_EQ(a.image_hash, "") << a.id;
  }
}

TEST(Ingest, MappingOverridesDetection) {
  auto m = parse_column_mapping(" body = message , id=ref");
  EXPECT_EQ(m[AdField::body], "message");
  EXPECT_EQ(m[AdField::id], "ref");
  IngestOptions o;
  o.columns = m;
  auto r = read("id,text,ref,message\nx,not this,r1,this one\n", AdFormat::csv, o);
  ASSERT_EQ(r.ads.size(), 1u);
  EXPECT_EQ(r.ads[0].id, "r1");
  EXPECT_EQ(r.ads[0].body, "this one");
  EXPECT_EQ(parse_column_mapping("city=town")[AdField::location], "town");
}

TEST(Ingest, BadMappingsAreRefusedNamingTheProblem) {
  for (const char* spec : {"body", "colour=x", "body=", "body=a,body=b"}) {
    try {
      parse_column_mapping(spec);
      FAIL() << spec;
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), "columns") << spec;
    }
  }
  IngestOptions o;
  o.columns = parse_column_mapping("body=nothere");
  EXPECT_THROW(read("id,text\n1,x\n", AdFormat::csv, o), Error);
}

TEST(Ingest, AHeaderWithoutIdOrBodyIsRefused) {
  try {
    read("title,phone\nx,y\n", AdFormat::csv);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "header");
    EXPECT_NE(std::string(e.what()).find("--columns"), std::string::npos);
  }
  EXPECT_THROW(read("", AdFormat::csv), Error);
}

TEST(Ingest, BadRowsAreSkippedWithLineAndField) {
  std::string big(70 * 1024, 'x');
  auto r = read(
      "id,body,date\n"
      "1,ok,2020-01-01\n"
      "2,\xff\xfe bad,2020-01-01\n"  // line 3: invalid UTF-8
      "1,again,2020-01-01\n"         // line 4: duplicate id
      ",no id,2020-01-01\n"          // line 5: missing id
      "5,,2020-01-01\n"              // line 6: missing body
      "6,date,yesterday-ish\n"       // line 7: unparseable date
      "7," +
          big +
          ",2020-01-01\n"                   // line 8: body over 64 KiB
          "8,ragged\n"                      // line 9: ragged row
          "9,\"unterminated,2020-01-01\n",  // line 10: to the end
      AdFormat::csv);
  ASSERT_EQ(r.ads.size(), 1u);
  EXPECT_EQ(r.summary.ingested, 1u);
  EXPECT_EQ(r.summary.rows_read, 9u);
  EXPECT_EQ(r.summary.skipped, 8u);
  EXPECT_FALSE(r.summary.ok());
  ASSERT_EQ(r.summary.issues.size(), 8u);
  auto at = [&](size_t i) { return r.summary.issues[i]; };
  EXPECT_EQ(at(0).line, 3u);
  EXPECT_EQ(at(0).field, "body");
  EXPECT_NE(at(0).message.find("UTF-8"), std::string::npos);
  EXPECT_EQ(at(1).line, 4u);
  EXPECT_EQ(at(1).field, "id");
  EXPECT_NE(at(1).message.find("duplicate"), std::string::npos);
  EXPECT_EQ(at(2).line, 5u);
  EXPECT_EQ(at(2).message, "missing id");
  EXPECT_EQ(at(3).line, 6u);
  EXPECT_EQ(at(3).field, "body");
  EXPECT_EQ(at(4).line, 7u);
  EXPECT_EQ(at(4).field, "posted_at");
  EXPECT_EQ(at(5).line, 8u);
  EXPECT_NE(at(5).message.find("over the limit"), std::string::npos);
  EXPECT_EQ(at(6).line, 9u);
  EXPECT_EQ(at(7).line, 10u);
  EXPECT_EQ(to_string(at(1)), "line 4, field id: duplicate id '1'");
}

TEST(Ingest, AnIdRefusedForAnotherReasonIsNotTaken) {
  auto r = read("id,body,date\n1,x,never\n1,y,2020-01-01\n", AdFormat::csv);
  ASSERT_EQ(r.ads.size(), 1u);
  EXPECT_EQ(r.ads[0].body, "y");
}

TEST(Ingest, BadDatesCanBeKeptAsWarnings) {
  IngestOptions o;
  o.keep_rows_with_bad_dates = true;
  auto r = read("id,body,date\n1,x,soon\n", AdFormat::csv, o);
  ASSERT_EQ(r.ads.size(), 1u);
  EXPECT_FALSE(r.ads[0].posted_ms);
  EXPECT_EQ(r.summary.warnings, 1u);
  EXPECT_TRUE(r.summary.ok());
  ASSERT_EQ(r.summary.issues.size(), 1u);
  EXPECT_FALSE(r.summary.issues[0].skipped);
}

TEST(Ingest, StrictModeRefusesTheRunAtTheFirstBadRow) {
  IngestOptions o;
  o.strict = true;
  try {
    read("id,body\n1,a\n1,b\n", AdFormat::csv, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "line 3");
    EXPECT_NE(std::string(e.what()).find("duplicate"), std::string::npos);
  }
  std::istringstream ok("id,body\n1,a\n2,b\n");
  EXPECT_EQ(read_ads(ok, AdFormat::csv, o).ads.size(), 2u);
}

TEST(Ingest, BatchesGoToTheSinkAsTheyAreRead) {
  std::string csv = "id,body\n";
  for (int i = 0; i < 25; ++i) csv += std::to_string(i) + ",ad " + std::to_string(i) + "\n";
  std::istringstream in(csv);
  IngestOptions o;
  o.batch_size = 10;
  std::vector<size_t> sizes;
  std::vector<uint64_t> progress;
  o.progress = [&](uint64_t rows) { progress.push_back(rows); };
  auto s = ingest_ads(
      in, AdFormat::csv, [&](std::span<const Ad> b) { sizes.push_back(b.size()); }, o);
  EXPECT_EQ(sizes, (std::vector<size_t>{10, 10, 5}));
  EXPECT_EQ(progress.back(), 25u);
  EXPECT_EQ(s.ingested, 25u);
}

TEST(Ingest, JsonLinesWithCommonKeys) {
  auto r = read(
      "{\"ad_id\": 17, \"description\": \"<p>Hi&nbsp;there</p><script>x()</script>\", "
      "\"timestamp\": 1583020800, \"city\": \"Madrid\", \"image_hash\": [\"AB\", \"cd\"]}\n"
      "\r\n"
      "{\"id\": \"b\", \"text\": \"plain\", \"created_at\": \"2020-03-01T10:00:00+02:00\"}\r\n",
      AdFormat::jsonl);
  ASSERT_EQ(r.ads.size(), 2u) << (r.summary.issues.empty() ? "" : to_string(r.summary.issues[0]));
  EXPECT_EQ(r.ads[0].id, "17");
  EXPECT_EQ(r.ads[0].body, "Hi\xC2\xA0there");
  EXPECT_EQ(*r.ads[0].posted_ms, 1583020800000);
  EXPECT_EQ(r.ads[0].location, "Madrid");
  EXPECT_EQ(r.ads[0].image_hash, "ab;cd");
  EXPECT_EQ(r.ads[1].line, 3u);
  EXPECT_EQ(*r.ads[1].posted_ms, 1583020800000 + 8 * 3600 * 1000);
  EXPECT_EQ(r.summary.rows_read, 2u);
}

TEST(Ingest, JsonLinesBadRows) {
  auto r = read(
      "{\"id\":\"1\",\"body\":\"ok\"}\n"
      "not json\n"
      "[1,2]\n"
      "{\"id\":\"3\"}\n"
      "{\"id\":{\"x\":1},\"body\":\"b\"}\n"
      "{\"id\":\"1\",\"body\":\"dup\"}\n"
      "{\"id\":\"6\",\"body\":\"a\xff\"}\n"
      "{\"id\":\"7\",\"body\":\"ok\",\"body\":\"twice\"}\n"
      "{\"id\":\"8\",\"body\":\"ok\",\"date\":1e300}\n",
      AdFormat::jsonl);
  EXPECT_EQ(r.ads.size(), 1u);
  EXPECT_EQ(r.summary.skipped, 8u);
  ASSERT_EQ(r.summary.issues.size(), 8u);
  EXPECT_EQ(r.summary.issues[7].field, "date");
  EXPECT_EQ(r.summary.issues[0].line, 2u);
  EXPECT_EQ(r.summary.issues[2].field, "body");
  EXPECT_EQ(r.summary.issues[3].field, "id");
  EXPECT_EQ(r.summary.issues[4].line, 6u);
  EXPECT_EQ(r.summary.issues[5].line, 7u);
  EXPECT_NE(r.summary.issues[5].message.find("UTF-8"), std::string::npos);
}

TEST(Ingest, AJsonLineOverTheLimitIsSkippedNotHeld) {
  IngestOptions o;
  o.limits.line = 1000;
  std::string huge = "{\"id\":\"1\",\"body\":\"" + std::string(5000, 'a') + "\"}\n";
  auto r = read(huge + "{\"id\":\"2\",\"body\":\"fine\"}\n", AdFormat::jsonl, o);
  ASSERT_EQ(r.ads.size(), 1u);
  EXPECT_EQ(r.ads[0].id, "2");
  EXPECT_EQ(r.ads[0].line, 2u);
  EXPECT_EQ(r.summary.issues[0].line, 1u);
}

TEST(Html, TagsScriptsAndEntities) {
  EXPECT_EQ(strip_html("<b>Sexy</b> &amp; <i>new</i><br>in town"), "Sexy & new\nin town");
  EXPECT_EQ(strip_html("a<script type=x>var s='<b>';</script>b<style>p{}</style>c"), "abc");
  EXPECT_EQ(strip_html("I <3 you, 1 < 2"), "I <3 you, 1 < 2");
  EXPECT_EQ(strip_html("x<!-- hidden 555 -->y"), "xy");
  EXPECT_EQ(strip_html("<div>one</div><div>two</div>"), "one\ntwo");
  EXPECT_EQ(strip_html("&lt;b&gt; stays text"), "<b> stays text");
  EXPECT_EQ(strip_html("unclosed <b"), "unclosed <b");
  EXPECT_EQ(decode_entities("&#53;&#x35;&#X35; &eacute; &ntilde; &hearts; &AMP; &bogus; &"),
            "555 \xC3\xA9 \xC3\xB1 \xE2\x99\xA5 & &bogus; &");
  EXPECT_EQ(decode_entities("&#0;&#xD800;&#1114112;&#99999999999;"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Dates, FormatsAdsUse) {
  EXPECT_EQ(parse_posted_at("2020-03-01"), 1583020800000);
  EXPECT_EQ(parse_posted_at("2020-03-01T00:00:01Z"), 1583020801000);
  EXPECT_EQ(parse_posted_at("2020-03-01 01:00:00.123-01:00"), 1583020800000 + 2 * 3600000);
  EXPECT_EQ(parse_posted_at("1583020800"), 1583020800000);
  EXPECT_EQ(parse_posted_at("1583020800000"), 1583020800000);
  EXPECT_EQ(parse_posted_at("20200301"), 1583020800000);
  EXPECT_EQ(parse_posted_at("3/1/2020"), 1583020800000);
  EXPECT_EQ(parse_posted_at("2020-02-29"), 1582934400000);
  for (const char* bad :
       {"", "2019-02-29", "2020-13-01", "2020-03-01T25:00", "03/01/20", "yesterday", "2020-03-01X",
        "2020-03-01T10:00+99:00", "1e9", "123456789012345678"})
    EXPECT_FALSE(parse_posted_at(bad)) << bad;
}

TEST(Formats, NamesAndPaths) {
  EXPECT_EQ(parse_ad_format("NDJSON"), AdFormat::jsonl);
  EXPECT_THROW(parse_ad_format("xml"), Error);
  EXPECT_EQ(format_of_path("/tmp/ads.CSV"), AdFormat::csv);
  EXPECT_EQ(format_of_path("ads.jsonl"), AdFormat::jsonl);
  EXPECT_FALSE(format_of_path("ads"));
}

}  // namespace
}  // namespace ctip::online
