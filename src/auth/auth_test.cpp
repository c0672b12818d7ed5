#include <gtest/gtest.h>

#include <filesystem>

#include "auth/accounts.h"
#include "auth/permissions.h"
#include "core/error.h"
#include "store/testing.h"

namespace ctip::auth {
namespace {

// A fresh store on the engine of the run (store/testing.h).
struct TempStore {
  store::testing::TestDatabase db;
  std::unique_ptr<store::Store> store = db.open();
};

TEST(PermissionMatrix, BuiltinCoversEveryRoleOfTheIssue) {
  const auto& m = PermissionMatrix::builtin();
  for (const char* role : {"admin", "investigator", "caseworker", "screener", "analyst",
                           "platform_analyst", "inspector", "auditor"}) {
    EXPECT_TRUE(m.is_role(role)) << role;
    EXPECT_TRUE(m.allows(role, "session.me")) << role;
  }
  EXPECT_TRUE(m.allows("admin", "users.manage"));
  EXPECT_FALSE(m.allows("screener", "users.manage"));
  EXPECT_FALSE(m.allows("analyst", "screenings.read"));  // aggregates only
  EXPECT_EQ(m.grant("auditor", "audit.read"), Scope::all);
  EXPECT_FALSE(m.allows("nobody", "session.me"));
  EXPECT_FALSE(m.allows("admin", "no.such.action"));
}

TEST(PermissionMatrix, RejectsUnknownRolesAndScopesNamingTheField) {
  try {
    PermissionMatrix::parse(
        R"({"version":1,"roles":{"a":"x"},"actions":{"do":{"description":"d","grants":{"b":"all"}}}})");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "actions.do.grants.b");
  }
  EXPECT_THROW(
      PermissionMatrix::parse(
          R"({"version":1,"roles":{"a":"x"},"actions":{"do":{"description":"d","grants":{"a":"world"}}}})"),
      Error);
}

TEST(Passwords, Argon2idHashVerifies) {
  auto h = hash_password("correct horse battery");
  EXPECT_TRUE(h.starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password(h, "correct horse battery"));
  EXPECT_FALSE(verify_password(h, "correct horse batterY"));
}

TEST(Accounts, CreateListDisableAndSessions) {
  TempStore t;
  User u;
  t.store->write([&](store::Connection& c) {
    u = create_user(
        c, {"amina.k", "long-enough-pass", "Safe Harbour", "service_provider", "caseworker"});
  });
  EXPECT_GT(u.id, 0);
  EXPECT_EQ(u.org.kind, "service_provider");
  Session s;
  t.store->write([&](store::Connection& c) { s = create_session(c, u.id); });
  t.store->read([&](store::Connection& c) {
    auto found = find_session(c, s.token);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->first.username, "amina.k");
    EXPECT_EQ(found->second, s.csrf_token);
    EXPECT_FALSE(find_session(c, std::string(64, 'a')));
    // Only the token's hash is stored.
    EXPECT_FALSE(c.query_one("SELECT 1 FROM sessions WHERE token_hash = ?", {s.token}));
  });
  t.store->write([&](store::Connection& c) { set_disabled(c, u.id, true); });
  t.store->read([&](store::Connection& c) { EXPECT_FALSE(find_session(c, s.token)); });
}

TEST(Accounts, BadInputNamesTheField) {
  TempStore t;
  auto expect_field = [&](NewUser u, const std::string& field) {
    try {
      t.store->write([&](store::Connection& c) { create_user(c, u); });
      FAIL() << field;
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), field);
    }
  };
  expect_field({"ab", "long-enough-pass", "Org", "government_agency", "admin"}, "username");
  expect_field({"Upper", "long-enough-pass", "Org", "government_agency", "admin"}, "username");
  expect_field({"abc", "short", "Org", "government_agency", "admin"}, "password");
  expect_field({"abc", "long-enough-pass", "Org", "government_agency", "root"}, "role");
  expect_field({"abc", "long-enough-pass", "Org", "bank", "admin"}, "org-kind");
  t.store->write([&](store::Connection& c) {
    create_user(c, {"abc", "long-enough-pass", "Org", "government_agency", "admin"});
  });
  expect_field({"abc", "long-enough-pass", "Org", "government_agency", "admin"}, "username");
  expect_field({"abd", "long-enough-pass", "Org", "law_enforcement", "admin"}, "org-kind");
  t.store->read([&](store::Connection& c) { EXPECT_EQ(list_users(c, std::nullopt).size(), 1u); });
}

