// The Store on the engine the run asks for (store/testing.h): ctest runs this binary on SQLite
// and on PostgreSQL.
#include "store/store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "core/error.h"
#include "store/engine.h"
#include "store/sql_placeholders.h"
#include "store/testing.h"

namespace ctip::store {
namespace {

using testing::TestDatabase;

ErrorCode code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no Error thrown";
  return ErrorCode::internal;
}

void add_org(Connection& c, const std::string& name, const std::string& kind = "law_enforcement") {
  c.execute("INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)",
            {name, kind, std::string("t")});
}

TEST(Store, MigratesToTheLatestVersionOnce) {
  TestDatabase db;
  auto s = db.open();
  auto known = Store::known_migrations();
  ASSERT_FALSE(known.empty());
  EXPECT_EQ(s->schema_version(), known.back().version);
  EXPECT_EQ(s->migrate(), 0);
  EXPECT_TRUE(s->check().ok);
  EXPECT_EQ(s->engine(), db.postgresql() ? "postgresql" : "sqlite");
}

TEST(Store, OpenWithoutMigratingLeavesAnEmptyStoreAtVersionZero) {
  TestDatabase db;
  auto s = db.open(false);
  EXPECT_EQ(s->schema_version(), 0);
  EXPECT_FALSE(s->check().ok);
  EXPECT_EQ(s->migrate(), static_cast<int>(Store::known_migrations().size()));
}

TEST(Store, RefusesASchemaNewerThanTheBinaryKnows) {
  TestDatabase db;
  int latest = Store::known_migrations().back().version;
  db.open()->write([&](Connection& c) {
    c.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
              {int64_t{latest + 1}, std::string("9999_future.sql"), std::string("t")});
  });
  try {
    db.open(false);
    FAIL() << "opened a newer schema";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::integrity);
    std::string msg = e.what();
    EXPECT_NE(msg.find(std::to_string(latest + 1)), std::string::npos) << msg;
    EXPECT_NE(msg.find(std::to_string(latest)), std::string::npos) << msg;
  }
}

TEST(Store, FailedWriteLeavesTheStoreAsItWas) {
  TestDatabase db;
  auto s = db.open();
  s->write([](Connection& c) { add_org(c, "Unit A"); });
  EXPECT_THROW(s->write([](Connection& c) {
    add_org(c, "Unit B");
    // A duplicate name violates UNIQUE: the whole transaction must roll back.
    add_org(c, "Unit A");
  }),
               Error);
  s->read([](Connection& c) {
    EXPECT_EQ(c.query_row("SELECT count(*) FROM organisations").integer(0), 1);
  });
}

TEST(Store, UniqueViolationIsAConflictOtherConstraintsAreBugs) {
  TestDatabase db;
  auto s = db.open();
  s->write([](Connection& c) { add_org(c, "Taken"); });
  EXPECT_EQ(code_of([&] { s->write([](Connection& c) { add_org(c, "Taken"); }); }),
            ErrorCode::conflict);
  // CHECK
  EXPECT_EQ(code_of([&] { s->write([](Connection& c) { add_org(c, "X", "not_a_kind"); }); }),
            ErrorCode::internal);
  // NOT NULL
  EXPECT_EQ(code_of([&] {
              s->write([](Connection& c) {
                c.execute("INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)",
                          {std::string("Y"), std::string("law_enforcement"), null_value});
              });
            }),
            ErrorCode::internal);
  // FOREIGN KEY
  EXPECT_EQ(code_of([&] {
              s->write([](Connection& c) {
                c.execute(
                    "INSERT INTO users (username, org_id, role, password_hash, created_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    {std::string("u"), int64_t{999}, std::string("admin"), std::string("h"),
                     std::string("t")});
              });
            }),
            ErrorCode::internal);
}

TEST(Store, ErrorsDoNotRepeatTheOffendingValues) {
  // A value in a UNIQUE column may be personal data (a person's reference); error messages
  // reach responses and logs.
  TestDatabase db;
  auto s = db.open();
  s->write([](Connection& c) { add_org(c, "Secret Shelter 7"); });
  try {
    s->write([](Connection& c) { add_org(c, "Secret Shelter 7"); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
    EXPECT_EQ(std::string(e.what()).find("Secret Shelter"), std::string::npos) << e.what();
  }
}

TEST(Store, ReturningAndTypedRows) {
  TestDatabase db;
  auto s = db.open();
  int64_t id = 0;
  s->write([&](Connection& c) {
    id = c.query_row(
              "INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?) RETURNING id",
              {std::string("NGO"), std::string("service_provider"), std::string("t")})
             .integer(0);
  });
  EXPECT_GT(id, 0);
  s->read([&](Connection& c) {
    auto r = c.query_one("SELECT name, kind, id FROM organisations WHERE id = ?", {id});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->text(0), "NGO");
    EXPECT_TRUE(std::holds_alternative<int64_t>(r->value(2)));
    EXPECT_EQ(r->integer(2), id);
    EXPECT_FALSE(c.query_one("SELECT id FROM organisations WHERE id = ?", {id + 100}));
    // Values of each kind come back as the same kind on both engines.
    auto v = c.query_one("SELECT 5000000000, 2.5, 'a ? b', NULL, count(*), ? FROM organisations",
                         {std::string("it's")});
    ASSERT_TRUE(v);
    EXPECT_EQ(std::get<int64_t>(v->value(0)), 5000000000);
    EXPECT_DOUBLE_EQ(v->real(1), 2.5);
    EXPECT_EQ(v->text(2), "a ? b");
    EXPECT_TRUE(v->is_null(3));
    EXPECT_EQ(std::get<int64_t>(v->value(4)), 1);
    EXPECT_EQ(v->text(5), "it's");
  });
}

TEST(Store, MillisecondTimesAndIdsNeedSixtyFourBits) {
  TestDatabase db;
  auto s = db.open();
  const int64_t ms = 4102444800000;  // 2100-01-01, beyond 32 bits
  s->write([&](Connection& c) {
    add_org(c, "O");
    c.execute(
        "INSERT INTO users (id, username, org_id, role, password_hash, created_at) "
        "VALUES (?, ?, (SELECT id FROM organisations), ?, ?, ?)",
        {int64_t{3000000000}, std::string("big"), std::string("admin"), std::string("h"),
         std::string("t")});
    c.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_ms, expires_ms) "
        "VALUES (?, ?, ?, ?, ?)",
        {std::string("th"), int64_t{3000000000}, std::string("c"), ms, ms + 1});
    c.execute("UPDATE sessions SET expires_ms = ? WHERE user_id = ?",
              {ms + 2, int64_t{3000000000}});
    EXPECT_EQ(c.changes(), 1);
  });
  s->read([&](Connection& c) {
    auto r = c.query_one("SELECT user_id, expires_ms FROM sessions WHERE expires_ms > ?", {ms});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->integer(0), 3000000000);
    EXPECT_EQ(r->integer(1), ms + 2);
  });
}

