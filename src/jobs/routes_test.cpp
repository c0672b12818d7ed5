// The job routes through the real server (src/server): the dispatcher authenticates and checks
// the matrix before a byte of an upload is read, streams it in bounded memory, applies each
// route's body limit, scopes jobs to their organisation; cancellation, results, and the CLI's
// client against it.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "audit/audit_log.h"
#include "audit/trust_store.h"
#include "auth/accounts.h"
#include "auth/testing.h"
#include "core/error.h"
#include "jobs/capability.h"
#include "jobs/count_lines.h"
#include "jobs/job_client.h"
#include "server/server.h"
#include "store/testing.h"

namespace ctip::jobs {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPassword = "test-password-1";

// Peak resident memory of this process (kB), from /proc/self/status.
int64_t peak_rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
  return -1;
}

size_t files_in(const std::filesystem::path& dir) {
  size_t n = 0;
  if (std::filesystem::exists(dir))
    for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

struct JobRoutes : ::testing::Test {
  void SetUp() override {
    store = db.open();
    trust = std::make_unique<audit::DirectoryTrustStore>(db.dir());
    audit = std::make_unique<audit::AuditLog>(*store, *trust);
    store->write([](store::Connection& c) {
      // ina and ana in "Unit" (investigator and analyst), oscar in "Other" (investigator),
      // sam a screener, whom the matrix gives no jobs.
      auth::testing::create_user(c,
                                 {"ina", kPassword, "Unit", "government_agency", "investigator"});
      auth::testing::create_user(c, {"ana", kPassword, "Unit", "government_agency", "analyst"});
      auth::testing::create_user(c, {"sam", kPassword, "Unit", "government_agency", "screener"});
      auth::testing::create_user(c,
                                 {"oscar", kPassword, "Other", "law_enforcement", "investigator"});
    });
    server::ServerOptions o;
    o.port = 0;
    o.jobs_dir = jobs_dir();
    o.job_kinds = [] {
      KindRegistry kinds;
      add_kinds(kinds);
      Kind slow = count_lines_kind({20ms, 1});  // a byte per block: slow enough to cancel
      slow.name = "slow_count";
      kinds.add(slow);
      // A kind with its own action beside jobs.create: investigators hold it, analysts not.
      Kind restricted = count_lines_kind();
      restricted.name = "restricted";
      restricted.action = "screenings.create";
      kinds.add(restricted);
      return kinds;
    };
    server = std::make_unique<server::Server>(*store, *audit, o);
    port = server->bind();
    thread = std::thread([this] { server->listen(); });
    for (int i = 0; i < 500; ++i) {
      if (client().Get("/api/v1/health")) break;
      std::this_thread::sleep_for(2ms);
    }
  }
  void TearDown() override {
    server->stop();
    thread.join();
    server.reset();
  }
  std::filesystem::path jobs_dir() const { return db.dir() / "jobs"; }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    return c;
  }
  // The session headers (cookie and CSRF token) of a fresh login.
  httplib::Headers as(const std::string& user) {
    auto r =
        client().Post("/api/v1/session", Json{{"username", user}, {"password", kPassword}}.dump(),
                      "application/json");
    EXPECT_TRUE(r && r->status == 200);
    if (!r || r->status != 200) return {};
    auto set = r->get_header_value("Set-Cookie");
    return {{"Cookie", set.substr(0, set.find(';'))},
            {"X-CSRF-Token", Json::parse(r->body)["csrf_token"].get<std::string>()}};
  }
  Json wait_final(int64_t id, const httplib::Headers& h) {
    auto c = client();
    for (int i = 0; i < 3000; ++i) {
      auto r = c.Get("/api/v1/jobs/" + std::to_string(id), h);
      if (!r || r->status != 200) return Json();
      Json j = Json::parse(r->body);
      if (j["status"] != "queued" && j["status"] != "running") return j;
      std::this_thread::sleep_for(10ms);
    }
    return Json();
  }
  int64_t count(const std::string& sql) {
    int64_t n = 0;
    store->read([&](store::Connection& c) { n = c.query_row(sql).integer(0); });
    return n;
  }
  // Sends raw bytes, optionally half-closes, and returns the first response.
  std::string raw(const std::string& bytes, bool half_close) const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd);
      return "";
    }
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (half_close) ::shutdown(fd, SHUT_WR);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
      out.append(buf, static_cast<size_t>(n));
      auto end = out.find("\r\n\r\n");
      auto cl = out.find("Content-Length: ");
      if (end != std::string::npos && cl != std::string::npos && cl < end &&
          out.size() >= end + 4 + std::stoul(out.substr(cl + 16)))
        break;
    }
    ::close(fd);
    return out;
  }
  static std::string cookie_line(const httplib::Headers& h) {
    std::string out;
    for (const auto& [k, v] : h) out += k + ": " + v + "\r\n";
    return out;
  }

  store::testing::TestDatabase db;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<audit::DirectoryTrustStore> trust;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<server::Server> server;
  int port = 0;
  std::thread thread;
};