TEST(LoginThrottle, BlocksAfterFiveFailuresPerUsernameUntilTheWindowPasses) {
  FakeClock clock(1000);
  LoginThrottle t(clock);
  for (int i = 0; i < LoginThrottle::kMaxFailures; ++i) {
    EXPECT_EQ(t.retry_after_ms("u", "1.2.3.4"), 0);
    t.failed("u", "1.2.3.4");
  }
  clock.set(2000);
  EXPECT_EQ(t.retry_after_ms("u", "5.6.7.8"), LoginThrottle::kWindowMs - 1000);
  EXPECT_EQ(t.retry_after_ms("other", "5.6.7.8"), 0);
  clock.set(1000 + LoginThrottle::kWindowMs - 1);
  EXPECT_EQ(t.retry_after_ms("u", "5.6.7.8"), 1);
  clock.advance(1);
  EXPECT_EQ(t.retry_after_ms("u", "5.6.7.8"), 0);
}

TEST(LoginThrottle, BlocksAnAddressThatTriesManyUsernames) {
  FakeClock clock(0);
  LoginThrottle t(clock);
  for (int i = 0; i < LoginThrottle::kMaxAddressFailures; ++i)
    t.failed("user" + std::to_string(i), "9.9.9.9");
  clock.advance(1);
  EXPECT_GT(t.retry_after_ms("fresh", "9.9.9.9"), 0);
  EXPECT_EQ(t.retry_after_ms("fresh", "1.1.1.1"), 0);
}

TEST(LoginThrottle, ASuccessClearsTheAccountButNotTheAddress) {
  FakeClock clock;
  LoginThrottle t(clock);
  for (int i = 0; i < LoginThrottle::kMaxAddressFailures; ++i) t.failed("u", "9.9.9.9");
  EXPECT_GT(t.retry_after_ms("u", "1.1.1.1"), 0);
  t.succeeded("u");
  EXPECT_EQ(t.retry_after_ms("u", "1.1.1.1"), 0);
  EXPECT_GT(t.retry_after_ms("v", "9.9.9.9"), 0);
}

TEST(LoginThrottle, AFloodOfNewKeysForgetsTheLeastRecentNotTheTarget) {
  FakeClock clock;
  LoginThrottle t(clock, 100);
  for (int i = 0; i < LoginThrottle::kMaxFailures; ++i) t.failed("early", "192.0.2.9");
  ASSERT_GT(t.retry_after_ms("early", "192.0.2.1"), 0);
  // The attacker keeps guessing one account's password from many addresses while also trying
  // a flood of made-up usernames meant to overflow the throttle's memory.
  for (int i = 0; i < 1000; ++i) {
    if (i % 10 == 0) t.failed("target", "10.0.0." + std::to_string(i % 250));
    t.failed("made-up-" + std::to_string(i),
             "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250));
  }
  EXPECT_LE(t.tracked(), 200u);  // bounded: 100 accounts + 100 addresses
  EXPECT_GT(t.retry_after_ms("target", "192.0.2.1"), 0) << "the target stays throttled";
  EXPECT_EQ(t.retry_after_ms("early", "192.0.2.1"), 0) << "the least recent key was forgotten";
  EXPECT_EQ(t.retry_after_ms("made-up-999", "192.0.2.1"), 0) << "one failure does not block";
}

TEST(Sessions, ExpireAfterTheirLifetimeWithoutWaiting) {
  TempStore t;
  FakeClock clock;
  int64_t uid = 0;
  Session s;
  t.store->write([&](store::Connection& c) {
    uid = create_user(c,
                      {"sessions.user", "long-enough-pass", "Org", "government_agency", "screener"})
              .id;
    s = create_session(c, uid, clock);
  });
  EXPECT_EQ(s.expires_ms, clock.now_ms() + kSessionLifetimeMs);
  auto find = [&] {
    std::optional<std::pair<User, std::string>> found;
    t.store->read([&](store::Connection& c) { found = find_session(c, s.token, clock); });
    return found;
  };
  ASSERT_TRUE(find());
  EXPECT_EQ(find()->first.id, uid);
  EXPECT_EQ(find()->second, s.csrf_token);
  clock.advance(kSessionLifetimeMs);
  EXPECT_TRUE(find()) << "alive up to its expiry";
  clock.advance(1);
  EXPECT_FALSE(find()) << "expired";
  // The next login sweeps the expired session from the table.
  t.store->write([&](store::Connection& c) { create_session(c, uid, clock); });
  t.store->read([&](store::Connection& c) {
    EXPECT_EQ(c.query_row("SELECT COUNT(*) FROM sessions").integer(0), 1);
  });
}

}  // namespace
}  // namespace ctip::auth
