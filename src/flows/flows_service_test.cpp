// The flows service over a real store (SQLite, and PostgreSQL under ctest's pg label): imports
// land whole or not at all, in one transaction or as a job's staged chunks; what is stored reads
// back as the engine reads the file; releases protect every small cell and spend a budget that
// holds across service instances (processes).
#include "flows/flows_service.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "flows/capability.h"
#include "flows/demo_data.h"
#include "flows/publish.h"
#include "flows/report.h"
#include "flows/stats/suppression.h"
#include "jobs/job_service.h"
#include "jobs/test_support.h"

namespace ctip::flows {
namespace {

using jobs::testing::Env;

const auth::Actor kOperator = auth::Actor::operator_named("cli");

int64_t audit_count(Env& env, const std::string& action) {
  audit::EntryFilter f;
  f.action = action;
  return static_cast<int64_t>(env.audit->query(f, 1000).size());
}

ImportResult import_text(FlowsService& svc, const std::string& text, ImportRequest req = {}) {
  std::istringstream in(text);
  if (req.file_name.empty()) req.file_name = "test.csv";
  return svc.import(kOperator, in, req);
}

TEST(FlowsService, AFileWithARowErrorLeavesTheStoreAsItWas) {
  Env env("flows-reject");
  FlowsService svc(*env.store, *env.audit);
  std::string text = demo_ctdc_csv(70000, 3);
  text += ",2019,Hotline,Female\n";  // ragged: 4 fields of 25
  try {
    import_text(svc, text);
    FAIL() << "a ragged row must reject the file";
  } catch (const ImportRejected& e) {
    EXPECT_EQ(e.field(), "line 70002");
    EXPECT_NE(std::string(e.what()).find("nothing was imported"), std::string::npos) << e.what();
    EXPECT_EQ(e.summary["error_count"], 1);
  }
  // Chunks were written as the file was read (70,000 > one chunk): all rolled back.
  EXPECT_EQ(env.count("SELECT COUNT(*) FROM flow_imports"), 0);
  EXPECT_EQ(env.count("SELECT COUNT(*) FROM flow_record_chunks"), 0);
  EXPECT_EQ(audit_count(env, "flows.import"), 0);
  EXPECT_EQ(svc.records()->size(), 0u);

  ImportRequest dry;
  dry.dry_run = true;
  dry.skip_bad_rows = true;
  auto r = import_text(svc, text, dry);
  EXPECT_FALSE(r.import_id);
  EXPECT_EQ(r.summary["imported"], 70000);
  EXPECT_EQ(env.count("SELECT COUNT(*) FROM flow_imports"), 0) << "a dry run stores nothing";

  ImportRequest skip;
  skip.skip_bad_rows = true;
  r = import_text(svc, text, skip);
  ASSERT_TRUE(r.import_id);
  EXPECT_EQ(r.summary["skipped"], 1);
  EXPECT_EQ(svc.records()->size(), 70000u);
  EXPECT_EQ(audit_count(env, "flows.import"), 1);
}

TEST(FlowsService, StoredRecordsAggregateAsTheFileDoes) {
  Env env("flows-roundtrip");
  FlowsService svc(*env.store, *env.audit);
  const std::string text = demo_ctdc_csv(140000, 11);
  auto r = import_text(svc, text);
  ASSERT_TRUE(r.import_id);
  EXPECT_EQ(env.count("SELECT COUNT(*) FROM flow_record_chunks"), 3);  // 65,536 a chunk

  std::istringstream in(text);
  auto file = import_table(in, Format::ctdc);
  auto stored = svc.records();
  ASSERT_EQ(stored->size(), file.table.size());
  Filter f;
  f.year_from = 2018;
  f.sex = Sex::female;
  EXPECT_EQ(svc.corridors(f)["corridors"], corridors_json(corridors(file.table, f)));
  EXPECT_EQ(svc.domestic(DomesticBy::country, {})["rows"],
            domestic_json(domestic_share(file.table, DomesticBy::country)));
  EXPECT_EQ(svc.categories(FlagGroup::control, f), to_json(categories_by_year(file.table,
                                                                             FlagGroup::control, f)));
  // A second import joins the first; the cache sees the change.
  import_text(svc, demo_ctdc_csv(1000, 12));
  EXPECT_EQ(svc.records()->size(), 141000u);
  EXPECT_EQ(svc.overview()["imports"].size(), 2u);
}

TEST(FlowsService, AKReleaseLeavesNoSmallCellRecoverableFromItsMargins) {
  Env env("flows-k");
  FlowsService svc(*env.store, *env.audit);
  import_text(svc, demo_ctdc_csv(20000, 5));
  ReleaseRequest req;
  req.k = 11;
  Json release = svc.release(kOperator, req)["release"];
  const Json& t = release["table"];
  ASSERT_GT(t["suppressed"].get<int>(), 0) << "the demo data have small cells";
  // What was published: no value in 1..10 anywhere, margins included.
  auto small = [](const Json& v) { return v.is_number() && v.get<int64_t>() > 0 && v < 11; };
  for (const auto& row : t["cells"])
    for (const auto& v : row) EXPECT_FALSE(small(v));
  for (const auto& v : t["row_totals"]) EXPECT_FALSE(small(v));
  for (const auto& v : t["column_totals"]) EXPECT_FALSE(small(v));
  // The interval solver: every suppressed cell's feasible interval, from what was published,
  // is at least k wide.
  auto counts = corridor_table(*svc.records());
  auto table = stats::suppress(counts, {11});
  EXPECT_EQ(published_json(table)["cells"], t["cells"]);
  for (const auto& cell : stats::audit(table)) {
    EXPECT_TRUE(cell.is_protected) << "cell " << cell.row << "," << cell.column;
    if (cell.upper) {
      EXPECT_GE(*cell.upper - cell.lower, 11);
    }
  }
  EXPECT_EQ(audit_count(env, "flows.release"), 1);
  EXPECT_NE(svc.release_csv(release["id"]).find("citizenship,exploitation,count,status\n"),
            std::string::npos);
  req.k = 1;
  EXPECT_THROW(svc.release(kOperator, req), Error);
}

TEST(FlowsService, TheEpsilonBudgetHoldsAcrossServicesAndRestarts) {
  Env env("flows-budget");
  {
    FlowsService svc(*env.store, *env.audit);
    ImportRequest req;
    req.epsilon_budget = 1.0;
    import_text(svc, demo_ctdc_csv(3000, 9), req);
    ReleaseRequest r;
    r.epsilon = 0.7;
    EXPECT_NEAR(svc.release(kOperator, r)["release"]["epsilon_remaining"].get<double>(), 0.3,
                1e-9);
  }
  env.open(false);  // another process on the same store
  FlowsService again(*env.store, *env.audit);
  ReleaseRequest r;
  r.epsilon = 0.7;
  try {
    again.release(kOperator, r);
    FAIL() << "0.7 + 0.7 exceeds the budget of 1";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
    EXPECT_EQ(e.field(), "epsilon");
  }
  EXPECT_EQ(env.count("SELECT COUNT(*) FROM flow_releases"), 1) << "a refusal records nothing";
  r.epsilon = 0.3;
  EXPECT_NO_THROW(again.release(kOperator, r));
  r.epsilon = -1;
  EXPECT_THROW(again.release(kOperator, r), Error);
  EXPECT_NEAR(again.overview()["imports"][0]["epsilon_spent"].get<double>(), 1.0, 1e-9);
}

TEST(FlowsService, GlotipSharesKeepTheirIntervals) {
  Env env("flows-glotip");
  FlowsService svc(*env.store, *env.audit);
  std::ifstream in(std::string(CTIP_FLOWS_TESTDATA) + "/glotip_sample.csv", std::ios::binary);
  ImportRequest req;
  req.format = Format::glotip;
  req.skip_bad_rows = true;
  req.file_name = "glotip_sample.csv";
  auto r = svc.import(kOperator, in, req);
  ASSERT_TRUE(r.import_id);
  Json rows = svc.glotip(DomesticBy::country, {})["rows"];
  ASSERT_FALSE(rows.empty());
  bool interval = false;
  for (const auto& row : rows) {
    EXPECT_LE(row["share"]["lo"].get<double>(), row["share"]["hi"].get<double>());
    interval |= row["total_known"]["lo"] != row["total_known"]["hi"];
  }
  EXPECT_TRUE(interval) << "the sample has '<5' values";
  EXPECT_EQ(svc.records()->size(), 0u) << "GLOTIP values are not case records";
}

TEST(FlowsService, AnImportJobStagesItsChunksAndAFailedOneLeavesNothing) {
  Env env("flows-job");
  env.store->write([](store::Connection& c) {
    c.execute(
        "INSERT INTO users (id, username, org_id, role, password_hash, created_at) VALUES "
        "(3, 'ana', 1, 'analyst', 'x', '2026-01-01T00:00:00.000Z')");
  });
  jobs::KindRegistry kinds;
  add_job_kinds(kinds);
  jobs::JobService jobs(*env.store, *env.audit, std::move(kinds), env.options());
  jobs.start(jobs::JobService::Recovery::none);
  const jobs::Caller ana{3, "ana", 1, false};

  std::istringstream good(demo_ctdc_csv(70000, 4));
  auto job = jobs.submit(ana, "flows.import.ctdc", good);
  job = jobs.wait(job.id, std::chrono::seconds(120));
  ASSERT_EQ(job.status, jobs::Status::succeeded) << job.error.value_or("");
  ASSERT_TRUE(job.result);
  EXPECT_EQ((*job.result)["summary"]["imported"], 70000);
  FlowsService svc(*env.store, *env.audit);
  EXPECT_EQ(svc.records()->size(), 70000u);
  audit::EntryFilter f;
  f.action = "flows.import";
  auto entries = env.audit->query(f, 10);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].event.actor, "ana") << "audited under the job's user";

  std::string text = demo_ctdc_csv(70000, 6) + ",2019,Hotline\n";
  std::istringstream bad(text);
  job = jobs.wait(jobs.submit(ana, "flows.import.ctdc", bad).id, std::chrono::seconds(120));
  EXPECT_EQ(job.status, jobs::Status::failed);
  EXPECT_EQ(env.count("SELECT COUNT(*) FROM flow_imports"), 1);
  EXPECT_EQ(env.count("SELECT COUNT(*) FROM flow_record_chunks"), 2) << "the staged chunk is gone";

  // A caseworker's job is refused by the matrix (flows.import is the analyst's).
  std::istringstream small(demo_ctdc_csv(10, 1));
  job = jobs.wait(jobs.submit(jobs::testing::alice(), "flows.import.ctdc", small).id,
                  std::chrono::seconds(60));
  EXPECT_EQ(job.status, jobs::Status::failed);
  EXPECT_EQ(env.count("SELECT COUNT(*) FROM flow_imports"), 1);
}

}  // namespace
}  // namespace ctip::flows
