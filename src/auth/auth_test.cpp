#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "audit/audit_log.h"
#include "auth/account_service.h"
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

TEST(LoginThrottle, WrongPasswordsFromOneAddressNeverRefuseAnother) {
  FakeClock clock(1000);
  LoginThrottle t(clock);
  for (int i = 0; i < 50; ++i) {
    clock.advance(LoginThrottle::kMaxDelayMs);  // as fast as the delays allow
    t.failed("owner", "203.0.113.66");
  }
  EXPECT_GT(t.retry_after_ms("owner", "203.0.113.66"), 0) << "the guessing address waits";
  EXPECT_EQ(t.retry_after_ms("owner", "198.51.100.7"), 0) << "the owner's address never does";
}

TEST(LoginThrottle, DelaysGrowPerUsernameAndAddressAfterTheFreeFailures) {
  FakeClock clock(1000);
  LoginThrottle t(clock);
  for (int i = 0; i < LoginThrottle::kMaxFailures - 1; ++i) {
    t.failed("u", "192.0.2.1");
    EXPECT_EQ(t.retry_after_ms("u", "192.0.2.1"), 0) << i;
  }
  int64_t expected = LoginThrottle::kFirstDelayMs;
  for (int i = 0; i < 12; ++i) {
    t.failed("u", "192.0.2.1");
    EXPECT_EQ(t.retry_after_ms("u", "192.0.2.1"), expected) << i;
    EXPECT_EQ(t.retry_after_ms("other", "192.0.2.1"), 0) << "only that pair waits (address " << i;
    clock.advance(expected - 1);
    EXPECT_EQ(t.retry_after_ms("u", "192.0.2.1"), 1);
    clock.advance(1);
    EXPECT_EQ(t.retry_after_ms("u", "192.0.2.1"), 0);
    expected = std::min(expected * 2, LoginThrottle::kMaxDelayMs);
  }
  EXPECT_EQ(expected, LoginThrottle::kMaxDelayMs) << "capped at 15 minutes";
  // An hour without failures forgets the pair.
  t.failed("u", "192.0.2.1");
  clock.advance(LoginThrottle::kForgetMs);
  EXPECT_EQ(t.retry_after_ms("u", "192.0.2.1"), 0);
  t.failed("u", "192.0.2.1");
  EXPECT_EQ(t.retry_after_ms("u", "192.0.2.1"), 0) << "counting starts again";
}

TEST(LoginThrottle, AnAddressTryingManyUsernamesWaitsButOnlyThatAddress) {
  FakeClock clock(0);
  LoginThrottle t(clock);
  for (int i = 0; i < LoginThrottle::kMaxAddressFailures - 1; ++i)
    t.failed("user" + std::to_string(i), "9.9.9.9");
  EXPECT_EQ(t.retry_after_ms("fresh", "9.9.9.9"), 0);
  t.failed("user-last", "9.9.9.9");
  EXPECT_EQ(t.retry_after_ms("fresh", "9.9.9.9"), LoginThrottle::kFirstDelayMs);
  EXPECT_EQ(t.retry_after_ms("fresh", "1.1.1.1"), 0);
  EXPECT_EQ(t.retry_after_ms("user0", "1.1.1.1"), 0);
}

TEST(LoginThrottle, ASuccessClearsThePairButNotTheAddress) {
  FakeClock clock;
  LoginThrottle t(clock);
  for (int i = 0; i < LoginThrottle::kMaxAddressFailures; ++i) t.failed("u", "9.9.9.9");
  EXPECT_GT(t.retry_after_ms("u", "9.9.9.9"), 0);
  t.succeeded("u", "9.9.9.9");
  EXPECT_GT(t.retry_after_ms("u", "9.9.9.9"), 0) << "the address still waits";
  clock.advance(LoginThrottle::delay_after(LoginThrottle::kMaxAddressFailures,
                                           LoginThrottle::kMaxAddressFailures));
  EXPECT_EQ(t.retry_after_ms("u", "9.9.9.9"), 0);
  t.failed("u", "9.9.9.9");
  EXPECT_GT(t.retry_after_ms("v", "9.9.9.9"), 0) << "the address count was kept";
}

