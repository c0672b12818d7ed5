// Integration tests of the HTTP server: a real store, a real audit log, a real listening
// socket on loopback and httplib's client.
#include "server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <thread>

#include "auth/permissions.h"
#include "core/json_input.h"
#include "server/api.h"

namespace ctip::server {
namespace {

constexpr const char* kPassword = "test-password-1";

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        std::filesystem::temp_directory_path() / ("ctip-server-test-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    store_ = store::Store::open_sqlite(dir_).release();
    trust_ = new audit::DirectoryTrustStore(dir_);
    audit_ = new audit::AuditLog(*store_, *trust_);
    store_->write([](store::Connection& c) {
      for (const auto& role : auth::PermissionMatrix::builtin().roles())
        auth::create_user(c, {role, kPassword, "Unit", "government_agency", role});
      auth::create_user(c, {"other.admin", kPassword, "Other NGO", "service_provider", "admin"});
      auth::create_user(
          c, {"other.caseworker", kPassword, "Other NGO", "service_provider", "caseworker"});
      // Locked out by the throttling test; no other test logs in as it.
      auth::create_user(c, {"throttle.target", kPassword, "Unit", "government_agency", "screener"});
    });
    ServerOptions o;
    o.port = 0;
    server_ = new Server(*store_, *audit_, o);
    port_ = server_->bind();
    thread_ = new std::thread([] { server_->listen(); });
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete audit_;
    delete trust_;
    delete store_;
    std::filesystem::remove_all(dir_);
  }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(20, 0);
    return c;
  }

  struct Login {
    std::string cookie;
    std::string csrf;
  };
  Login login(const std::string& user) {
    auto c = client();
    auto res = c.Post("/api/v1/session", Json{{"username", user}, {"password", kPassword}}.dump(),
                      "application/json");
    EXPECT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    auto set = res->get_header_value("Set-Cookie");
    Login l;
    l.cookie = set.substr(0, set.find(';'));
    l.csrf = Json::parse(res->body)["csrf_token"];
    return l;
  }
  httplib::Headers headers(const Login& l, bool csrf = true) {
    httplib::Headers h{{"Cookie", l.cookie}};
    if (csrf) h.emplace("X-CSRF-Token", l.csrf);
    return h;
  }
  static Json error_of(const httplib::Result& r) { return Json::parse(r->body)["error"]; }

  static inline std::filesystem::path dir_;
  static inline store::Store* store_ = nullptr;
  static inline audit::DirectoryTrustStore* trust_ = nullptr;
  static inline audit::AuditLog* audit_ = nullptr;
  static inline Server* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
};

TEST_F(ServerTest, HealthIsPublic) {
  auto res = client().Get("/api/v1/health");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(Json::parse(res->body)["status"], "ok");
}

