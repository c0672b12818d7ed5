// The job service over a real SQLite store: uploads, running, progress, cancellation, failure,
// recovery after a killed process, organisation scope and audit.
#include "jobs/job_service.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include "core/crypto.h"
#include "core/error.h"
#include "jobs/count_lines.h"
#include "jobs/job_repository.h"
#include "jobs/test_support.h"

namespace ctip::jobs {
namespace {

using namespace std::chrono_literals;
using testing::alice;
using testing::bob;
using testing::Env;

// Lets a test hold a kind at a point and learn that it got there.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool reached = false;
  bool open = false;
  void arrive_and_wait(JobContext& ctx) {
    std::unique_lock lock(mu);
    reached = true;
    cv.notify_all();
    // Wakes for the test's release or a cancellation (polled: cancelled() has no waiter).
    while (!open && !ctx.cancelled()) cv.wait_for(lock, 5ms);
  }
  void wait_reached() {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, 10s, [&] { return reached; })) << "the kind never got there";
  }
  void release() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
};

// Writes `rows` rows of output: progress per row, a pause at the gate half-way, and all rows in
// one commit at the end. Polls for cancellation unless `ignore_cancel`.
Kind writer_kind(const std::shared_ptr<Gate>& gate, int rows = 10, bool ignore_cancel = false) {
  return {"writer", "rows", "test kind", [=](JobContext& ctx) {
            for (int i = 1; i <= rows; ++i) {
              if (!ignore_cancel) ctx.throw_if_cancelled();
              if (i == rows / 2) gate->arrive_and_wait(ctx);
              ctx.report_progress(i, rows, "row " + std::to_string(i));
            }
            ctx.set_result({{"rows", rows}});
            ctx.commit([&](store::Connection& c) {
              for (int i = 1; i <= rows; ++i)
                c.execute("INSERT INTO job_output (job_id, n) VALUES (?, ?)",
                          {ctx.job_id(), int64_t{i}});
            });
          }};
}

// Writes `batches` batches of 10 rows as it goes (stage), pausing at the gate after the second,
// and fails after the last one when `fail_at_end`. Its discard deletes the job's rows.
Kind stager_kind(const std::shared_ptr<Gate>& gate, int batches = 3, bool fail_at_end = false) {
  Kind k{"stager", "batches", "test kind", [=](JobContext& ctx) {
           for (int b = 1; b <= batches; ++b) {
             ctx.stage([&](store::Connection& c) {
               for (int i = 1; i <= 10; ++i)
                 c.execute("INSERT INTO job_output (job_id, n) VALUES (?, ?)",
                           {ctx.job_id(), int64_t{b * 100 + i}});
             });
             ctx.report_progress(b, batches, "");
             if (b == 2) gate->arrive_and_wait(ctx);
             ctx.throw_if_cancelled();
           }
           if (fail_at_end) throw Error(ErrorCode::invalid_argument, "bad last batch", "line 9");
         }};
  k.discard = [](store::Connection& c, int64_t job_id) {
    c.execute("DELETE FROM job_output WHERE job_id = ?", {job_id});
  };
  return k;
}

Job submit_text(JobService& svc, const Caller& who, std::string_view kind, std::string text) {
  std::istringstream in(std::move(text));
  return svc.submit(who, kind, in);
}

KindRegistry with(std::initializer_list<Kind> kinds) {
  KindRegistry r;
  for (const auto& k : kinds) r.add(k);
  return r;
}

int64_t audit_count(Env& env, const std::string& action) {
  return env.count("SELECT count(*) FROM audit_entries WHERE action = '" + action + "'");
}

TEST(JobService, CountsLinesAndKeepsNothingButTheResult) {
  Env env("count");
  JobService svc(*env.store, *env.audit, with({count_lines_kind({0ms, 7})}), env.options());
  svc.start();
  std::string text = "one\ntwo\nthree\nfour without newline";
  Job job = submit_text(svc, alice(), "count_lines", text);
  EXPECT_EQ(job.input_size, static_cast<int64_t>(text.size()));
  EXPECT_EQ(job.input_sha256, to_hex(sha256(text)));
  EXPECT_EQ(job.org_id, 1);
  EXPECT_EQ(job.created_by, 1);
  job = svc.wait(job.id, 10s);
  ASSERT_EQ(job.status, Status::succeeded) << job.error.value_or("");
  EXPECT_EQ(testing::result_of(job)["lines"], 4);
  EXPECT_EQ(testing::result_of(job)["bytes"], text.size());
  EXPECT_EQ(job.progress.done, static_cast<int64_t>(text.size()));
  EXPECT_TRUE(job.started_at && job.finished_at);
  EXPECT_EQ(env.job_files(), 0u) << "the input is deleted once the job is final";
  EXPECT_EQ(audit_count(env, "jobs.create"), 1);
  EXPECT_EQ(audit_count(env, "jobs.read"), 0);
  EXPECT_EQ(testing::result_of(svc.get(alice(), job.id))["lines"], 4);
  EXPECT_EQ(audit_count(env, "jobs.read"), 1) << "reading a result is audited";
}

