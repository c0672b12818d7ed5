// Integration tests of the HTTP server: a real store, a real audit log, a real listening
// socket on loopback and httplib's client.
#include "server/server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "app/capabilities.h"
#include "auth/permissions.h"
#include "auth/testing.h"
#include "core/embedded.h"
#include "core/error.h"
#include "core/json_input.h"
#include "server/api.h"
#include "server/route_probes.h"
#include "store/testing.h"

namespace ctip::server {

auth::User testing::ProbeFixture::user(const std::string& username) const {
  std::optional<auth::User> u;
  store.read([&](store::Connection& c) { u = auth::find_user_by_name(c, username); });
  if (!u) throw ctip::Error(ErrorCode::internal, "no test user " + username);
  return *u;
}

namespace {

constexpr const char* kPassword = "test-password-1";

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new store::testing::TestDatabase();
    store_ = db_->open().release();
    trust_ = new audit::DirectoryTrustStore(db_->dir());
    audit_ = new audit::AuditLog(*store_, *trust_);
    store_->write([&](store::Connection& c) {
      // Organisation "Unit": one user per role, named after it; "Other NGO": "other.<role>".
      // They share the password, hashed once (auth/testing.h).
      for (const auto& role : auth::PermissionMatrix::builtin().roles()) {
        auth::testing::create_user(c, {role, kPassword, "Unit", "government_agency", role});
        auth::testing::create_user(
            c, {"other." + role, kPassword, "Other NGO", "service_provider", role});
      }
      // Locked out by the throttling test; no other test logs in as it.
      auth::testing::create_user(
          c, {"throttle.target", kPassword, "Unit", "government_agency", "screener"});
    });
    // Each capability's probes create the objects they need (src/server/route_probes.h).
    testing::ProbeFixture fixture{*store_, *audit_};
    for (auto source : testing::capability_probes()) {
      auto set = source(fixture);
      for (auto& p : set.probes) probes_.push_back(std::move(p));
      for (const auto& [type, id] : set.other_org_objects) other_org_objects_[type] = id;
    }
    ServerOptions o;
    o.port = 0;
    o.jobs_dir = db_->dir() / "server-jobs";
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
    delete db_;
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

