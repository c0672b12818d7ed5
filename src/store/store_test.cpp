#include "store/store.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "core/error.h"

namespace ctip::store {
namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("ctip-store-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::remove_all(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

TEST(Store, MigratesToTheLatestVersionOnce) {
  TempDir dir;
  auto s = Store::open_sqlite(dir.path);
  auto known = Store::known_migrations();
  ASSERT_FALSE(known.empty());
  EXPECT_EQ(s->schema_version(), known.back().version);
  EXPECT_EQ(s->migrate(), 0);
  EXPECT_TRUE(s->check().ok);
}

TEST(Store, FailedWriteLeavesTheStoreAsItWas) {
  TempDir dir;
  auto s = Store::open_sqlite(dir.path);
  s->write([](Connection& c) {
    c.execute("INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)",
              {std::string("Unit A"), std::string("government_agency"), std::string("t")});
  });
  EXPECT_THROW(s->write([](Connection& c) {
    c.execute("INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)",
              {std::string("Unit B"), std::string("government_agency"), std::string("t")});
    // A duplicate name violates UNIQUE: the whole transaction must roll back.
    c.execute("INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)",
              {std::string("Unit A"), std::string("government_agency"), std::string("t")});
  }),
               Error);
  s->read([](Connection& c) {
    EXPECT_EQ(c.query_one("SELECT count(*) FROM organisations")->integer(0), 1);
  });
}

TEST(Store, ConstraintViolationIsAConflict) {
  TempDir dir;
  auto s = Store::open_sqlite(dir.path);
  try {
    s->write([](Connection& c) {
      c.execute("INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?)",
                {std::string("X"), std::string("not_a_kind"), std::string("t")});
    });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::conflict);
  }
}

TEST(Store, ReturningAndTypedRows) {
  TempDir dir;
  auto s = Store::open_sqlite(dir.path);
  int64_t id = 0;
  s->write([&](Connection& c) {
    id = c.query_one(
              "INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?) RETURNING id",
              {std::string("NGO"), std::string("service_provider"), std::string("t")})
             ->integer(0);
  });
  EXPECT_GT(id, 0);
  s->read([&](Connection& c) {
    auto r = c.query_one("SELECT name, kind, id FROM organisations WHERE id = ?", {id});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->text(0), "NGO");
    EXPECT_EQ(r->integer(2), id);
    EXPECT_FALSE(c.query_one("SELECT id FROM organisations WHERE id = ?", {id + 100}));
  });
}

TEST(Store, BackupIsAUsableStore) {
  TempDir dir;
  auto s = Store::open_sqlite(dir.path / "live");
  s->write([](Connection& c) {
    c.execute(
        "INSERT INTO organisations (name, kind, created_at) VALUES ('A', 'law_enforcement', 't')");
  });
  std::filesystem::create_directories(dir.path / "copy");
  s->backup(dir.path / "copy" / "ctip.sqlite");
  EXPECT_THROW(s->backup(dir.path / "copy" / "ctip.sqlite"), Error);
  auto copy = Store::open_sqlite(dir.path / "copy", false);
  EXPECT_TRUE(copy->check().ok);
  copy->read([](Connection& c) {
    EXPECT_EQ(c.query_one("SELECT count(*) FROM organisations")->integer(0), 1);
  });
}

TEST(Store, RefusesAFileThatIsNotAStore) {
  TempDir dir;
  std::filesystem::create_directories(dir.path);
  {
    FILE* f = fopen((dir.path / "ctip.sqlite").c_str(), "w");
    fputs("this is not a database, just some text that is long enough........", f);
    fclose(f);
  }
  EXPECT_THROW(Store::open_sqlite(dir.path), Error);
}

}  // namespace
}  // namespace ctip::store