TEST(JobService, EmptyInputIsAJobToo) {
  Env env("empty");
  JobService svc(*env.store, *env.audit, with({count_lines_kind()}), env.options());
  svc.start();
  Job job = svc.wait(submit_text(svc, alice(), "count_lines", "").id, 10s);
  ASSERT_EQ(job.status, Status::succeeded);
  EXPECT_EQ(testing::result_of(job)["lines"], 0);
}

TEST(JobService, UnknownKindIsRefusedBeforeAnyFile) {
  Env env("unknown");
  JobService svc(*env.store, *env.audit, with({count_lines_kind()}), env.options());
  try {
    svc.begin_upload(alice(), "nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "kind");
    EXPECT_NE(std::string(e.what()).find("count_lines"), std::string::npos);
  }
  EXPECT_EQ(env.job_files(), 0u);
}

TEST(JobService, AnUnfinishedUploadLeavesNoJobAndNoFile) {
  Env env("abandon");
  JobService svc(*env.store, *env.audit, with({count_lines_kind()}), env.options());
  {
    Upload up = svc.begin_upload(alice(), "count_lines");
    up.append("half of a file");
    EXPECT_EQ(env.job_files(), 1u);
    // The client disconnects: the upload is dropped without finish().
  }
  EXPECT_EQ(env.job_files(), 0u);
  EXPECT_EQ(env.count("SELECT count(*) FROM jobs"), 0);
  EXPECT_EQ(audit_count(env, "jobs.create"), 0);
}

TEST(JobService, AnOversizedUploadIsRefusedAndRemoved) {
  Env env("oversize");
  auto o = env.options();
  o.max_input_bytes = 10;
  JobService svc(*env.store, *env.audit, with({count_lines_kind()}), o);
  Upload up = svc.begin_upload(alice(), "count_lines");
  up.append("12345");
  try {
    up.append("678901");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::payload_too_large);
  }
  EXPECT_EQ(env.job_files(), 0u);
  EXPECT_THROW(up.finish(), Error);
  EXPECT_EQ(env.count("SELECT count(*) FROM jobs"), 0);
}

TEST(JobService, CancelMidRunLeavesNoResultAndNoOutput) {
  Env env("cancel");
  auto gate = std::make_shared<Gate>();
  JobService svc(*env.store, *env.audit, with({writer_kind(gate)}), env.options());
  svc.start();
  Job job = submit_text(svc, alice(), "writer", "input");
  gate->wait_reached();
  EXPECT_EQ(svc.get(alice(), job.id).status, Status::running);
  Job cancelled = svc.cancel(alice(), job.id);
  EXPECT_EQ(cancelled.status, Status::cancelled);
  job = svc.wait(job.id, 10s);
  EXPECT_EQ(job.status, Status::cancelled);
  EXPECT_FALSE(job.result);
  EXPECT_FALSE(job.error);
  EXPECT_TRUE(job.finished_at);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0);
  EXPECT_EQ(audit_count(env, "jobs.cancel"), 1);
  // The worker is free again and the input gone.
  for (int i = 0; i < 200 && env.job_files() > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(env.job_files(), 0u);
  try {
    svc.cancel(alice(), job.id);
    FAIL() << "a cancelled job cannot be cancelled again";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
  }
}

TEST(JobService, AKindThatIgnoresCancellationCannotCommitAfterIt) {
  Env env("ignore");
  auto gate = std::make_shared<Gate>();
  JobService svc(*env.store, *env.audit, with({writer_kind(gate, 10, true)}), env.options());
  svc.start();
  Job job = submit_text(svc, alice(), "writer", "input");
  gate->wait_reached();
  svc.cancel(alice(), job.id);
  gate->release();
  job = svc.wait(job.id, 10s);
  EXPECT_EQ(job.status, Status::cancelled);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0);
}