TEST(LoginThrottle, AFloodOfNewKeysForgetsTheLeastRecentNotTheTarget) {
  FakeClock clock;
  LoginThrottle t(clock, 100);
  for (int i = 0; i < LoginThrottle::kMaxFailures; ++i) t.failed("early", "192.0.2.9");
  ASSERT_GT(t.retry_after_ms("early", "192.0.2.9"), 0);
  // The attacker keeps guessing one account's password from one address while also trying a
  // flood of made-up usernames from many addresses, meant to overflow the throttle's memory.
  for (int i = 0; i < 1000; ++i) {
    if (i % 10 == 0) t.failed("target", "10.0.0.1");
    t.failed("made-up-" + std::to_string(i),
             "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250));
  }
  EXPECT_LE(t.tracked(), 200u);  // bounded: 100 pairs + 100 addresses
  EXPECT_GT(t.retry_after_ms("target", "10.0.0.1"), 0) << "the target pair stays throttled";
  EXPECT_EQ(t.retry_after_ms("early", "192.0.2.9"), 0) << "the least recent key was forgotten";
  EXPECT_EQ(t.retry_after_ms("made-up-999", "10.1.3.249"), 0) << "one failure does not block";
}

TEST(Passwords, OneHashSlotPerCoreAndQueuedHashesAllFinish) {
  EXPECT_GE(password_hash_slots(), 1);
  EXPECT_EQ(password_hash_slots(),
            static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  // More threads than slots all finish (they queue, none fails).
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < password_hash_slots() + 2; ++i)
    threads.emplace_back([&] {
      ok += verify_password(hash_password("queued hashing test"), "queued hashing test");
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), password_hash_slots() + 2);
}

TEST(PasswordPolicy, RefusesShortCommonRepetitiveSequentialAndUsernamePasswords) {
  auto refused = [](const std::string& pw, const std::string& user = "amina.k") {
    try {
      check_password_policy(pw, user);
      return std::string();
    } catch (const Error& e) {
      EXPECT_EQ(e.field(), "password") << pw;
      EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << pw;
      return std::string(e.what());
    }
  };
  // The review's examples.
  EXPECT_NE(refused("aaaaaaaaaa"), "");
  EXPECT_NE(refused("1234567890"), "");
  EXPECT_NE(refused(std::string(10, ' ')), "");
  EXPECT_NE(refused("aaaaaaaaaaaa").find("repeated"), std::string::npos);
  EXPECT_NE(refused(std::string(12, ' ')).find("spaces"), std::string::npos);
  EXPECT_NE(refused("123456789012").find("sequential"), std::string::npos);
  EXPECT_NE(refused("abcdefghijklm").find("sequential"), std::string::npos);
  EXPECT_NE(refused("abababababab").find("repeated"), std::string::npos);
  EXPECT_NE(refused("elevenchars").find("12 characters"), std::string::npos);
  // 11 code points of 2 bytes each are 22 bytes but still too short.
  EXPECT_NE(refused("ééééééééééé").find("12 characters"), std::string::npos);
  EXPECT_NE(refused("winniethepooh").find("common"), std::string::npos);  // on the list
  EXPECT_NE(refused("Password1234").find("common"), std::string::npos);   // word + digits
  EXPECT_NE(refused("!!qwerty2026!").find("common"), std::string::npos);
  EXPECT_NE(refused("monkeymonkey").find("common"), std::string::npos);  // word repeated
  EXPECT_NE(refused("my-Amina.K-secret").find("username"), std::string::npos);
  EXPECT_NE(refused(std::string(1025, 'x') + "y").find("1024"), std::string::npos);
  // Good ones.
  EXPECT_EQ(refused("ctip-demo-2026", "admin"), "");  // the demo password
  EXPECT_EQ(refused("correct horse battery staple"), "");
  EXPECT_EQ(refused("test-password-1"), "");
  EXPECT_EQ(refused("ключ-от-двери"), "") << "13 characters (24 bytes)";
  EXPECT_NE(refused("ключ-от-две").find("12 characters"), std::string::npos) << "11 characters";
  EXPECT_TRUE(is_common_password("PASSWORD"));
  EXPECT_FALSE(is_common_password("tram-lantern-oak"));
}

TEST(PasswordPolicy, AppliesToUserCreation) {
  TempStore t;
  try {
    t.store->write([&](store::Connection& c) {
      create_user(c, {"weak.user", "password1234", "Org", "government_agency", "screener"});
    });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "password");
  }
}

