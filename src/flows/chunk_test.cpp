// Stored chunks read back as written, re-indexed; anything else is refused as damaged.
#include "flows/chunk.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/error.h"
#include "flows/demo_data.h"
#include "flows/import.h"

namespace ctip::flows {
namespace {

TEST(Chunk, RecordsReadBackAsWritten) {
  std::istringstream in(demo_ctdc_csv(5000, 1));
  auto t = import_table(in, Format::ctdc).table;
  ASSERT_EQ(t.size(), 5000u);
  std::string packed = pack_chunk(t, 100, 4100);
  EXPECT_LT(packed.size(), 4000u * 29 / 2) << "compressed";
  std::vector<uint8_t> same(t.sources().size());
  for (size_t i = 0; i < same.size(); ++i) same[i] = static_cast<uint8_t>(i);
  RecordTable out;
  for (const auto& s : t.sources()) out.source_index(s);
  EXPECT_EQ(unpack_chunk(packed, same, out), 4000u);
  ASSERT_EQ(out.size(), 4000u);
  for (size_t i = 0; i < out.size(); ++i) {
    auto a = t.at(i + 100), b = out.at(i);
    ASSERT_EQ(a.year, b.year);
    ASSERT_EQ(a.source, b.source);
    ASSERT_EQ(a.sex, b.sex);
    ASSERT_EQ(a.age, b.age);
    ASSERT_EQ(a.citizenship, b.citizenship);
    ASSERT_EQ(a.exploitation, b.exploitation);
    ASSERT_EQ(a.flags, b.flags);
  }
}

TEST(Chunk, SourcesAreReindexed) {
  RecordTable t;
  CaseRecord r;
  r.source = t.source_index("Hotline");  // 1
  t.push_back(r);
  RecordTable out;
  out.source_index("Case Management");
  const uint8_t hotline = out.source_index("Hotline");  // 2
  const std::vector<uint8_t> map = {0, hotline};
  unpack_chunk(pack_chunk(t, 0, 1), map, out);
  EXPECT_EQ(out.sources()[out.source.back()], "Hotline");
  const std::vector<uint8_t> too_short = {0};
  EXPECT_THROW(unpack_chunk(pack_chunk(t, 0, 1), too_short, out), Error);
}

TEST(Chunk, DamageIsReportedNotRead) {
  RecordTable t;
  t.push_back({});
  const std::vector<uint8_t> map = {0};
  RecordTable out;
  std::string packed = pack_chunk(t, 0, 1);
  for (std::string bad :
       {std::string("r9:") + packed.substr(3), std::string(packed.substr(0, 3)) + "!!!",
        packed.substr(0, packed.size() - 5), std::string()}) {
    try {
      unpack_chunk(bad, map, out);
      FAIL() << "accepted a damaged chunk: " << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::integrity);
    }
  }
  EXPECT_EQ(out.size(), 0u);
}

}  // namespace
}  // namespace ctip::flows