TEST(JobService, ACancellationStoredByAnotherProcessRollsBackTheCommit) {
  Env env("race");
  auto gate = std::make_shared<Gate>();
  auto o = env.options();
  o.progress_interval = std::chrono::hours(1);  // no progress write would reveal it early
  JobService svc(*env.store, *env.audit, with({writer_kind(gate, 10, true)}), o);
  svc.start();
  Job job = submit_text(svc, alice(), "writer", "input");
  gate->wait_reached();
  // Another server on the same store cancels: this process's in-memory flag stays clear, so
  // only the commit's conditional update stands between the output and the store.
  env.store->write([&](store::Connection& c) {
    ASSERT_TRUE(repository::cancel(c, job.id, "2026-11-30T00:00:00.000Z"));
  });
  gate->release();
  job = svc.wait(job.id, 10s);
  EXPECT_EQ(job.status, Status::cancelled);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0);
}

TEST(JobService, CancellingAQueuedJobMeansItNeverRuns) {
  Env env("queued");
  auto gate = std::make_shared<Gate>();
  std::atomic<int> runs{0};
  Kind counted = {"counted", "rows", "", [&](JobContext&) { ++runs; }};
  JobService svc(*env.store, *env.audit, with({writer_kind(gate), counted}), env.options(1));
  svc.start();
  Job busy = submit_text(svc, alice(), "writer", "x");
  gate->wait_reached();  // the only worker is busy
  Job waiting = submit_text(svc, alice(), "counted", "y");
  EXPECT_EQ(svc.get(alice(), waiting.id).status, Status::queued);
  EXPECT_EQ(svc.cancel(alice(), waiting.id).status, Status::cancelled);
  gate->release();
  EXPECT_EQ(svc.wait(busy.id, 10s).status, Status::succeeded);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 10);
  EXPECT_EQ(svc.wait(waiting.id, 1s).status, Status::cancelled);
  EXPECT_EQ(runs.load(), 0);
  for (int i = 0; i < 200 && env.job_files() > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(env.job_files(), 0u) << "the cancelled job's input is removed";
}

TEST(JobService, AFailedKindRollsBackItsWrites) {
  Env env("fail");
  Kind broken = {"broken", "rows", "", [](JobContext& ctx) {
                   ctx.commit([&](store::Connection& c) {
                     c.execute("INSERT INTO job_output (job_id, n) VALUES (?, 1)", {ctx.job_id()});
                     throw Error(ErrorCode::invalid_argument, "bad value", "line 3");
                   });
                 }};
  Kind crashing = {"crashing", "rows", "",
                   [](JobContext&) { throw std::runtime_error("secret internals"); }};
  JobService svc(*env.store, *env.audit, with({broken, crashing}), env.options());
  svc.start();
  Job a = svc.wait(submit_text(svc, alice(), "broken", "x").id, 10s);
  EXPECT_EQ(a.status, Status::failed);
  EXPECT_EQ(a.error, "line 3: bad value");
  EXPECT_FALSE(a.result);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0);
  Job b = svc.wait(submit_text(svc, alice(), "crashing", "x").id, 10s);
  EXPECT_EQ(b.status, Status::failed);
  EXPECT_EQ(b.error, "internal error (internal)") << "internals are not shown";
}

TEST(JobService, StagedOutputStaysWhenTheJobSucceeds) {
  Env env("staged");
  auto gate = std::make_shared<Gate>();
  gate->release();
  JobService svc(*env.store, *env.audit, with({stager_kind(gate)}), env.options());
  svc.start();
  Job job = svc.wait(submit_text(svc, alice(), "stager", "x").id, 10s);
  EXPECT_EQ(job.status, Status::succeeded);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 30);
}

TEST(JobService, CancellingDiscardsStagedOutput) {
  Env env("stagecancel");
  auto gate = std::make_shared<Gate>();
  JobService svc(*env.store, *env.audit, with({stager_kind(gate)}), env.options());
  svc.start();
  Job job = submit_text(svc, alice(), "stager", "x");
  gate->wait_reached();
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 20) << "two batches staged";
  svc.cancel(alice(), job.id);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0) << "discarded with the cancel";
  EXPECT_EQ(svc.wait(job.id, 10s).status, Status::cancelled);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0);
}

