// The pure part: states, transitions, progress.
#include "jobs/job.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace ctip::jobs {
namespace {

TEST(JobStatus, TransitionsFollowTheDiagram) {
  using S = Status;
  auto ok = [](S a, S b) { return can_transition(a, b); };
  EXPECT_TRUE(ok(S::queued, S::running));
  EXPECT_TRUE(ok(S::queued, S::cancelled));
  EXPECT_TRUE(ok(S::queued, S::failed));
  EXPECT_FALSE(ok(S::queued, S::succeeded));
  EXPECT_TRUE(ok(S::running, S::succeeded));
  EXPECT_TRUE(ok(S::running, S::failed));
  EXPECT_TRUE(ok(S::running, S::cancelled));
  EXPECT_FALSE(ok(S::running, S::queued));
  for (S from : {S::succeeded, S::failed, S::cancelled}) {
    EXPECT_TRUE(is_final(from));
    for (S to : kAllStatuses)
      EXPECT_FALSE(ok(from, to)) << to_string(from) << "->" << to_string(to);
  }
  EXPECT_FALSE(is_final(S::queued));
  EXPECT_FALSE(is_final(S::running));
}

TEST(JobStatus, RefusedTransitionIsAConflictNamingBothStates) {
  try {
    require_transition(Status::succeeded, Status::cancelled);
    FAIL() << "expected a conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
    EXPECT_NE(std::string(e.what()).find("succeeded"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("cancelled"), std::string::npos);
  }
  EXPECT_NO_THROW(require_transition(Status::running, Status::cancelled));
}

TEST(JobStatus, ParsesWhatItPrints) {
  for (Status s : kAllStatuses) EXPECT_EQ(parse_status(to_string(s)), s);
  try {
    parse_status("paused");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::integrity);
  }
}

TEST(JobProgress, MovesForwardOnly) {
  Progress p;
  p = advance(p, 10, 100, "10 rows");
  EXPECT_EQ(p, (Progress{10, 100, "10 rows"}));
  p = advance(p, 10, 100, "same");  // standing still is fine
  p = advance(p, 50, 200, "total revised upwards");
  EXPECT_EQ(p.total, 200);
  EXPECT_THROW(advance(p, 49, 200, ""), Error);   // backwards
  EXPECT_THROW(advance(p, 201, 200, ""), Error);  // beyond the total
  EXPECT_THROW(advance(p, -1, 0, ""), Error);
  EXPECT_THROW(advance(p, 60, -1, ""), Error);
  EXPECT_NO_THROW(advance(p, 5000, 0, "total unknown"));
  try {
    advance(p, 1, 200, "");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "progress");
  }
}

TEST(JobProgress, PercentRoundsDownAndNeedsATotal) {
  EXPECT_EQ(percent({0, 0, ""}), std::nullopt);
  EXPECT_EQ(percent({0, 10, ""}), 0);
  EXPECT_EQ(percent({4200, 10000, ""}), 42);
  EXPECT_EQ(percent({999, 1000, ""}), 99);  // not 100 until done
  EXPECT_EQ(percent({1000, 1000, ""}), 100);
  EXPECT_EQ(percent({int64_t{1} << 62, (int64_t{1} << 62) + 1, ""}), 99);  // no overflow
}

TEST(JobJson, ShowsTheResultOnlyWhenAsked) {
  Job j;
  j.id = 7;
  j.kind = "count_lines";
  j.status = Status::succeeded;
  j.created_at = "2026-11-30T10:00:00.000Z";
  j.finished_at = "2026-11-30T10:01:00.000Z";
  j.progress = {5, 10, "half"};
  j.result = Json{{"lines", 3}};
  j.input_size = 10;
  j.input_sha256 = "ab";
  Json without = to_json(j, false);
  EXPECT_FALSE(without.contains("result"));
  EXPECT_EQ(without["status"], "succeeded");
  EXPECT_EQ(without["progress"]["percent"], 50);
  EXPECT_TRUE(without["started_at"].is_null());
  EXPECT_EQ(without["input"]["size"], 10);
  EXPECT_EQ(to_json(j, true)["result"]["lines"], 3);
}

}  // namespace
}  // namespace ctip::jobs