  static inline store::testing::TestDatabase* db_ = nullptr;
  static inline store::Store* store_ = nullptr;
  static inline audit::DirectoryTrustStore* trust_ = nullptr;
  static inline audit::AuditLog* audit_ = nullptr;
  static inline Server* server_ = nullptr;
  static inline std::thread* thread_ = nullptr;
  static inline int port_ = 0;
  // Every route's probe, and per object type an object of "Other NGO".
  static inline std::vector<testing::Probe> probes_;
  static inline std::map<std::string, int64_t> other_org_objects_;
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
    other = c.query_row("SELECT id FROM users WHERE username = 'other.admin'").integer(0);
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
      n = c.query_row("SELECT count(*) FROM screenings").integer(0) +
          c.query_row("SELECT count(*) FROM persons").integer(0);
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
  // Fewer than 5 persons: the API suppresses the cells and the totals (issue #8 item 8).
  auto coverage = Json::parse(cov->body);
  if (coverage["totals_suppressed"].get<bool>()) {
    EXPECT_TRUE(coverage["months"].empty());
    EXPECT_GE(coverage["suppressed_cells"].get<int64_t>(), 1);
  } else {
    EXPECT_GE(coverage["totals"]["presumed"].get<int64_t>(), 1);
  }
}

// Every route x every role gets exactly the status the matrix and the route's probe say, never
// a 5xx; and on every route on one object, a user of another organisation gets 404. The probes
// are the capabilities' own (src/<cap>/route_probes.cpp) and the platform's below.
TEST_F(ServerTest, EveryRouteAnswersEveryRoleExactlyAsTheMatrixSays) {
  const auto& matrix = auth::PermissionMatrix::builtin();
  std::map<std::string, testing::Probe> probes = {
      {"GET /api/v1/health", {"GET", "/api/v1/health", "/api/v1/health", "", 200}},
      {"GET /api/v1/meta", {"GET", "/api/v1/meta", "/api/v1/meta", "", 200}},
  };
  for (const auto& p : probes_)
    ASSERT_TRUE(probes.emplace(p.method + " " + p.pattern, p).second)
        << "two probes of " << p.pattern;
  const auto& other_org_object = other_org_objects_;

  auto send = [&](const Route& route, const std::string& path, const std::string& body,
                  const Login* l) {
    auto c = client();
    httplib::Headers h;
    if (l) h = headers(*l);
    httplib::Result res = route.method == "GET"     ? c.Get(path, h)
                          : route.method == "POST"  ? c.Post(path, h, body, "application/json")
                          : route.method == "PATCH" ? c.Patch(path, h, body, "application/json")
                                                    : c.Delete(path, h, body, "application/json");
    EXPECT_TRUE(res) << route.method << " " << path;
    return res ? res->status : 0;
  };

  std::map<std::string, Login> sessions;
  size_t checked = 0, cross_org = 0;
  for (const auto& route : all_routes()) {
    std::string key = route.method + " " + route.pattern;
    auto probe_it = probes.find(key);
    ASSERT_NE(probe_it, probes.end())
        << key << " has no probe: add one to its capability's route_probes.cpp";
    const testing::Probe& probe = probe_it->second;
    bool is_public = route.action == kPublic;
    if (!is_public) {
      ASSERT_TRUE(matrix.is_action(route.action)) << key << " names an unknown action";
      EXPECT_EQ(send(route, probe.path, probe.body, nullptr), 401) << key << " without a session";
    }
    for (const auto& role : matrix.roles()) {
      bool logout = key == "DELETE /api/v1/session";
      if (!sessions.count(role) || logout) sessions[role] = login(role);
      const Login& l = sessions[role];
      auto grant = matrix.grant(role, route.action);
      int expected = is_public || grant ? probe.status : 403;
      int got = send(route, probe.path, probe.body, &l);
      EXPECT_EQ(got, expected) << role << " " << key;
      EXPECT_LT(got, 500) << role << " " << key;
      ++checked;
      if (logout) {
        sessions.erase(role);
        continue;
      }
      // The same route on the other organisation's object: 404 under `organisation` scope.
      if (route.owner.kind == Ownership::Kind::object && grant) {
        std::string path = route.pattern;
        auto at = path.find("{" + route.owner.param + "}");
        path.replace(at, route.owner.param.size() + 2,
                     std::to_string(other_org_object.at(route.owner.object_type)));
        ASSERT_TRUE(other_org_object.count(route.owner.object_type))
            << key << ": its capability's probes give no other organisation's "
            << route.owner.object_type;
        int want = *grant == auth::Scope::all ? probe.status : 404;
        EXPECT_EQ(send(route, path, probe.body, &l), want) << role << " " << key << " other org";
        // And an object that does not exist: 404 for everyone allowed.
        path = route.pattern;
        path.replace(path.find("{" + route.owner.param + "}"), route.owner.param.size() + 2,
                     "987654");
        EXPECT_EQ(send(route, path, probe.body, &l), 404) << role << " " << key << " absent";
        ++cross_org;
      }
    }
  }
  EXPECT_EQ(checked, all_routes().size() * matrix.roles().size());
  EXPECT_GE(cross_org, 3u);  // disable a user, read a screening, refer: each by an allowed role
  // Every probe names a route (a removed route must leave this test too).
  for (const auto& [key, probe] : probes) {
    bool found = false;
    for (const auto& r : all_routes()) found |= r.method + " " + r.pattern == key;
    EXPECT_TRUE(found) << key << " is probed but is not a route";
  }
}

TEST_F(ServerTest, AProbeForAnotherOrganisationsObjectIs404AndAuditedAsDenied) {
  auto l = login("caseworker");
  int64_t other_screening = other_org_objects_.at("screening");
  auto res = client().Get("/api/v1/screenings/" + std::to_string(other_screening), headers(l));
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(error_of(res)["code"], "not_found");
  auto last = audit_->latest(1).front().event;
  EXPECT_EQ(last.action, "access.denied");
  EXPECT_EQ(last.object_type, "screening");
  EXPECT_EQ(last.object_id, std::to_string(other_screening));
  EXPECT_EQ(last.outcome, "denied");
  EXPECT_EQ(last.actor, "caseworker");
}

// The store's migrations are exactly the registered capabilities' schema files, numbered
// 0001..N across capabilities without a gap or a duplicate.
TEST(Registry, EveryMigrationBelongsToOneRegisteredCapability) {
  std::set<std::string> names;
  size_t owned = 0;
  for (const auto& c : app::capabilities()) {
    EXPECT_TRUE(names.insert(std::string(c.name)).second) << c.name << " registered twice";
    EXPECT_TRUE(c.routes && c.add_commands && c.add_meta) << c.name;
    owned += app::schema_of(c).size();
  }
  EXPECT_EQ(owned, embedded::migrations().size());
  auto known = store::Store::known_migrations();
  ASSERT_EQ(known.size(), owned);
  for (size_t i = 0; i < known.size(); ++i) EXPECT_EQ(known[i].version, static_cast<int>(i + 1));
  for (const auto& c : app::capabilities()) {
    if (c.name == "screen") {
      EXPECT_EQ(app::schema_of(c).at(0).path, "src/screen/schema/0003_screening_workflow.sql");
    }
  }
}

TEST(RouteMatching, LiteralSegmentsBeatParametersWhateverTheOrder) {
  auto handler = [](Call&) { return Reply(); };
  std::vector<Route> routes = {
      {"GET", "/api/v1/things/{id}", kPublic, handler, "one", Ownership::none()},
      {"GET", "/api/v1/things/{id}/parts/{part}", kPublic, handler, "part", Ownership::none()},
      {"GET", "/api/v1/things/summary", kPublic, handler, "summary", Ownership::none()},
      {"GET", "/api/v1/things/{id}/parts/main", kPublic, handler, "main", Ownership::none()},
      {"POST", "/api/v1/things", kPublic, handler, "create", Ownership::none()},
      {"GET", "/api/v1/things", kPublic, handler, "list", Ownership::none()},
  };
  auto m = match_route(routes, "GET", "/api/v1/things/summary");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->summary, "summary");
  m = match_route(routes, "GET", "/api/v1/things/7");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->summary, "one");
  EXPECT_EQ(m.params.at("id"), "7");
  m = match_route(routes, "GET", "/api/v1/things/7/parts/main");
  EXPECT_EQ(m.route->summary, "main");
  m = match_route(routes, "GET", "/api/v1/things/7/parts/wheel");
  EXPECT_EQ(m.route->summary, "part");
  EXPECT_EQ(m.params.at("part"), "wheel");
  m = match_route(routes, "DELETE", "/api/v1/things");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allowed, (std::vector<std::string>{"GET", "POST"}));
  m = match_route(routes, "GET", "/api/v1/nothing");
  EXPECT_FALSE(m.route);
  EXPECT_TRUE(m.allowed.empty());
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  auto l = login("screener");
  auto res = client().Delete("/api/v1/screenings", headers(l));
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "GET, POST");
  EXPECT_EQ(error_of(res)["code"], "method_not_allowed");
  res = client().Put("/api/v1/me", headers(l), "{}", "application/json");
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "GET");
  // The coverage route is the specific one, even though {id} also matches it.
  res = client().Post("/api/v1/screenings/coverage", headers(l), "{}", "application/json");
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(res->get_header_value("Allow"), "GET");
}