TEST(JobService, AFailedJobDiscardsStagedOutput) {
  Env env("stagefail");
  auto gate = std::make_shared<Gate>();
  gate->release();
  JobService svc(*env.store, *env.audit, with({stager_kind(gate, 3, true)}), env.options());
  svc.start();
  Job job = svc.wait(submit_text(svc, alice(), "stager", "x").id, 10s);
  EXPECT_EQ(job.status, Status::failed);
  EXPECT_EQ(job.error, "line 9: bad last batch");
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0);
}

TEST(JobService, StagingWithoutADiscardIsRefused) {
  Env env("nodiscard");
  auto gate = std::make_shared<Gate>();
  gate->release();
  Kind k = stager_kind(gate);
  k.discard = nullptr;
  JobService svc(*env.store, *env.audit, with({k}), env.options());
  svc.start();
  Job job = svc.wait(submit_text(svc, alice(), "stager", "x").id, 10s);
  EXPECT_EQ(job.status, Status::failed);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0);
}

TEST(JobService, ProgressIsMonotonicAndStored) {
  Env env("progress");
  constexpr int kRows = 40;
  Kind slow = {"slow", "rows", "", [](JobContext& ctx) {
                 for (int i = 1; i <= kRows; ++i) {
                   ctx.report_progress(i, kRows, std::to_string(i) + " rows");
                   std::this_thread::sleep_for(3ms);
                 }
               }};
  JobService svc(*env.store, *env.audit, with({slow}), env.options());
  svc.start();
  Job job = submit_text(svc, alice(), "slow", "x");
  std::vector<int64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    Job now = svc.get(alice(), job.id);
    seen.push_back(now.progress.done);
    if (is_final(now.status)) break;
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(seen.back(), kRows);
  EXPECT_GT(std::set<int64_t>(seen.begin(), seen.end()).size(), 2u) << "intermediate progress";
}

TEST(JobService, ProgressGoingBackwardsFailsTheJob) {
  Env env("backwards");
  Kind bad = {"bad", "rows", "", [](JobContext& ctx) {
                ctx.report_progress(5, 10, "");
                ctx.report_progress(4, 10, "");
              }};
  JobService svc(*env.store, *env.audit, with({bad}), env.options());
  svc.start();
  Job job = svc.wait(submit_text(svc, alice(), "bad", "x").id, 10s);
  EXPECT_EQ(job.status, Status::failed);
  EXPECT_NE(job.error.value_or("").find("backwards"), std::string::npos);
}

TEST(JobService, OtherOrganisationsJobsAreNotFound) {
  Env env("scope");
  JobService svc(*env.store, *env.audit, with({count_lines_kind()}), env.options());
  svc.start();
  Job a = svc.wait(submit_text(svc, alice(), "count_lines", "a\n").id, 10s);
  Job b = svc.wait(submit_text(svc, bob(), "count_lines", "b\n").id, 10s);
  try {
    svc.get(bob(), a.id);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::not_found);
  }
  EXPECT_THROW(svc.cancel(bob(), a.id), Error);
  auto mine = svc.list(alice());
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0].id, a.id);
  auto all = svc.list(Caller::cli());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].id, b.id) << "newest first";
  EXPECT_EQ(svc.get(Caller::cli(), a.id).id, a.id);
}

TEST(JobService, QueuedJobsSurviveARestart) {
  Env env("restart");
  int64_t id = 0;
  {
    JobService svc(*env.store, *env.audit, with({count_lines_kind()}), env.options());
    id = submit_text(svc, alice(), "count_lines", "1\n2\n3\n").id;  // never started
  }
  env.open(false);
  JobService svc(*env.store, *env.audit, with({count_lines_kind()}), env.options());
  svc.start();
  Job job = svc.wait(id, 10s);
  ASSERT_EQ(job.status, Status::succeeded);
  EXPECT_EQ(testing::result_of(job)["lines"], 3);
}

TEST(JobService, StoppingTheServiceMarksARunningJobInterrupted) {
  Env env("stop");
  auto gate = std::make_shared<Gate>();
  int64_t id = 0;
  {
    JobService svc(*env.store, *env.audit, with({writer_kind(gate)}), env.options());
    svc.start();
    id = submit_text(svc, alice(), "writer", "x").id;
    gate->wait_reached();
  }
  JobService svc(*env.store, *env.audit, with({writer_kind(gate)}), env.options());
  Job job = svc.wait(id, 1s);
  EXPECT_EQ(job.status, Status::failed);
  EXPECT_NE(job.error.value_or("").find("interrupted"), std::string::npos);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0);
}