TEST(Store, ASecondStoreOnTheSameDataSeesCommittedWrites) {
  TestDatabase db;
  auto a = db.open();
  auto b = db.open();
  a->write([](Connection& c) { add_org(c, "Shared"); });
  b->read([](Connection& c) {
    EXPECT_EQ(
        c.query_row("SELECT count(*) FROM organisations WHERE name = ?", {std::string("Shared")})
            .integer(0),
        1);
  });
}

TEST(Store, BackupIsAUsableStoreOnSqliteAndExplainsPgDumpOnPostgresql) {
  TestDatabase db;
  auto s = db.open();
  s->write([](Connection& c) { add_org(c, "A"); });
  auto copy_dir = db.dir() / "copy";
  std::filesystem::create_directories(copy_dir);
  if (db.postgresql()) {
    try {
      s->backup(copy_dir / "ctip.sqlite");
      FAIL();
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("pg_dump"), std::string::npos);
    }
    return;
  }
  s->backup(copy_dir / "ctip.sqlite");
  EXPECT_THROW(s->backup(copy_dir / "ctip.sqlite"), Error);
  auto copy = Store::open(Store::sqlite_url(copy_dir), false);
  EXPECT_TRUE(copy->check().ok);
  copy->read([](Connection& c) {
    EXPECT_EQ(c.query_row("SELECT count(*) FROM organisations").integer(0), 1);
  });
}

TEST(Store, RefusesAFileThatIsNotAStore) {
  TestDatabase db;
  auto dir = db.dir() / "not-a-store";
  std::filesystem::create_directories(dir);
  {
    FILE* f = fopen((dir / "ctip.sqlite").c_str(), "w");
    fputs("this is not a database, just some text that is long enough........", f);
    fclose(f);
  }
  EXPECT_THROW(Store::open(Store::sqlite_url(dir)), Error);
}

TEST(Store, UrlsNameTheEngine) {
  EXPECT_EQ(code_of([] { Store::open("mysql://localhost/ctip"); }), ErrorCode::invalid_argument);
  EXPECT_EQ(code_of([] { Store::open("sqlite:"); }), ErrorCode::invalid_argument);
  EXPECT_EQ(Store::sqlite_url("/var/lib/ctip"), "sqlite:/var/lib/ctip");
  EXPECT_FALSE(Store::exists("sqlite:/nonexistent/ctip"));
  EXPECT_TRUE(Store::exists("postgresql://localhost/ctip"));
}

TEST(Placeholders, NumberedOutsideLiteralsIdentifiersAndComments) {
  using detail::numbered_placeholders;
  EXPECT_EQ(numbered_placeholders("SELECT a FROM t WHERE a = ? AND b = ?", 2),
            "SELECT a FROM t WHERE a = $1 AND b = $2");
  EXPECT_EQ(numbered_placeholders("SELECT '?', 'it''s ?', \"q?\" -- why?\n, ? /* ? */", 1),
            "SELECT '?', 'it''s ?', \"q?\" -- why?\n, $1 /* ? */");
  EXPECT_THROW(numbered_placeholders("SELECT ?", 2), Error);
}

}  // namespace
}  // namespace ctip::store

// Issue #8: a migration may hold statements for one engine (a CHECK constraint changed).
namespace ctip::store {
TEST(Migrations, EngineSectionsKeepTheEnginesStatementsAndThePortableOnes) {
  const std::string sql =
      "CREATE TABLE a (x TEXT);\n-- ctip:engine sqlite\nREBUILD;\n-- ctip:engine postgresql\n"
      "ALTER;\n-- ctip:engine all\nCREATE TABLE b (y TEXT);\n";
  EXPECT_EQ(detail::engine_sections(sql, "sqlite"),
            "CREATE TABLE a (x TEXT);\nREBUILD;\nCREATE TABLE b (y TEXT);\n");
  EXPECT_EQ(detail::engine_sections(sql, "postgresql"),
            "CREATE TABLE a (x TEXT);\nALTER;\nCREATE TABLE b (y TEXT);\n");
  EXPECT_EQ(detail::engine_sections("SELECT 1;", "sqlite"), "SELECT 1;");
}
}  // namespace ctip::store