// Every (granting role x granted role) pair against the matrix's grantable_by (issue #7): the
// service refuses exactly what the matrix does not name, the operator may give any role, and no
// role whose user management is scoped to its organisation can give a role that reaches every
// organisation's data.
TEST(Grants, EveryGranterAndGrantedRolePairFollowsTheMatrix) {
  const auto& m = PermissionMatrix::builtin();
  // The shipped matrix, spelled out: admins give the organisation-scoped roles.
  const std::set<std::string> org_roles = {"admin",    "investigator",     "caseworker",
                                           "screener", "platform_analyst", "inspector"};
  User granter_user{1, "granter", "", false, {1, "Org", "government_agency"}};
  int pairs = 0;
  for (const auto& granter : m.roles()) {
    granter_user.role = granter;
    const Actor actor = Actor::user(granter_user, Scope::organisation);
    for (const auto& granted : m.roles()) {
      ++pairs;
      const bool expected = granter == "admin" && org_roles.contains(granted);
      EXPECT_EQ(m.may_grant(granter, granted), expected) << granter << " -> " << granted;
      bool allowed = true;
      try {
        AccountService::check_may_grant(actor, granted);
      } catch (const Error& e) {
        allowed = false;
        EXPECT_EQ(e.code(), ErrorCode::permission_denied);
        EXPECT_EQ(e.field(), "role");
      }
      EXPECT_EQ(allowed, expected) << granter << " -> " << granted;
      if (m.reaches_all(granted) && !m.reaches_all(granter)) {
        EXPECT_FALSE(allowed) << granter << " mints " << granted << " beyond its reach";
      }
    }
    EXPECT_NO_THROW(AccountService::check_may_grant(Actor::operator_named("cli"), granter));
  }
  EXPECT_EQ(pairs, 64);
  EXPECT_TRUE(m.reaches_all("auditor"));
  EXPECT_TRUE(m.reaches_all("analyst"));
  EXPECT_FALSE(m.reaches_all("admin"));
}

TEST(Grants, TheServiceRefusesBeforeWritingAndTheOperatorMayGiveAnyRole) {
  TempStore t;
  audit::DirectoryTrustStore trust(t.db.dir());
  audit::AuditLog log(*t.store, trust);
  AccountService svc(*t.store, log);
  User admin = svc.create_user(Actor::operator_named("cli"), {"org.admin", "test-password-1", "Org",
                                                              "government_agency", "admin"});
  const Actor as_admin = Actor::user(admin, Scope::organisation);
  try {
    svc.create_user(as_admin,
                    {"new.auditor", "test-password-1", "Org", "government_agency", "auditor"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::permission_denied);
    EXPECT_NE(std::string(e.what()).find("operator"), std::string::npos);
  }
  EXPECT_EQ(svc.create_user(as_admin, {"new.screener", "test-password-1", "Org",
                                       "government_agency", "screener"})
                .role,
            "screener");
  EXPECT_EQ(svc.create_user(Actor::operator_named("cli"), {"op.auditor", "test-password-1", "Org",
                                                           "government_agency", "auditor"})
                .role,
            "auditor");
  t.store->read([&](store::Connection& c) {
    EXPECT_FALSE(find_user_by_name(c, "new.auditor"));
    EXPECT_EQ(count_users(c), 3);
  });
}

TEST(PermissionMatrix, GrantableByNamesKnownRoles) {
  try {
    PermissionMatrix::parse(
        R"({"version":1,"roles":{"a":"x"},"grantable_by":{"a":["b"]},"actions":{}})");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.field(), "grantable_by.a");
  }
  auto m = PermissionMatrix::parse(
      R"({"version":1,"roles":{"a":"x","b":"y"},"grantable_by":{"a":["b"]},"actions":{}})");
  EXPECT_TRUE(m.may_grant("b", "a"));
  EXPECT_FALSE(m.may_grant("a", "b")) << "absent: the operator only";
}