TEST(JobService, StoppingTheServiceLeavesQueuedJobsQueued) {
  Env env("stopqueued");
  auto gate = std::make_shared<Gate>();
  int64_t waiting = 0;
  {
    JobService svc(*env.store, *env.audit, with({writer_kind(gate), count_lines_kind()}),
                   env.options(1));
    svc.start();
    submit_text(svc, alice(), "writer", "x");
    gate->wait_reached();
    waiting = submit_text(svc, alice(), "count_lines", "a\nb\n").id;
  }
  EXPECT_EQ(env.count("SELECT count(*) FROM jobs WHERE status = 'queued'"), 1);
  JobService svc(*env.store, *env.audit, with({writer_kind(gate), count_lines_kind()}),
                 env.options(1));
  svc.start();
  Job job = svc.wait(waiting, 10s);
  ASSERT_EQ(job.status, Status::succeeded);
  EXPECT_EQ(testing::result_of(job)["lines"], 2);
}

// A store abandoned mid-job (the process is gone; no destructor ran): start-up marks it failed.
TEST(JobService, StartUpMarksJobsOfADeadProcessInterrupted) {
  Env env("abandoned");
  int64_t id = 0;
  {
    JobService svc(*env.store, *env.audit, with({count_lines_kind()}), env.options());
    id = submit_text(svc, alice(), "count_lines", "x\n").id;
    env.store->write([&](store::Connection& c) {
      ASSERT_TRUE(repository::claim(c, id, "2026-11-30T00:00:00.000Z"));
      ASSERT_TRUE(repository::record_progress(c, id, {1, 2, "half"}));
    });
  }
  env.open(false);
  JobService svc(*env.store, *env.audit, with({count_lines_kind()}), env.options());
  svc.start();
  Job job = svc.wait(id, 1s);
  EXPECT_EQ(job.status, Status::failed);
  EXPECT_NE(job.error.value_or("").find("interrupted"), std::string::npos);
  EXPECT_EQ(env.job_files(), 0u) << "its input is removed";
}

// The real thing: a child process runs a job and is killed with SIGKILL mid-job and
// mid-upload; the next start finds the job failed, no output, and no stray files.
TEST(JobService, AKilledProcessLeavesNothingHalfWritten) {
  Env env("kill");
  env.store.reset();  // the child opens its own
  env.audit.reset();
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = env.db.open();
    audit::DirectoryTrustStore trust(env.dir);
    audit::AuditLog audit(*store, trust);
    auto gate = std::make_shared<Gate>();
    JobService svc(*store, audit, with({stager_kind(gate)}), env.options());
    svc.start();
    submit_text(svc, alice(), "stager", "input");
    Upload partial = svc.begin_upload(alice(), "stager");
    partial.append("the first half of an upload");
    for (;;) std::this_thread::sleep_for(1s);  // until killed
  }
  env.open(false);
  bool running = false;
  for (int i = 0; i < 1000 && !running; ++i) {
    running = env.count(
                  "SELECT count(*) FROM jobs WHERE status = 'running' AND "
                  "progress_done > 0") == 1 &&
              env.count("SELECT count(*) FROM job_output") == 20 && env.job_files() == 2;
    if (!running) std::this_thread::sleep_for(10ms);
  }
  ::kill(child, SIGKILL);
  int wstatus = 0;
  ::waitpid(child, &wstatus, 0);
  ASSERT_TRUE(running) << "the child never got its job running";
  EXPECT_TRUE(WIFSIGNALED(wstatus));

  env.open(false);
  auto gate = std::make_shared<Gate>();
  JobService svc(*env.store, *env.audit, with({stager_kind(gate)}), env.options());
  svc.start();
  auto jobs = svc.list(Caller::cli());
  ASSERT_EQ(jobs.size(), 1u) << "the cut-off upload made no job";
  EXPECT_EQ(jobs[0].status, Status::failed);
  EXPECT_NE(jobs[0].error.value_or("").find("interrupted"), std::string::npos);
  EXPECT_GT(jobs[0].progress.done, 0);
  EXPECT_EQ(env.count("SELECT count(*) FROM job_output"), 0) << "staged batches discarded";
  EXPECT_EQ(env.job_files(), 0u) << "neither the input nor the partial upload is kept";
}

}  // namespace
}  // namespace ctip::jobs