TEST_F(JobRoutes, UploadsAFileAndShowsProgressAndResult) {
  auto ina = as("ina");
  auto c = client();
  auto r = c.Post("/api/v1/jobs?kind=count_lines", ina, "a\nb\nc\n", "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  Json job = Json::parse(r->body);
  const std::string path = "/api/v1/jobs/" + std::to_string(job["id"].get<int64_t>());
  EXPECT_EQ(r->get_header_value("Location"), path);
  EXPECT_EQ(job["input"]["size"], 6);
  EXPECT_EQ(job["status"], "queued");
  Json done = wait_final(job["id"], ina);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["result"]["lines"], 3);
  EXPECT_EQ(done["progress"]["percent"], 100);
  EXPECT_EQ(done["progress"]["unit"], "bytes");
  // Reading a result is audited; the upload was audited when the job was created.
  EXPECT_EQ(count("SELECT count(*) FROM audit_entries WHERE action = 'jobs.create'"), 1);
  EXPECT_GE(count("SELECT count(*) FROM audit_entries WHERE action = 'jobs.read'"), 1);

  // Scope: the job is the organisation's; another organisation's user gets 404.
  auto ana = as("ana"), oscar = as("oscar");
  EXPECT_EQ(c.Get(path, ana)->status, 200);
  EXPECT_EQ(c.Get(path, oscar)->status, 404);
  EXPECT_EQ(Json::parse(c.Get("/api/v1/jobs", ana)->body)["jobs"].size(), 1u);
  EXPECT_EQ(Json::parse(c.Get("/api/v1/jobs", oscar)->body)["jobs"].size(), 0u);
  EXPECT_EQ(c.Get("/api/v1/jobs?limit=0", ina)->status, 400);
  EXPECT_EQ(c.Get("/api/v1/jobs/abc", ina)->status, 404);
  EXPECT_EQ(c.Get("/api/v1/jobs", as("sam"))->status, 403) << "screeners run no jobs";
  // A finished job cannot be cancelled.
  auto cancel = c.Post(path + "/cancel", ina, "", "application/json");
  EXPECT_EQ(cancel->status, 409) << cancel->body;
}