TEST(Sessions, ExpireAfterTheirLifetimeWithoutWaiting) {
  TempStore t;
  FakeClock clock;
  int64_t uid = 0;
  Session s;
  SessionPolicy no_idle;
  no_idle.idle_ms = kSessionLifetimeMs * 2;
  t.store->write([&](store::Connection& c) {
    uid = create_user(c,
                      {"sessions.user", "long-enough-pass", "Org", "government_agency", "screener"})
              .id;
    s = create_session(c, uid, clock, no_idle);
  });
  EXPECT_EQ(s.expires_ms, clock.now_ms() + kSessionLifetimeMs);
  auto find = [&] {
    std::optional<std::pair<User, std::string>> found;
    t.store->read([&](store::Connection& c) { found = find_session(c, s.token, clock, no_idle); });
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
  t.store->write([&](store::Connection& c) { create_session(c, uid, clock, no_idle); });
  t.store->read([&](store::Connection& c) {
    EXPECT_EQ(c.query_row("SELECT COUNT(*) FROM sessions").integer(0), 1);
  });
}

TEST(Sessions, EndAfterThirtyIdleMinutesAndEachRequestMovesTheLimit) {
  TempStore t;
  FakeClock clock;
  const SessionPolicy policy;  // the defaults: 30 min idle, 8 h absolute
  ASSERT_EQ(policy.idle_ms, 30 * 60 * 1000);
  int64_t uid = 0;
  Session s;
  t.store->write([&](store::Connection& c) {
    uid = create_user(c, {"idle.user", "long-enough-pass", "Org", "government_agency", "screener"})
              .id;
    s = create_session(c, uid, clock, policy);
  });
  auto resume = [&] { return resume_session(*t.store, s.token, clock, policy).has_value(); };
  // Active every 29 minutes for 7 h 44 min: never idle long enough.
  for (int i = 0; i < 16; ++i) {
    clock.advance(29 * 60 * 1000);
    ASSERT_TRUE(resume()) << "request " << i;
  }
  clock.advance(16 * 60 * 1000);
  EXPECT_TRUE(resume()) << "exactly 8 h";
  // Past the absolute limit (idle only for 1 ms), activity does not help.
  clock.advance(1);
  EXPECT_FALSE(resume()) << "8 h absolute limit";

  Session s2;
  t.store->write([&](store::Connection& c) { s2 = create_session(c, uid, clock, policy); });
  clock.advance(policy.idle_ms);
  EXPECT_TRUE(resume_session(*t.store, s2.token, clock, policy)) << "exactly 30 min: alive";
  clock.advance(policy.idle_ms + 1);
  EXPECT_FALSE(resume_session(*t.store, s2.token, clock, policy)) << "30 min idle: ended";
  // find_session alone (a read) does not move the limit.
  Session s3;
  t.store->write([&](store::Connection& c) { s3 = create_session(c, uid, clock, policy); });
  clock.advance(policy.idle_ms - 1);
  t.store->read([&](store::Connection& c) { EXPECT_TRUE(find_session(c, s3.token, clock)); });
  clock.advance(2);
  t.store->read([&](store::Connection& c) { EXPECT_FALSE(find_session(c, s3.token, clock)); });
}

TEST(Sessions, AUserKeepsAtMostTheNewestNSessions) {
  TempStore t;
  FakeClock clock;
  SessionPolicy policy;
  policy.max_per_user = 3;
  int64_t uid = 0, other = 0;
  std::vector<Session> sessions;
  t.store->write([&](store::Connection& c) {
    uid = create_user(c, {"many.user", "long-enough-pass", "Org", "government_agency", "screener"})
              .id;
    other =
        create_user(c, {"other.user", "long-enough-pass", "Org", "government_agency", "screener"})
            .id;
    create_session(c, other, clock, policy);
  });
  for (int i = 0; i < 5; ++i) {
    clock.advance(1000);
    t.store->write(
        [&](store::Connection& c) { sessions.push_back(create_session(c, uid, clock, policy)); });
  }
  t.store->read([&](store::Connection& c) {
    for (int i = 0; i < 5; ++i)
      EXPECT_EQ(find_session(c, sessions[i].token, clock, policy).has_value(), i >= 2)
          << "session " << i;
    EXPECT_EQ(c.query_row("SELECT COUNT(*) FROM sessions WHERE user_id = ?", {other}).integer(0), 1)
        << "another user's sessions stay";
  });
  // Created in the same millisecond, the newest login is still the one kept.
  Session same;
  t.store->write([&](store::Connection& c) {
    create_session(c, uid, clock, policy);
    same = create_session(c, uid, clock, policy);
  });
  t.store->read([&](store::Connection& c) {
    EXPECT_TRUE(find_session(c, same.token, clock, policy));
    EXPECT_EQ(c.query_row("SELECT COUNT(*) FROM sessions WHERE user_id = ?", {uid}).integer(0), 3);
  });
}

}  // namespace
}  // namespace ctip::auth
