// The job API on a real httplib::Server on 127.0.0.1 (ephemeral port): streamed uploads in
// bounded memory, per-route body limits, progress and results, scope, cancellation, and the
// CLI client against it.
#include "jobs/http.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "core/error.h"
#include "jobs/count_lines.h"
#include "jobs/job_client.h"
#include "jobs/test_support.h"

namespace ctip::jobs {
namespace {

using namespace std::chrono_literals;
using testing::Env;

constexpr uint64_t kMaxUpload = 300ULL << 20;

// Peak resident memory of this process (kB), from /proc/self/status.
int64_t peak_rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
  return -1;
}

// The server's session check, reduced to what these tests need: the cookie names the user,
// and a POST must carry "csrf-<user>".
Caller authenticate(const httplib::Request& req, std::string_view action) {
  auto cookie = req.get_header_value("Cookie");
  std::string user = cookie.rfind("ctip_session=", 0) == 0 ? cookie.substr(13) : "";
  if (user != "alice" && user != "bob") throw Error(ErrorCode::unauthenticated, "log in first");
  if (req.method == "POST" && req.get_header_value("X-CSRF-Token") != "csrf-" + user)
    throw Error(ErrorCode::permission_denied, "missing or wrong X-CSRF-Token header");
  EXPECT_TRUE(action == "jobs.create" || action == "jobs.read" || action == "jobs.cancel" ||
              action == "restricted.import");
  // The matrix of these tests: only alice may run the restricted kind.
  if (action == "restricted.import" && user != "alice")
    throw Error(ErrorCode::permission_denied, "role may not restricted.import");
  return user == "alice" ? testing::alice() : testing::bob();
}

httplib::Headers as(const std::string& user) {
  return {{"Cookie", "ctip_session=" + user}, {"X-CSRF-Token", "csrf-" + user}};
}

struct ServerFixture : ::testing::Test {
  ServerFixture() : env("http") {}
  void SetUp() override {
    auto o = env.options();
    o.max_input_bytes = static_cast<int64_t>(kMaxUpload);
    KindRegistry kinds;
    kinds.add(count_lines_kind({0ms, 1 << 16}));
    Kind slow = count_lines_kind({20ms, 1});  // a byte per block: slow enough to cancel
    slow.name = "slow_count";
    kinds.add(slow);
    Kind restricted = count_lines_kind();
    restricted.name = "restricted";
    restricted.action = "restricted.import";
    kinds.add(restricted);
    service = std::make_unique<JobService>(*env.store, *env.audit, std::move(kinds), o);
    service->start();
    routes = std::make_unique<http::JobRoutes>(http::JobRoutes{*service, authenticate});
    http::add_body_limits(limits, kMaxUpload);
    limits.install(server);
    http::register_routes(server, *routes);
    // An ordinary JSON route with the default limit, to test that it keeps it.
    server.Post("/api/v1/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.body, "text/plain");
    });
    port = server.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    thread = std::thread([this] { server.listen_after_bind(); });
    for (int i = 0; i < 500 && !server.is_running(); ++i) std::this_thread::sleep_for(1ms);
  }
  void TearDown() override {
    server.stop();
    thread.join();
    service.reset();
  }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    return c;
  }
  Json wait_final(int64_t id, const std::string& user = "alice") {
    auto c = client();
    for (int i = 0; i < 2000; ++i) {
      auto r = c.Get("/api/v1/jobs/" + std::to_string(id), as(user));
      if (!r || r->status != 200) return Json();
      Json j = Json::parse(r->body);
      if (j["status"] != "queued" && j["status"] != "running") return j;
      std::this_thread::sleep_for(10ms);
    }
    return Json();
  }
  // Sends raw bytes, optionally half-closes, and returns whatever the server answers.
  std::string raw(const std::string& bytes, bool half_close) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (half_close) ::shutdown(fd, SHUT_WR);
    std::string out;
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) {
      out.append(buf, static_cast<size_t>(n));
      // Stop at the end of the first response; the server may keep the connection open.
      auto end = out.find("\r\n\r\n");
      auto cl = out.find("Content-Length: ");
      if (end != std::string::npos && cl != std::string::npos && cl < end &&
          out.size() >= end + 4 + std::stoul(out.substr(cl + 16)))
        break;
      if (end != std::string::npos && cl == std::string::npos && out.back() == '}') break;
    }
    ::close(fd);
    return out;
  }

  Env env;
  std::unique_ptr<JobService> service;
  std::unique_ptr<http::JobRoutes> routes;
  BodyLimits limits{1 << 20};
  httplib::Server server;
  int port = 0;
  std::thread thread;
};

