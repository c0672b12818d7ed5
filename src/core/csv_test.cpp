#include "core/csv.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace ctip::csv {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct Read {
  Rows rows;
  std::vector<size_t> lines;
  std::vector<std::optional<Problem>> problems;
};

Read read_all(const std::string& text, size_t block = 64, size_t expect = 0) {
  std::istringstream in(text);
  Reader r(in, block);
  if (expect) r.expect_fields(expect);
  Read out;
  while (r.next()) {
    out.rows.emplace_back(r.fields().begin(), r.fields().end());
    out.lines.push_back(r.line());
    out.problems.push_back(r.problem());
  }
  return out;
}

TEST(Csv, ReadsPlainRecordsWithLfAndCrlf) {
  auto r = read_all("a,b,c\r\n1,,3\n4,5,6");
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(r.rows[1], (std::vector<std::string>{"1", "", "3"}));
  EXPECT_EQ(r.rows[2], (std::vector<std::string>{"4", "5", "6"}));
  EXPECT_EQ(r.lines, (std::vector<size_t>{1, 2, 3}));
  for (const auto& p : r.problems) EXPECT_FALSE(p);
}

TEST(Csv, QuotedFieldsHoldCommasLineBreaksAndDoubledQuotes) {
  auto r = read_all("h1,h2\r\n\"a,b\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",x\r\nlast,\"\"\r\n");
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[1], (std::vector<std::string>{"a,b", "say \"hi\""}));
  EXPECT_EQ(r.rows[2], (std::vector<std::string>{"two\r\nlines", "x"}));
  EXPECT_EQ(r.rows[3], (std::vector<std::string>{"last", ""}));
  EXPECT_EQ(r.lines, (std::vector<size_t>{1, 2, 3, 5}));
}

TEST(Csv, SkipsByteOrderMarkAndBlankLines) {
  auto r = read_all("\xEF\xBB\xBFyear,x\n\n2019,1\n\r\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][0], "year");
  EXPECT_EQ(r.lines[1], 3u);
}

TEST(Csv, RecordsLongerThanTheBlockAreReadWhole) {
  std::string big(5000, 'x');
  auto r = read_all("a,\"" + big + "\",c\n" + big + ",2,3\n", 64);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0][1], big);
  EXPECT_EQ(r.rows[1][0], big);
}

TEST(Csv, ManyRecordsAcrossBlocksKeepTheirFieldsAndLines) {
  std::string text = "n,q\n";
  for (int i = 0; i < 1000; ++i)
    text += std::to_string(i) + ",\"v\"\"" + std::to_string(i) + "\"\n";
  auto r = read_all(text, 64, 2);
  ASSERT_EQ(r.rows.size(), 1001u);
  EXPECT_EQ(r.rows[500][0], "499");
  EXPECT_EQ(r.rows[500][1], "v\"499");
  EXPECT_EQ(r.lines[1000], 1001u);
  for (const auto& p : r.problems) EXPECT_FALSE(p);
}

TEST(Csv, RaggedRowsAreReportedWithTheirLine) {
  auto r = read_all("a,b,c\n1,2,3\n1,2\n1,2,3,4\n", 64, 3);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_FALSE(r.problems[1]);
  ASSERT_TRUE(r.problems[2]);
  EXPECT_EQ(r.problems[2]->line, 3u);
  EXPECT_NE(r.problems[2]->message.find("2 fields where the header has 3"), std::string::npos);
  ASSERT_TRUE(r.problems[3]);
  EXPECT_EQ(r.problems[3]->line, 4u);
}

TEST(Csv, InvalidUtf8IsReportedWithLineAndColumn) {
  auto r = read_all("a,b\nok,caf\xC3\xA9\nx,bad\xC3\x28\n\"multi\nline\",\"p\nq\xFF\"\n");
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_FALSE(r.problems[1]);
  ASSERT_TRUE(r.problems[2]);
  EXPECT_EQ(r.problems[2]->line, 3u);
  EXPECT_EQ(r.problems[2]->column, 2u);
  ASSERT_TRUE(r.problems[3]);
  EXPECT_EQ(r.problems[3]->line, 6u);  // the bad byte is on the record's third line
  EXPECT_EQ(r.problems[3]->column, 2u);
}

TEST(Csv, TextAfterAClosingQuoteAndAnOpenQuoteAtTheEndAreProblems) {
  auto r = read_all("a,b\n\"x\"y,z\n1,\"open\n");
  ASSERT_EQ(r.rows.size(), 3u);
  ASSERT_TRUE(r.problems[1]);
  EXPECT_EQ(r.problems[1]->column, 1u);
  ASSERT_TRUE(r.problems[2]);
  EXPECT_EQ(r.problems[2]->line, 3u);
  EXPECT_EQ(r.problems[2]->column, 2u);
  EXPECT_NE(r.problems[2]->message.find("not closed"), std::string::npos);
}

TEST(Csv, Utf8Validation) {
  EXPECT_FALSE(invalid_utf8_at("plain"));
  EXPECT_FALSE(invalid_utf8_at("\xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_EQ(invalid_utf8_at("ab\xC0\xAF"), 2u);        // overlong
  EXPECT_EQ(invalid_utf8_at("\xED\xA0\x80"), 0u);      // a surrogate
  EXPECT_EQ(invalid_utf8_at("x\xE2\x82"), 1u);         // truncated
  EXPECT_EQ(invalid_utf8_at("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  // ASCII is checked eight bytes at a time: a bad byte is found at every offset and alignment,
  // and a good character after long ASCII is accepted.
  for (size_t at = 0; at < 40; ++at) {
    std::string text(at, 'a');
    EXPECT_FALSE(invalid_utf8_at(text + "\xC3\xA9" + std::string(at % 11, 'b'))) << at;
    EXPECT_EQ(invalid_utf8_at(text + "\xFF" + std::string(at % 13, 'b')), at) << at;
    EXPECT_EQ(invalid_utf8_at(text + "\xC3"), at) << at;
  }
}

}  // namespace
}  // namespace ctip::csv