TEST_F(JobRoutes, CancelsARunningJob) {
  auto ina = as("ina");
  auto c = client();
  auto r = c.Post("/api/v1/jobs?kind=slow_count", ina, std::string(500, 'z'), "text/plain");
  ASSERT_EQ(r->status, 201) << r->body;
  int64_t id = Json::parse(r->body)["id"];
  std::string path = "/api/v1/jobs/" + std::to_string(id);
  for (int i = 0; i < 500; ++i) {
    Json j = Json::parse(c.Get(path, ina)->body);
    if (j["progress"]["done"].get<int>() > 0) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(c.Post(path + "/cancel", as("oscar"), "", "application/json")->status, 404);
  auto cancelled = c.Post(path + "/cancel", ina, "", "application/json");
  ASSERT_EQ(cancelled->status, 200) << cancelled->body;
  EXPECT_EQ(Json::parse(cancelled->body)["status"], "cancelled");
  Json final_state = wait_final(id, ina);
  EXPECT_EQ(final_state["status"], "cancelled");
  EXPECT_TRUE(final_state["result"].is_null());
  EXPECT_LT(final_state["progress"]["done"].get<int>(), 500);
}

TEST_F(JobRoutes, RefusesBeforeKeepingAnyOfTheBody) {
  auto c = client();
  EXPECT_EQ(c.Post("/api/v1/jobs?kind=count_lines", "x", "text/plain")->status, 401);
  auto ina = as("ina");
  httplib::Headers no_csrf = {*ina.find("Cookie")};
  EXPECT_EQ(c.Post("/api/v1/jobs?kind=count_lines", no_csrf, "x", "text/plain")->status, 403);
  EXPECT_EQ(c.Post("/api/v1/jobs?kind=count_lines", as("sam"), "x", "text/plain")->status, 403);
  auto unknown = c.Post("/api/v1/jobs?kind=nope", ina, "x", "text/plain");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(Json::parse(unknown->body)["error"]["field"], "kind");
  EXPECT_EQ(c.Post("/api/v1/jobs", ina, "x", "text/plain")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/jobs?kind=restricted", as("ana"), "x", "text/plain")->status, 403)
      << "a kind's own action is checked";
  EXPECT_EQ(files_in(jobs_dir()), 0u);
  EXPECT_EQ(count("SELECT count(*) FROM jobs"), 0);
  // The connection stays usable after a refused small body: the next request is answered.
  EXPECT_EQ(c.Post("/api/v1/jobs?kind=restricted", ina, "x", "text/plain")->status, 201);
}

TEST_F(JobRoutes, StreamsA200MegabyteUploadInBoundedMemory) {
  constexpr size_t kBytes = 200u << 20;
  const std::string line = "2026-11-30,GTM,MEX,17,some text of a flow record row\n";
  size_t lines = 0;
  auto ina = as("ina");
  int64_t before = peak_rss_kb();
  auto c = client();
  std::string block;
  while (block.size() < (1u << 16)) block += line;
  auto provider = [&](size_t offset, size_t length, httplib::DataSink& sink) {
    // Bytes [offset, offset+n) of an endless repetition of `line`.
    size_t n = std::min(length, block.size() - offset % line.size());
    n = std::min(n, size_t{1} << 16);
    const char* p = block.data() + offset % line.size();
    for (size_t i = 0; i < n; ++i)
      if (p[i] == '\n') ++lines;
    return sink.write(p, n);
  };
  auto started = std::chrono::steady_clock::now();
  auto r =
      c.Post("/api/v1/jobs?kind=count_lines", ina, kBytes, provider, "application/octet-stream");
  auto uploaded = std::chrono::steady_clock::now();
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  ASSERT_EQ(r->status, 201) << r->body;
  Json done = wait_final(Json::parse(r->body)["id"], ina);
  auto finished = std::chrono::steady_clock::now();
  int64_t growth_kb = peak_rss_kb() - before;
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["input"]["size"], kBytes);
  EXPECT_EQ(done["result"]["bytes"], kBytes);
  EXPECT_EQ(done["result"]["lines"], lines + (kBytes % line.size() ? 1 : 0));
  EXPECT_LT(growth_kb, 64 * 1024) << "peak RSS grew by " << growth_kb << " kB";
  auto ms = [](auto d) {
    return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  };
  std::printf("200 MiB upload: %lld ms (synced, hashed), job %lld ms; peak RSS growth %lld kB\n",
              ms(uploaded - started), ms(finished - uploaded), static_cast<long long>(growth_kb));
}

TEST_F(JobRoutes, ACutOffUploadLeavesNoJobAndNoFile) {
  std::string head = "POST /api/v1/jobs?kind=count_lines HTTP/1.1\r\nHost: x\r\n" +
                     cookie_line(as("ina")) +
                     "Content-Type: text/csv\r\nContent-Length: 1000000\r\n\r\n";
  std::string reply = raw(head + std::string(5000, 'x'), true);
  EXPECT_EQ(reply.find(" 201 "), std::string::npos) << reply;
  for (int i = 0; i < 200 && files_in(jobs_dir()) > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(files_in(jobs_dir()), 0u);
  EXPECT_EQ(count("SELECT count(*) FROM jobs"), 0);
}

TEST_F(JobRoutes, BodyLimitsArePerRoute) {
  auto ina = as("ina");
  // A JSON route keeps its 1 MiB: refused from the header. A client that sends the body
  // before reading the answer still gets it (the server drops up to 16 MiB of a refused body).
  auto over_default = raw("POST /api/v1/encounters HTTP/1.1\r\nHost: x\r\n" + cookie_line(ina) +
                              "Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n" +
                              std::string(2000000, ' '),
                          false);
  EXPECT_EQ(over_default.rfind("HTTP/1.1 413", 0), 0u) << over_default;
  EXPECT_NE(over_default.find("payload_too_large"), std::string::npos);
  EXPECT_NE(over_default.find("1 MiB"), std::string::npos);
  // A larger one is answered at once, before any byte of the body, and the connection closed.
  auto huge = raw("POST /api/v1/encounters HTTP/1.1\r\nHost: x\r\n" + cookie_line(ina) +
                      "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n",
                  false);
  EXPECT_EQ(huge.rfind("HTTP/1.1 413", 0), 0u) << huge;
  EXPECT_NE(huge.find("Connection: close"), std::string::npos) << huge;
  // A chunked JSON body is cut off at the limit.
  std::string chunk(1 << 16, ' ');
  std::string chunked = "POST /api/v1/encounters HTTP/1.1\r\nHost: x\r\n" + cookie_line(ina) +
                        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) chunked += "10000\r\n" + chunk + "\r\n";
  chunked += "0\r\n\r\n";
  auto over_chunked = raw(chunked, false);
  EXPECT_EQ(over_chunked.rfind("HTTP/1.1 413", 0), 0u) << over_chunked.substr(0, 200);
  // The upload route's own limit.
  auto over_upload =
      raw("POST /api/v1/jobs?kind=count_lines HTTP/1.1\r\nHost: x\r\n" + cookie_line(ina) +
              "Content-Length: " + std::to_string(kMaxUploadBytes + 1) + "\r\n\r\n",
          false);
  EXPECT_EQ(over_upload.rfind("HTTP/1.1 413", 0), 0u) << over_upload;
  // Two different Content-Length headers: refused.
  auto conflicting = raw("POST /api/v1/encounters HTTP/1.1\r\nHost: x\r\n" + cookie_line(ina) +
                             "Content-Type: application/json\r\nContent-Length: 2\r\n"
                             "Content-Length: 5\r\n\r\n{}",
                         false);
  EXPECT_EQ(conflicting.rfind("HTTP/1.1 400", 0), 0u) << conflicting;
  // Within limits both kinds of route work: a 2 MB upload is fine where a JSON body is not.
  auto c = client();
  auto big = c.Post("/api/v1/jobs?kind=count_lines", ina, std::string(2000000, 'y'), "text/plain");
  EXPECT_EQ(big->status, 201) << big->body;
  Json encounter = {{"person", {{"reference", "LIMIT-1"}}}, {"encounter", {{"source", "border"}}}};
  auto ok = c.Post("/api/v1/encounters", ina, encounter.dump(), "application/json");
  EXPECT_EQ(ok->status, 201) << ok->body;
}

TEST_F(JobRoutes, TheClientUploadsAndFollowsAJob) {
  auto file = db.dir() / "input.csv";
  {
    std::ofstream out(file);
    for (int i = 0; i < 1000; ++i) out << "row " << i << "\n";
  }
  std::FILE* log = std::tmpfile();
  ProgressBar bar(log, false, 0ms);
  ServerSession session = login("http://127.0.0.1:" + std::to_string(port), "ina", kPassword);
  Json job = run_on_server(session, "count_lines", file, bar, 10ms);
  EXPECT_EQ(job["status"], "succeeded");
  EXPECT_EQ(job["result"]["lines"], 1000);
  std::fseek(log, 0, SEEK_SET);
  std::string printed(4096, '\0');
  printed.resize(std::fread(printed.data(), 1, printed.size(), log));
  std::fclose(log);
  EXPECT_NE(printed.find("uploaded"), std::string::npos) << printed;
  EXPECT_NE(printed.find("job succeeded"), std::string::npos) << printed;

  ServerSession wrong{session.base_url, session.session_token, "bad"};
  try {
    run_on_server(wrong, "count_lines", file, bar, 10ms);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::permission_denied);
  }
}

}  // namespace
}  // namespace ctip::jobs
