// The CLI's progress bar and the in-process runner.
#include "jobs/progress_bar.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "jobs/count_lines.h"
#include "jobs/job_client.h"
#include "jobs/test_support.h"

namespace ctip::jobs {
namespace {

using namespace std::chrono_literals;

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::fseek(f, 0, SEEK_SET);
  std::string s(1 << 16, '\0');
  s.resize(std::fread(s.data(), 1, s.size(), f));
  return s;
}

TEST(ProgressBar, GroupsThousands) {
  EXPECT_EQ(group_thousands(0), "0");
  EXPECT_EQ(group_thousands(999), "999");
  EXPECT_EQ(group_thousands(1000), "1,000");
  EXPECT_EQ(group_thousands(10000), "10,000");
  EXPECT_EQ(group_thousands(1234567), "1,234,567");
  EXPECT_EQ(group_thousands(-1234), "-1,234");
  EXPECT_EQ(group_thousands(INT64_MIN), "-9,223,372,036,854,775,808");
}

TEST(ProgressBar, RendersBarPercentCountsUnitAndMessage) {
  EXPECT_EQ(render_progress({4200, 10000, "reading"}, "rows", 10),
            "[####      ] 42% 4,200/10,000 rows  reading");
  EXPECT_EQ(render_progress({10, 10, ""}, "rows", 4), "[####] 100% 10/10 rows");
  EXPECT_EQ(render_progress({0, 10, ""}, "", 4), "[    ] 0% 0/10");
  // Total unknown: no percentage, no fill.
  EXPECT_EQ(render_progress({1500, 0, "counting"}, "rows", 4), "[    ] 1,500 rows  counting");
}

TEST(ProgressBar, RedrawsInPlaceOnATerminal) {
  std::FILE* f = std::tmpfile();
  ProgressBar bar(f, true);
  bar.set_unit("rows");
  bar.update({1, 4, ""});
  bar.finish({4, 4, ""}, "done");
  std::string out = contents(f);
  std::fclose(f);
  EXPECT_EQ(out.find('\r'), 0u);
  EXPECT_NE(out.find("\x1b[K"), std::string::npos);
  EXPECT_NE(out.find("100% 4/4 rows"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 6), "\ndone\n");
}

TEST(ProgressBar, PrintsPlainLinesNowAndThenElsewhere) {
  std::FILE* f = std::tmpfile();
  ProgressBar bar(f, false, std::chrono::hours(1));
  for (int i = 1; i <= 100; ++i) bar.update({i, 100, ""});
  bar.finish({100, 100, ""});
  std::string out = contents(f);
  std::fclose(f);
  EXPECT_EQ(out.find('\r'), std::string::npos);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  // The first report, then (the interval not having passed) only the final state.
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 2) << out;
  EXPECT_NE(out.find("1% 1/100"), std::string::npos);
  EXPECT_NE(out.find("100% 100/100"), std::string::npos);
}

TEST(JobClient, RunsAJobInThisProcessWithProgress) {
  testing::Env env("local");
  JobService svc(
      *env.store, *env.audit,
      [] {
        KindRegistry k;
        k.add(count_lines_kind({1ms, 64}));
        return k;
      }(),
      env.options());
  svc.start();
  auto file = env.dir / "lines.txt";
  {
    std::ofstream out(file);
    for (int i = 0; i < 200; ++i) out << "line " << i << "\n";
  }
  std::FILE* f = std::tmpfile();
  ProgressBar bar(f, false, 0ms);
  Job job = run_locally(svc, Caller::cli(), "count_lines", file, bar, 5ms);
  std::string out = contents(f);
  std::fclose(f);
  ASSERT_EQ(job.status, Status::succeeded);
  EXPECT_EQ(testing::result_of(job)["lines"], 200);
  EXPECT_NE(out.find("bytes"), std::string::npos) << out;
  EXPECT_NE(out.find("job succeeded"), std::string::npos) << out;
  EXPECT_EQ(env.count("SELECT count(*) FROM audit_entries WHERE action = 'jobs.create' AND "
                      "actor = 'cli'"),
            1);
}

}  // namespace
}  // namespace ctip::jobs