TEST_F(ServerTest, LoginSetsAHardenedCookieAndMeAnswers) {
  auto c = client();
  auto res =
      c.Post("/api/v1/session", Json{{"username", "screener"}, {"password", kPassword}}.dump(),
             "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto cookie = res->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  auto l = login("screener");
  auto me = client().Get("/api/v1/me", headers(l, false));
  ASSERT_EQ(me->status, 200);
  auto j = Json::parse(me->body);
  EXPECT_EQ(j["user"]["role"], "screener");
  EXPECT_EQ(j["user"]["organisation"]["name"], "Unit");
  EXPECT_EQ(j["csrf_token"], l.csrf);
}

TEST_F(ServerTest, CookieIsSecureWhenServedOverTls) {
  ServerOptions o;
  o.port = 0;
  o.secure_cookies = true;
  Server tls(*store_, *audit_, o);
  int port = tls.bind();
  std::thread t([&] { tls.listen(); });
  httplib::Client c("127.0.0.1", port);
  auto res =
      c.Post("/api/v1/session", Json{{"username", "analyst"}, {"password", kPassword}}.dump(),
             "application/json");
  tls.stop();
  t.join();
  ASSERT_TRUE(res);
  EXPECT_NE(res->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
}

TEST_F(ServerTest, WrongPasswordIs401AndAuditedThenThrottled) {
  auto c = client();
  int64_t before = audit_->head().tree_size;
  for (int i = 0; i < auth::LoginThrottle::kMaxFailures; ++i) {
    auto res = c.Post("/api/v1/session",
                      Json{{"username", "throttle.target"}, {"password", "wrong-password"}}.dump(),
                      "application/json");
    ASSERT_EQ(res->status, 401);
    EXPECT_EQ(error_of(res)["code"], "unauthenticated");
  }
  // The first failure is recorded at once; the others of the same source (address and
  // username) are folded into one entry with a count when the window closes.
  EXPECT_EQ(audit_->head().tree_size, before + 1);
  audit_->flush_failures();
  int64_t failures = 0;
  for (const auto& e : audit_->entries(before, 1000))
    if (e.event.action == "session.login" && e.event.outcome == "failure")
      failures += e.event.occurrences.value_or(1);
  EXPECT_EQ(failures, auth::LoginThrottle::kMaxFailures);
  auto res = c.Post("/api/v1/session",
                    Json{{"username", "throttle.target"}, {"password", kPassword}}.dump(),
                    "application/json");
  EXPECT_EQ(res->status, 429);
  EXPECT_FALSE(res->get_header_value("Retry-After").empty());
  // Throttling one account does not lock out another.
  login("analyst");
}

TEST_F(ServerTest, BadInputGetsA4xxJsonErrorNamingTheProblem) {
  auto c = client();
  auto res = c.Post("/api/v1/session", "{not json", "application/json");
  EXPECT_EQ(res->status, 400);
  res = c.Post("/api/v1/session", R"({"username":"a","password":"b","remember":true})",
               "application/json");
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(error_of(res)["field"], "remember");
  res = c.Post("/api/v1/session", R"({"username":1,"password":"b"})", "application/json");
  EXPECT_EQ(error_of(res)["field"], "username");
  res = c.Post("/api/v1/session", "username=a", "application/x-www-form-urlencoded");
  EXPECT_EQ(res->status, 415);
  res = c.Post("/api/v1/session", std::string(2 << 20, 'x'), "application/json");
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(error_of(res)["code"], "payload_too_large");
  res = c.Get("/api/v1/no/such/route");
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(error_of(res)["code"], "not_found");
  res = c.Get("/api/v1/me");
  EXPECT_EQ(res->status, 401);
}

TEST_F(ServerTest, WritesNeedTheCsrfTokenAndNothingIsWrittenWithout) {
  auto l = login("admin");
  auto body =
      Json{{"username", "new.user"}, {"password", "a-good-password"}, {"role", "screener"}}.dump();
  auto res = client().Post("/api/v1/users", headers(l, false), body, "application/json");
  EXPECT_EQ(res->status, 403);
  EXPECT_EQ(error_of(res)["field"], "X-CSRF-Token");
  store_->read([](store::Connection& c) {
    EXPECT_FALSE(c.query_one("SELECT id FROM users WHERE username = 'new.user'"));
  });
  res = client().Post("/api/v1/users", headers(l), body, "application/json");
  EXPECT_EQ(res->status, 201) << res->body;
  EXPECT_EQ(Json::parse(res->body)["user"]["organisation"]["name"], "Unit");
  res = client().Post("/api/v1/users", headers(l), body, "application/json");
  EXPECT_EQ(res->status, 409);
  // An admin sees only their own organisation's users.
  res = client().Get("/api/v1/users", headers(l, false));
  auto listed = Json::parse(res->body);
  for (const auto& u : listed["users"]) EXPECT_EQ(u["organisation"]["name"], "Unit");
}

TEST_F(ServerTest, AdminCannotDisableAUserOfAnotherOrganisation) {
  auto l = login("admin");
  int64_t other = 0;
  store_->read([&](store::Connection& c) {
    other = c.query_one("SELECT id FROM users WHERE username = 'other.admin'")->integer(0);
  });
  auto res = client().Post("/api/v1/users/" + std::to_string(other) + "/disable", headers(l), "",
                           "application/json");
  EXPECT_EQ(res->status, 404);
}

TEST_F(ServerTest, LogoutEndsTheSession) {
  auto l = login("caseworker");
  auto res = client().Delete("/api/v1/session", headers(l));
  EXPECT_EQ(res->status, 204);
  EXPECT_EQ(client().Get("/api/v1/me", headers(l, false))->status, 401);
}

TEST_F(ServerTest, AuditorSeesAVerifiedLogWithLoginsAndDenials) {
  auto inv = login("investigator");
  auto res = client().Get("/api/v1/audit/entries", headers(inv, false));
  EXPECT_EQ(res->status, 403);
  auto a = login("platform_analyst");
  res = client().Get("/api/v1/audit/verify", headers(a, false));
  EXPECT_EQ(res->status, 403);
  store_->write([](store::Connection& c) {
    if (!auth::find_user_by_name(c, "auditor.two"))
      auth::create_user(c, {"auditor.two", kPassword, "Oversight", "government_agency", "auditor"});
  });
  auto l = login("auditor.two");
  res = client().Get("/api/v1/audit/verify", headers(l, false));
  ASSERT_EQ(res->status, 200);
  auto v = Json::parse(res->body);
  EXPECT_TRUE(v["ok"].get<bool>()) << v.dump();
  EXPECT_GT(v["entries"].get<int64_t>(), 0);
  res = client().Get("/api/v1/audit/entries?limit=50", headers(l, false));
  ASSERT_EQ(res->status, 200);
  auto entries = Json::parse(res->body)["entries"];
  bool saw_denial = false, saw_login = false;
  for (const auto& e : entries) {
    saw_denial |= e["action"] == "access.denied" && e["actor"] == "investigator";
    saw_login |= e["action"] == "session.login" && e["outcome"] == "success";
  }
  EXPECT_TRUE(saw_denial);
  EXPECT_TRUE(saw_login);
  res = client().Get("/api/v1/audit/entries?limit=0", headers(l, false));
  EXPECT_EQ(res->status, 400);
  EXPECT_EQ(error_of(res)["field"], "limit");
}

TEST_F(ServerTest, ScreeningIsStoredWithCaseAndReferralsAndBadInputStoresNothing) {
  auto l = login("screener");
  auto count = [] {
    int64_t n = 0;
    store_->read([&](store::Connection& c) {
      n = c.query_one("SELECT count(*) FROM screenings")->integer(0) +
          c.query_one("SELECT count(*) FROM persons")->integer(0);
    });
    return n;
  };
  Json body = {{"person", {{"reference", "CASE-7"}, {"nationality", "NG"}}},
               {"encounter", {{"source", "smuggling_interception"}, {"date", "2026-03-02"}}},
               {"language", "es"},
               {"interpreter_used", true},
               {"instrument", "full"},
               {"profile", "adult_labour"},
               {"age", 29},
               {"may_be_minor", false},
               {"answers",
                {{"dr_deceived_nature_of_job", "yes"},
                 {"dr_deceived_travel_recruitment", "yes"},
                 {"ex_excessive_hours", "yes"},
                 {"ex_low_or_no_pay", "yes"},
                 {"cd_confiscation_of_documents", "yes"},
                 {"cd_debt_bondage", "yes"}}}};
  int64_t before = count();
  // Bad input: named field, 400, nothing stored.
  for (auto [path, value, field] : std::vector<std::tuple<std::string, Json, std::string>>{
           {"/answers/no_such_indicator", "yes", "answers.no_such_indicator"},
           {"/answers/ex_excessive_hours", "maybe", "answers.ex_excessive_hours"},
           {"/age", -3, "age"},
           {"/person/nationality", "ZZ", "person.nationality"},
           {"/encounter/source", "airport", "encounter.source"},
           {"/language", "de", "language"}}) {
    Json bad = body;
    bad[Json::json_pointer(path)] = value;
    auto res = client().Post("/api/v1/screenings", headers(l), bad.dump(), "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400) << path;
    EXPECT_EQ(error_of(res)["field"], field) << res->body;
  }
  EXPECT_EQ(count(), before);

  auto res = client().Post("/api/v1/screenings", headers(l), body.dump(), "application/json");
  ASSERT_EQ(res->status, 201) << res->body;
  auto created = Json::parse(res->body);
  EXPECT_EQ(created["result"]["outcome"], "presumed_trafficking");
  EXPECT_EQ(created["case"]["status"], "presumed");
  EXPECT_EQ(created["referrals"].size(), 5u);
  EXPECT_EQ(created["screening"]["language"], "es");
  EXPECT_TRUE(created["screening"]["interpreter_used"].get<bool>());
  EXPECT_EQ(created["screening"]["interviewer"], "screener");
  int64_t id = created["screening"]["id"];

  auto refer = client().Post("/api/v1/screenings/" + std::to_string(id) + "/referrals", headers(l),
                             R"({"kind":"shelter"})", "application/json");
  EXPECT_EQ(refer->status, 201);
  EXPECT_EQ(Json::parse(refer->body)["referral"]["status"], "made");

  // Another organisation's caseworker sees nothing of it; the analyst sees only aggregates.
  auto other = login("other.caseworker");
  EXPECT_EQ(client().Get("/api/v1/screenings/" + std::to_string(id), headers(other))->status, 404);
  auto analyst = login("analyst");
  EXPECT_EQ(client().Get("/api/v1/screenings/" + std::to_string(id), headers(analyst))->status,
            403);
  auto cov = client().Get("/api/v1/screenings/coverage", headers(analyst));
  ASSERT_EQ(cov->status, 200);
  EXPECT_GE(Json::parse(cov->body)["totals"]["presumed"].get<int64_t>(), 1);
}

// Every route x every role: allowed exactly when the permission matrix says so.
TEST_F(ServerTest, EveryRouteAnswersEveryRoleAsTheMatrixSays) {
  const auto& matrix = auth::PermissionMatrix::builtin();
  std::map<std::string, Login> sessions;
  size_t checked = 0;
  for (const auto& route : all_routes()) {
    std::string path = route.pattern;
    for (auto pos = path.find('{'); pos != std::string::npos; pos = path.find('{'))
      path.replace(pos, path.find('}', pos) - pos + 1, "1");
    if (route.action != kPublic) {
      ASSERT_TRUE(matrix.is_action(route.action)) << route.pattern << " names an unknown action";
      // Without a session: 401.
      httplib::Request req;
      auto c = client();
      httplib::Result res = route.method == "GET"    ? c.Get(path)
                            : route.method == "POST" ? c.Post(path, "{}", "application/json")
                                                     : c.Delete(path);
      ASSERT_TRUE(res);
      EXPECT_EQ(res->status, 401) << route.method << " " << route.pattern;
    }
    for (const auto& role : matrix.roles()) {
      bool logout = route.pattern == "/api/v1/session" && route.method == "DELETE";
      if (!sessions.count(role) || logout) sessions[role] = login(role);
      const auto& l = sessions[role];
      auto c = client();
      httplib::Result res = route.method == "GET" ? c.Get(path, headers(l))
                            : route.method == "POST"
                                ? c.Post(path, headers(l), "{}", "application/json")
                                : c.Delete(path, headers(l));
      ASSERT_TRUE(res);
      bool allowed = route.action == kPublic || matrix.allows(role, route.action);
      if (allowed)
        EXPECT_TRUE(res->status != 401 && res->status != 403)
            << role << " " << route.method << " " << route.pattern << " -> " << res->status << " "
            << res->body;
      else
        EXPECT_EQ(res->status, 403) << role << " " << route.method << " " << route.pattern;
      if (logout) sessions.erase(role);
      ++checked;
    }
  }
  EXPECT_EQ(checked, all_routes().size() * matrix.roles().size());
}

}  // namespace
}  // namespace ctip::server