TEST_F(ServerFixture, UploadsAFileAndShowsProgressAndResult) {
  auto c = client();
  auto r = c.Post("/api/v1/jobs?kind=count_lines", as("alice"), "a\nb\nc\n", "text/csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  Json job = Json::parse(r->body);
  EXPECT_EQ(r->get_header_value("Location"),
            "/api/v1/jobs/" + std::to_string(job["id"].get<int>()));
  EXPECT_EQ(job["input"]["size"], 6);
  EXPECT_FALSE(job.contains("result"));
  Json done = wait_final(job["id"]);
  ASSERT_EQ(done["status"], "succeeded") << done.dump();
  EXPECT_EQ(done["result"]["lines"], 3);
  EXPECT_EQ(done["progress"]["percent"], 100);
  EXPECT_EQ(done["progress"]["unit"], "bytes");

  // Scope: another organisation's job does not exist for bob.
  auto other = c.Get("/api/v1/jobs/" + std::to_string(job["id"].get<int>()), as("bob"));
  EXPECT_EQ(other->status, 404);
  auto list = c.Get("/api/v1/jobs", as("alice"));
  EXPECT_EQ(Json::parse(list->body)["jobs"].size(), 1u);
  EXPECT_EQ(Json::parse(c.Get("/api/v1/jobs", as("bob"))->body)["jobs"].size(), 0u);
  EXPECT_EQ(c.Get("/api/v1/jobs?limit=0", as("alice"))->status, 400);
  EXPECT_EQ(c.Get("/api/v1/jobs/abc", as("alice"))->status, 404);
  // A finished job cannot be cancelled.
  auto cancel = c.Post("/api/v1/jobs/" + std::to_string(job["id"].get<int>()) + "/cancel",
                       as("alice"), "", "application/json");
  EXPECT_EQ(cancel->status, 409) << cancel->body;
}

TEST_F(ServerFixture, CancelsARunningJob) {
  auto c = client();
  auto r = c.Post("/api/v1/jobs?kind=slow_count", as("alice"), std::string(500, 'z'), "text/plain");
  ASSERT_EQ(r->status, 201);
  std::string path = "/api/v1/jobs/" + std::to_string(Json::parse(r->body)["id"].get<int>());
  for (int i = 0; i < 500; ++i) {
    Json j = Json::parse(c.Get(path, as("alice"))->body);
    if (j["progress"]["done"].get<int>() > 0) break;
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(c.Post(path + "/cancel", as("bob"), "", "application/json")->status, 404);
  auto cancelled = c.Post(path + "/cancel", as("alice"), "", "application/json");
  ASSERT_EQ(cancelled->status, 200) << cancelled->body;
  EXPECT_EQ(Json::parse(cancelled->body)["status"], "cancelled");
  Json final_state = wait_final(Json::parse(r->body)["id"]);
  EXPECT_EQ(final_state["status"], "cancelled");
  EXPECT_TRUE(final_state["result"].is_null());
  EXPECT_LT(final_state["progress"]["done"].get<int>(), 500);
}

TEST_F(ServerFixture, RefusesBeforeReadingTheBody) {
  auto c = client();
  auto anonymous = c.Post("/api/v1/jobs?kind=count_lines", "x", "text/plain");
  EXPECT_EQ(anonymous->status, 401);
  EXPECT_EQ(anonymous->get_header_value("Connection"), "close");
  httplib::Headers no_csrf = {{"Cookie", "ctip_session=alice"}};
  EXPECT_EQ(c.Post("/api/v1/jobs?kind=count_lines", no_csrf, "x", "text/plain")->status, 403);
  auto unknown = c.Post("/api/v1/jobs?kind=nope", as("alice"), "x", "text/plain");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(Json::parse(unknown->body)["error"]["field"], "kind");
  EXPECT_EQ(c.Post("/api/v1/jobs", as("alice"), "x", "text/plain")->status, 400);
  EXPECT_EQ(c.Post("/api/v1/jobs?kind=restricted", as("bob"), "x", "text/plain")->status, 403)
      << "a kind's own action is checked";
  EXPECT_EQ(env.job_files(), 0u);
  EXPECT_EQ(env.count("SELECT count(*) FROM jobs"), 0);
  EXPECT_EQ(c.Post("/api/v1/jobs?kind=restricted", as("alice"), "x", "text/plain")->status, 201);
}

TEST_F(ServerFixture, StreamsA200MegabyteUploadInBoundedMemory) {
  constexpr size_t kBytes = 200u << 20;
  const std::string line = "2026-11-30,GTM,MEX,17,some text of a flow record row\n";
  size_t lines = 0;
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
  auto r = c.Post("/api/v1/jobs?kind=count_lines", as("alice"), kBytes, provider,
                  "application/octet-stream");
  auto uploaded = std::chrono::steady_clock::now();
  ASSERT_TRUE(r) << httplib::to_string(r.error());
  ASSERT_EQ(r->status, 201) << r->body;
  Json done = wait_final(Json::parse(r->body)["id"]);
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

TEST_F(ServerFixture, ACutOffUploadLeavesNoJobAndNoFile) {
  std::string head =
      "POST /api/v1/jobs?kind=count_lines HTTP/1.1\r\nHost: x\r\nCookie: ctip_session=alice\r\n"
      "X-CSRF-Token: csrf-alice\r\nContent-Type: text/csv\r\nContent-Length: 1000000\r\n\r\n";
  std::string reply = raw(head + std::string(5000, 'x'), true);
  EXPECT_EQ(reply.find("201"), std::string::npos) << reply;
  for (int i = 0; i < 200 && env.job_files() > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(env.job_files(), 0u);
  EXPECT_EQ(env.count("SELECT count(*) FROM jobs"), 0);
}

TEST_F(ServerFixture, BodyLimitsArePerRoute) {
  auto over_default =
      raw("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", false);
  EXPECT_EQ(over_default.rfind("HTTP/1.1 413", 0), 0u) << over_default;
  EXPECT_NE(over_default.find("payload_too_large"), std::string::npos);
  auto expecting =
      raw("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n"
          "Expect: 100-continue\r\n\r\n",
          false);
  EXPECT_EQ(expecting.rfind("HTTP/1.1 413", 0), 0u) << expecting;
  auto chunked =
      raw("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n", false);
  EXPECT_EQ(chunked.rfind("HTTP/1.1 411", 0), 0u) << chunked;
  auto over_upload =
      raw("POST /api/v1/jobs?kind=count_lines HTTP/1.1\r\nHost: x\r\nCookie: ctip_session=alice\r\n"
          "X-CSRF-Token: csrf-alice\r\nContent-Length: " +
              std::to_string(kMaxUpload + 1) + "\r\n\r\n",
          false);
  EXPECT_EQ(over_upload.rfind("HTTP/1.1 413", 0), 0u) << over_upload;
  // Within limits, both kinds of route work: a 2 MB upload is fine where a JSON body is not.
  auto c = client();
  EXPECT_EQ(c.Post("/api/v1/echo", "{}", "application/json")->status, 200);
  auto big =
      c.Post("/api/v1/jobs?kind=count_lines", as("alice"), std::string(2000000, 'y'), "text/plain");
  EXPECT_EQ(big->status, 201);
  EXPECT_EQ(limits.limit("POST", "/api/v1/jobs"), kMaxUpload);
  EXPECT_EQ(limits.limit("POST", "/api/v1/jobs/3/cancel"), 1u << 20);
  EXPECT_EQ(limits.largest(), kMaxUpload);
}

TEST_F(ServerFixture, TheClientUploadsAndFollowsAJob) {
  auto file = env.dir / "input.csv";
  {
    std::ofstream out(file);
    for (int i = 0; i < 1000; ++i) out << "row " << i << "\n";
  }
  std::FILE* log = std::tmpfile();
  ProgressBar bar(log, false, 0ms);
  ServerSession session{"http://127.0.0.1:" + std::to_string(port), "alice", "csrf-alice"};
  Json job = run_on_server(session, "count_lines", file, bar, 10ms);
  EXPECT_EQ(job["status"], "succeeded");
  EXPECT_EQ(job["result"]["lines"], 1000);
  std::fseek(log, 0, SEEK_SET);
  std::string printed(4096, '\0');
  printed.resize(std::fread(printed.data(), 1, printed.size(), log));
  std::fclose(log);
  EXPECT_NE(printed.find("uploaded"), std::string::npos) << printed;
  EXPECT_NE(printed.find("job succeeded"), std::string::npos) << printed;

  ServerSession wrong{session.base_url, "alice", "bad"};
  try {
    run_on_server(wrong, "count_lines", file, bar, 10ms);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::permission_denied);
  }
}

}  // namespace
}  // namespace ctip::jobs