TEST_F(ServerTest, MetaServesTheEnumerationsWithoutASession) {
  auto res = client().Get("/api/v1/meta");
  ASSERT_EQ(res->status, 200);
  auto meta = Json::parse(res->body);
  for (const char* key : {"roles", "organisation_kinds", "encounter_sources", "referral_kinds",
                          "outcomes", "languages", "profiles", "audit_outcomes"}) {
    ASSERT_TRUE(meta[key].is_array()) << key;
    EXPECT_FALSE(meta[key].empty()) << key;
    for (const auto& v : meta[key]) EXPECT_TRUE(v.is_string()) << key;
  }
  EXPECT_EQ(meta["roles"].size(), auth::PermissionMatrix::builtin().roles().size());
  EXPECT_EQ(meta["languages"], (Json{"en", "es", "fr", "ar"}));
  EXPECT_EQ(meta["outcomes"].size(), 6u);
  EXPECT_EQ(meta["profiles"].size(), 5u);
  EXPECT_EQ(meta["version"], Json::parse(client().Get("/api/v1/health")->body)["version"]);
}

TEST_F(ServerTest, ApiRecordWritesOneLinePerAnsweredRequest) {
  auto file = db_->dir() / "api-record.jsonl";
  const char* before = std::getenv("CTIP_API_RECORD");
  std::string saved = before ? before : "";
  setenv("CTIP_API_RECORD", file.c_str(), 1);
  ServerOptions o;
  o.port = 0;
  Server recording(*store_, *audit_, o);
  if (before)
    setenv("CTIP_API_RECORD", saved.c_str(), 1);
  else
    unsetenv("CTIP_API_RECORD");
  int port = recording.bind();
  std::thread t([&] { recording.listen(); });
  httplib::Client c("127.0.0.1", port);
  c.Get("/api/v1/health");
  c.Get("/api/v1/no/such");
  c.Get("/api/v1/me");
  recording.stop();
  t.join();
  std::ifstream in(file);
  std::vector<Json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(Json::parse(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["method"], "GET");
  EXPECT_EQ(lines[0]["route"], "/api/v1/health");
  EXPECT_EQ(lines[0]["path"], "/api/v1/health");
  EXPECT_EQ(lines[0]["status"], 200);
  EXPECT_EQ(lines[0]["content_type"], "application/json");
  EXPECT_EQ(lines[0]["body"]["status"], "ok");
  EXPECT_TRUE(lines[1]["route"].is_null());
  EXPECT_EQ(lines[1]["status"], 404);
  EXPECT_EQ(lines[2]["route"], "/api/v1/me");
  EXPECT_EQ(lines[2]["status"], 401);
  EXPECT_EQ(lines[2]["body"]["error"]["code"], "unauthenticated");
}

}  // namespace
}  // namespace ctip::server
