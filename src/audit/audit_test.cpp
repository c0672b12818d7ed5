// The audit log over a real store (SQLite in a temporary directory, or PostgreSQL: ctest runs
// this binary on both, store/testing.h): appends, proofs, and verify() against every kind of
// tampering with the store - through SQL and, on SQLite, by flipping one byte of the file.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

#include "audit/audit_log.h"
#include "audit/data_files.h"
#include "audit/merkle.h"
#include "core/crypto.h"
#include "core/error.h"
#include "store/testing.h"

namespace ctip::audit {
namespace {

namespace fs = std::filesystem;
using store::Connection;
using store::Store;

std::string object_id(int64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "obj-%06lld", static_cast<long long>(i));
  return buf;
}

// A mix of the events the workbench records: staff reading screenings, failed logins.
Event event(int64_t i) {
  Event e;
  if (i % 5 == 0) {
    e.actor = "anonymous";
    e.action = "session.login";
    e.object_type = "user";
    e.outcome = "failure";
  } else {
    e.actor_user_id = 100 + i % 3;
    e.actor = "worker" + std::to_string(i % 3);
    e.org_id = 1 + i % 2;
    e.action = "screenings.read";
    e.object_type = "screening";
    e.outcome = "success";
  }
  e.object_id = object_id(i);
  return e;
}

std::string leaf_hex(const Entry& e) {
  return to_hex(merkle::hash_leaf(leaf_data(e.seq, e.time, e.event)));
}

merkle::Hash unhex(const std::string& h) {
  std::string raw = from_hex(h);
  merkle::Hash out{};
  std::copy(raw.begin(), raw.end(), out.begin());
  return out;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open() {
    store = db.open();
    trust = std::make_unique<DirectoryTrustStore>(dir.path);
    log = std::make_unique<AuditLog>(*store, *trust, clock);
  }
  void close() {
    log.reset();
    trust.reset();
    store.reset();
  }
  void fill(int64_t n) { fill_range(1, n); }
  // Entries from..to, one append transaction (and so one signed head) each.
  void fill_range(int64_t from, int64_t to) {
    for (int64_t i = from; i <= to; ++i) ASSERT_EQ(log->record(event(i)), i);
  }
  // Tampering from outside the audit log: plain SQL on the store.
  void tamper(const std::string& sql, const store::Params& params = {}) {
    store->write([&](Connection& c) { c.execute(sql, params); });
  }
  // Inserts a well-formed entry (with its correct leaf hash) behind the log's back.
  void insert_forged(const Entry& e) {
    tamper(
        "INSERT INTO audit_entries (seq, time, actor_user_id, actor, org_id, action, "
        "object_type, object_id, outcome, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {e.seq, e.time, *e.event.actor_user_id, e.event.actor, *e.event.org_id, e.event.action,
         e.event.object_type, e.event.object_id, e.event.outcome, leaf_hex(e)});
  }
  Entry entry(int64_t seq) {
    auto es = log->entries(seq - 1, 1);
    EXPECT_EQ(es.size(), 1u);
    return es.at(0);
  }
  // Deletes entries and heads after `keep` and rewrites audit_state to match, as a careful
  // attacker would: what remains is a shorter log whose every head is validly signed.
  void truncate_consistently(int64_t keep) {
    merkle::Frontier f;
    for (const auto& e : log->entries(0, keep)) f.append(unhex(e.leaf_hash));
    std::string frontier;
    for (const auto& node : f.nodes()) frontier += to_hex(node);
    tamper("DELETE FROM audit_entries WHERE seq > ?", {keep});
    tamper("DELETE FROM audit_tree_heads WHERE tree_size > ?", {keep});
    tamper("UPDATE audit_state SET tree_size = ?, frontier = ? WHERE id = 1", {keep, frontier});
  }
  void expect_bad(std::optional<int64_t> seq, const std::string& words) {
    auto r = log->verify();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_entry, seq) << r.message;
    EXPECT_NE(r.message.find(words), std::string::npos) << r.message;
  }

  // A fresh store on the engine of the run (store/testing.h); the key and head files in its
  // temporary directory.
  store::testing::TestDatabase db;
  struct {
    fs::path path;
  } dir{db.dir()};
  FakeClock clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<DirectoryTrustStore> trust;
  std::unique_ptr<AuditLog> log;
};

TEST_F(AuditLogTest, AFreshLogVerifies) {
  auto r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.entries, 0);
  EXPECT_FALSE(r.first_bad_entry);
  std::string empty = to_hex(merkle::empty_root());
  EXPECT_EQ(r.message, "audit log ok: 0 entries, root " + empty);
  auto h = log->head();
  EXPECT_EQ(h.tree_size, 0);
  EXPECT_EQ(h.root_hash, empty);
  EXPECT_TRUE(verify_tree_head(h));
}

TEST_F(AuditLogTest, RecordAppendsContiguousSignedEntries) {
  fill(20);
  auto all = log->entries(0, 100);
  ASSERT_EQ(all.size(), 20u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(all[i].event.object_id, object_id(i + 1));
    EXPECT_EQ(all[i].leaf_hash, leaf_hex(all[i]));
  }
  EXPECT_FALSE(all[4].event.actor_user_id);  // entry 5 is a failed, anonymous login
  EXPECT_EQ(all[0].event.actor_user_id, 101);
  auto newest = log->latest(3);
  ASSERT_EQ(newest.size(), 3u);
  EXPECT_EQ(newest[0].seq, 20);
  EXPECT_EQ(newest[2].seq, 18);
  EXPECT_EQ(log->entries(18, 100).size(), 2u);

  auto h = log->head();
  EXPECT_EQ(h.tree_size, 20);
  EXPECT_TRUE(verify_tree_head(h));
  auto tampered = h;
  tampered.tree_size = 19;
  EXPECT_FALSE(verify_tree_head(tampered));
  std::vector<merkle::Hash> leaves;
  for (const auto& e : all) leaves.push_back(unhex(e.leaf_hash));
  EXPECT_EQ(h.root_hash, to_hex(merkle::root(leaves)));

  auto r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.entries, 20);
  EXPECT_EQ(r.message, "audit log ok: 20 entries, root " + h.root_hash);
  EXPECT_TRUE(r.note.empty()) << r.note;
  ASSERT_TRUE(r.head);
  EXPECT_EQ(r.head->root_hash, h.root_hash);
}

TEST_F(AuditLogTest, LeafDataIsUnambiguous) {
  Event a = event(1), b = event(1);
  a.actor = "ab";
  a.action = "c";
  b.actor = "a";
  b.action = "bc";
  EXPECT_NE(leaf_data(1, "t", a), leaf_data(1, "t", b));
  Event absent = event(1), zero = event(1);
  absent.org_id.reset();
  zero.org_id = 0;
  EXPECT_NE(leaf_data(1, "t", absent), leaf_data(1, "t", zero));
  EXPECT_EQ(leaf_data(7, "t", a), leaf_data(7, "t", a));
}

TEST_F(AuditLogTest, RefusesEventsWithoutTheRequiredFields) {
  Event e = event(1);
  e.outcome = "maybe";
  try {
    log->record(e);
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(err.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(err.field(), "outcome");
  }
  e = event(1);
  e.action.clear();
  EXPECT_THROW(log->record(e), Error);
  EXPECT_EQ(log->verify().entries, 0);
}

TEST_F(AuditLogTest, AppendCommitsAndRollsBackWithTheCallersTransaction) {
  fill(3);
  store->write([&](Connection& c) {
    c.execute(
        "INSERT INTO organisations (name, kind, created_at) VALUES ('NGO', "
        "'service_provider', 't')");
    EXPECT_EQ(log->append(c, event(4)), 4);
  });
  EXPECT_THROW(store->write([&](Connection& c) {
    EXPECT_EQ(log->append(c, event(5)), 5);
    EXPECT_EQ(log->append(c, event(6)), 6);
    throw Error(ErrorCode::conflict, "the caller's write failed");
  }),
               Error);
  auto r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.entries, 4);
  // The rolled-back appends signed a head that never committed: not evidence of tampering.
  EXPECT_NE(r.note.find("rolled back"), std::string::npos) << r.note;

  // Until the log grows past the rolled-back entries, the note stays.
  EXPECT_EQ(log->record(event(5)), 5);
  r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.entries, 5);
  EXPECT_NE(r.note.find("entry 6"), std::string::npos) << r.note;
  EXPECT_EQ(log->record(event(6)), 6);
  r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_TRUE(r.note.empty()) << r.note;

  // Several appends in one committed transaction, and then a truncation of them.
  store->write([&](Connection& c) {
    for (int i = 7; i <= 9; ++i) log->append(c, event(i));
  });
  log->record(event(10));
  EXPECT_TRUE(log->verify().ok);
  truncate_consistently(7);
  expect_bad(8, "entries 8 to 10 were deleted");
}

TEST_F(AuditLogTest, KeepsTheSigningKeyOutsideTheStore) {
  fill(2);
  fs::path key = dir.path / kSigningKeyFile;
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::string public_key = log->head().public_key;
  {
    AuditLog again(*store, *trust);  // a second instance (or process) uses the same key
    EXPECT_EQ(again.head().public_key, public_key);
    EXPECT_EQ(again.record(event(3)), 3);
  }
  EXPECT_TRUE(log->verify().ok);
  // Without its key a non-empty log cannot be verified: refuse rather than make a new key.
  fs::rename(key, dir.path / "elsewhere.key");
  try {
    AuditLog without_key(*store, *trust);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::integrity);
    EXPECT_NE(std::string(e.what()).find("Restore the key file"), std::string::npos);
  }
  fs::rename(dir.path / "elsewhere.key", key);
  // Another key does not verify this log.
  close();
  fs::remove(key);
  {
    auto other_dir = dir.path / "other";
    fs::create_directories(other_dir);
    store::testing::TestDatabase other_db;
    auto other_store = other_db.open();
    DirectoryTrustStore other_trust(other_dir);
    AuditLog other(*other_store, other_trust);
    fs::copy_file(other_dir / kSigningKeyFile, key);
  }
  open();
  expect_bad(1, "invalid signature");
}

TEST_F(AuditLogTest, ProofsVerifyAgainstTheSignedHeads) {
  fill(21);
  for (int64_t size = 1; size <= 21; ++size) {
    auto head = log->head_at(size);
    ASSERT_TRUE(head);
    EXPECT_TRUE(verify_tree_head(*head));
    merkle::Hash root = unhex(head->root_hash);
    for (int64_t seq = 1; seq <= size; ++seq) {
      std::vector<merkle::Hash> path;
      for (const auto& h : log->inclusion_proof(seq, size)) path.push_back(unhex(h));
      EXPECT_TRUE(merkle::verify_inclusion(seq - 1, size, unhex(entry(seq).leaf_hash), path, root))
          << seq << " in " << size;
    }
    for (int64_t first = 1; first <= size; ++first) {
      std::vector<merkle::Hash> path;
      for (const auto& h : log->consistency_proof(first, size)) path.push_back(unhex(h));
      EXPECT_TRUE(merkle::verify_consistency(first, size, unhex(log->head_at(first)->root_hash),
                                             root, path))
          << first << " to " << size;
    }
  }
  EXPECT_FALSE(log->head_at(22));
  EXPECT_THROW(log->inclusion_proof(0, 5), Error);
  EXPECT_THROW(log->inclusion_proof(6, 5), Error);
  EXPECT_THROW(log->inclusion_proof(1, 22), Error);
  EXPECT_THROW(log->consistency_proof(0, 5), Error);
  EXPECT_THROW(log->consistency_proof(6, 5), Error);
  EXPECT_THROW(log->consistency_proof(1, 22), Error);
}

// ---- tampering through SQL ---------------------------------------------------------------

TEST_F(AuditLogTest, DetectsAnEditedColumn) {
  fill(30);
  tamper("UPDATE audit_entries SET object_id = 'obj-999999' WHERE seq = 12");
  expect_bad(12, "entry 12 was changed");
}

TEST_F(AuditLogTest, DetectsAnEditedColumnWhoseLeafHashWasRecomputed) {
  const std::vector<std::pair<std::string, store::Value>> edits = {
      {"time", std::string("2020-01-01T00:00:00.000Z")},
      {"actor_user_id", int64_t{999}},
      {"actor_user_id", store::null_value},
      {"actor", std::string("someone-else")},
      {"org_id", int64_t{42}},
      {"action", std::string("screenings.create")},
      {"object_type", std::string("export")},
      {"object_id", std::string("obj-000013")},
      {"outcome", std::string("denied")},
  };
  fill(30);
  for (const auto& [column, value] : edits) {
    SCOPED_TRACE(column);
    Entry before = entry(12);
    tamper("UPDATE audit_entries SET " + column + " = ? WHERE seq = 12", {value});
    tamper("UPDATE audit_entries SET leaf_hash = ? WHERE seq = 12", {leaf_hex(entry(12))});
    EXPECT_NE(entry(12).leaf_hash, before.leaf_hash);
    expect_bad(12, "no longer matches its signed tree head");
    // Put it back for the next column.
    tamper(
        "UPDATE audit_entries SET time = ?, actor_user_id = ?, actor = ?, org_id = ?, "
        "action = ?, object_type = ?, object_id = ?, outcome = ?, leaf_hash = ? WHERE seq = 12",
        {before.time, *before.event.actor_user_id, before.event.actor, *before.event.org_id,
         before.event.action, before.event.object_type, before.event.object_id,
         before.event.outcome, before.leaf_hash});
    ASSERT_TRUE(log->verify().ok);
  }
}

TEST_F(AuditLogTest, DetectsAColumnStoredWithAnotherType) {
  if (db.postgresql()) GTEST_SKIP() << "PostgreSQL's column types refuse such an edit";
  fill(30);
  // "2x" reads as 2 through Row::integer, but it is not what was logged.
  tamper("UPDATE audit_entries SET org_id = org_id || 'x' WHERE seq = 8");
  expect_bad(8, "column org_id");
}

TEST_F(AuditLogTest, DetectsAnEditedLeafHash) {
  fill(30);
  tamper("UPDATE audit_entries SET leaf_hash = ? WHERE seq = 3", {leaf_hex(entry(4))});
  expect_bad(3, "entry 3 was changed");
}

TEST_F(AuditLogTest, DetectsADeletedMiddleEntry) {
  fill(30);
  tamper("DELETE FROM audit_entries WHERE seq = 15");
  expect_bad(15, "entry 15 is missing");
  tamper("DELETE FROM audit_entries WHERE seq = 1");
  expect_bad(1, "entry 1 is missing");
}

TEST_F(AuditLogTest, DetectsDeletedTailEntriesAndHeads) {
  fill(30);
  tamper("DELETE FROM audit_entries WHERE seq > 25");
  tamper("DELETE FROM audit_tree_heads WHERE tree_size > 25");
  expect_bad(26, "entries 26 to 30 were deleted");
}

TEST_F(AuditLogTest, DetectsATruncationThatAlsoRewroteTheState) {
  fill(30);
  truncate_consistently(25);
  expect_bad(26, "entries 26 to 30 were deleted");
}

TEST_F(AuditLogTest, DetectsTheDeletionOfTheLastEntryAlone) {
  fill(30);
  truncate_consistently(29);
  expect_bad(30, "entry 30 was deleted");
}

TEST_F(AuditLogTest, DeletingAppendedEntriesIsDetectedBeyondTheLastTransaction) {
  for (int i = 1; i <= 10; ++i) store->write([&](Connection& c) { log->append(c, event(i)); });
  ASSERT_TRUE(log->verify().ok);
  // Deleting exactly the last append() transaction looks like a rollback (README.md) ...
  truncate_consistently(9);
  auto r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_NE(r.note.find("entry 10"), std::string::npos) << r.note;
  // ... deleting more does not: the next append confirmed entry 9.
  truncate_consistently(8);
  expect_bad(9, "entry 9 was deleted");
}

TEST_F(AuditLogTest, DetectsTheDeletionOfEverything) {
  fill(10);
  truncate_consistently(0);
  expect_bad(1, "entries 1 to 10 were deleted");
}

TEST_F(AuditLogTest, TruncationIsStillDetectedAfterNewEntries) {
  fill(30);
  truncate_consistently(25);
  for (int i = 26; i <= 32; ++i) log->record(event(100 + i));
  // The log is long again, but its first 30 entries are not the ones audit-head.json confirmed.
  expect_bad(std::nullopt, "differ from those audit-head.json confirms");
}

TEST_F(AuditLogTest, DetectsAnInsertedTailEntry) {
  fill(30);
  Entry fake;
  fake.seq = 31;
  fake.time = entry(30).time;
  fake.event = event(31);
  insert_forged(fake);
  expect_bad(31, "entry 31 has no signed tree head");
}

TEST_F(AuditLogTest, DetectsAnEntryInsertedInTheMiddle) {
  fill(30);
  // Make room at 20 by renumbering the later entries, then insert a well-formed entry there.
  for (int64_t seq = 30; seq >= 20; --seq)
    tamper("UPDATE audit_entries SET seq = seq + 1 WHERE seq = ?", {seq});
  Entry fake = entry(19);
  fake.seq = 20;
  fake.event.object_id = "obj-inserted";
  insert_forged(fake);
  expect_bad(20, "entry 20 was changed");
}

TEST_F(AuditLogTest, DetectsSwappedEntries) {
  fill(30);
  Entry a = entry(5), b = entry(9);
  auto put = [&](int64_t seq, const Entry& e) {
    auto opt = [](const std::optional<int64_t>& v) {
      return v ? store::Value{*v} : store::null_value;
    };
    tamper(
        "UPDATE audit_entries SET time = ?, actor_user_id = ?, actor = ?, org_id = ?, "
        "action = ?, object_type = ?, object_id = ?, outcome = ?, leaf_hash = ? WHERE seq = ?",
        {e.time, opt(e.event.actor_user_id), e.event.actor, opt(e.event.org_id), e.event.action,
         e.event.object_type, e.event.object_id, e.event.outcome, e.leaf_hash, seq});
  };
  put(5, b);
  put(9, a);
  expect_bad(5, "entry 5 was changed");
  // Even when the attacker recomputes both leaf hashes for their new positions.
  tamper("UPDATE audit_entries SET leaf_hash = ? WHERE seq = 5", {leaf_hex(entry(5))});
  tamper("UPDATE audit_entries SET leaf_hash = ? WHERE seq = 9", {leaf_hex(entry(9))});
  expect_bad(5, "no longer matches its signed tree head");
}

TEST_F(AuditLogTest, DetectsForgedAndMissingHeads) {
  fill(30);
  auto h17 = log->head_at(17);
  auto h18 = log->head_at(18);
  tamper("UPDATE audit_tree_heads SET root_hash = ? WHERE tree_size = 17", {h18->root_hash});
  expect_bad(17, "invalid signature");
  tamper("UPDATE audit_tree_heads SET root_hash = ? WHERE tree_size = 17", {h17->root_hash});
  tamper("UPDATE audit_tree_heads SET timestamp = '2000-01-01T00:00:00.000Z' WHERE tree_size = 17");
  expect_bad(17, "invalid signature");
  tamper("UPDATE audit_tree_heads SET timestamp = ? WHERE tree_size = 17", {h17->timestamp});
  ASSERT_TRUE(log->verify().ok);
  tamper("DELETE FROM audit_tree_heads WHERE tree_size = 11");
  expect_bad(11, "entry 11 has no signed tree head");
}

TEST_F(AuditLogTest, DetectsAHeadBeyondTheLog) {
  fill(10);
  auto h = log->head_at(10);
  tamper(
      "INSERT INTO audit_tree_heads (tree_size, root_hash, timestamp, signature) "
      "VALUES (40, ?, ?, ?)",
      {h->root_hash, h->timestamp, h->signature});
  expect_bad(11, "forged head for tree size 40");
}

TEST_F(AuditLogTest, DetectsAnEditedStateRow) {
  fill(10);
  tamper("UPDATE audit_state SET frontier = ? WHERE id = 1", {std::string(128, 'a')});
  expect_bad(std::nullopt, "frontier in audit_state was edited");
  // An append refuses to build on a frontier that does not parse.
  tamper("UPDATE audit_state SET frontier = 'zz' WHERE id = 1");
  EXPECT_THROW(log->record(event(11)), Error);
}

TEST_F(AuditLogTest, DetectsAMissingOrForeignHeadFile) {
  fill(10);
  fs::path file = dir.path / kHeadFile;
  std::ifstream in(file);
  std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  fs::remove(file);
  expect_bad(std::nullopt, "audit-head.json is missing");
  {
    std::ofstream out(file);
    out << "{not json";
  }
  expect_bad(std::nullopt, "audit-head.json is damaged");
  {
    // A validly shaped file whose heads another key signed.
    auto other_dir = dir.path / "other";
    fs::create_directories(other_dir);
    store::testing::TestDatabase other_db;
    auto other_store = other_db.open();
    DirectoryTrustStore other_trust(other_dir);
    AuditLog other(*other_store, other_trust);
    other.record(event(1));
    fs::copy_file(other_dir / kHeadFile, file, fs::copy_options::overwrite_existing);
  }
  expect_bad(std::nullopt, "did not sign");
  {
    std::ofstream out(file, std::ios::trunc);
    out << original;
  }
  EXPECT_TRUE(log->verify().ok);
}

// ---- tampering with the file on disk -----------------------------------------------------

TEST_F(AuditLogTest, DetectsOneFlippedByteInTheSqliteFile) {
  if (db.postgresql()) GTEST_SKIP() << "about SQLite's file";
  fill(150);
  ASSERT_TRUE(log->verify().ok);
  close();
  fs::path db = dir.path / "ctip.sqlite";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  std::string bytes;
  {
    std::ifstream in(db, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const std::string needle = object_id(123);
  size_t at = bytes.find(needle);
  ASSERT_NE(at, std::string::npos);
  ASSERT_EQ(bytes.find(needle, at + 1), std::string::npos) << "the id must occur once";
  {
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    size_t pos = at + needle.size() - 1;  // the last digit: '3' becomes '2'
    f.seekp(static_cast<std::streamoff>(pos));
    f.put(static_cast<char>(bytes[pos] ^ 0x01));
  }
  open();
  expect_bad(123, "entry 123 was changed");
}

// ---- concurrency -------------------------------------------------------------------------

TEST_F(AuditLogTest, ConcurrentRecordsStayContiguousAndVerify) {
  std::vector<int64_t> seqs[2];
  auto worker = [&](int t) {
    for (int i = 0; i < 200; ++i) seqs[t].push_back(log->record(event(t * 1000 + i + 1)));
  };
  std::thread a(worker, 0), b(worker, 1);
  a.join();
  b.join();
  std::set<int64_t> all(seqs[0].begin(), seqs[0].end());
  all.insert(seqs[1].begin(), seqs[1].end());
  EXPECT_EQ(all.size(), 400u);
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), 400);
  auto r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.entries, 400);
  EXPECT_TRUE(r.note.empty()) << r.note;
}

TEST_F(AuditLogTest, ConcurrentWritersWithSeparateStoresStayContiguous) {
  // Two Store objects on one store behave like two processes: only the store's locks (SQLite's
  // write lock, PostgreSQL's row lock on audit_state) and the file lock order them.
  auto second_store = db.open();
  DirectoryTrustStore second_trust(dir.path);
  AuditLog second(*second_store, second_trust);
  auto worker = [&](AuditLog& l, int t) {
    for (int i = 0; i < 100; ++i) {
      if (i % 2 == 0) {
        l.record(event(t * 1000 + i + 1));
      } else {
        Store& s = t == 0 ? *store : *second_store;
        s.write([&](Connection& c) { l.append(c, event(t * 1000 + i + 1)); });
      }
    }
  };
  std::thread a(worker, std::ref(*log), 0), b(worker, std::ref(second), 1);
  a.join();
  b.join();
  auto r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.entries, 200);
}

// ---- group commit ------------------------------------------------------------------------

int64_t count_rows(Store& s, const std::string& table) {
  int64_t n = 0;
  s.read([&](Connection& c) { n = c.query_row("SELECT COUNT(*) FROM " + table).integer(0); });
  return n;
}

TEST_F(AuditLogTest, ManyThreadsRecordingShareTransactionsAndHeads) {
  close();
  store = db.open();
  trust = std::make_unique<DirectoryTrustStore>(dir.path);
  // A leader waits up to 2 ms for more events, so the batches are large even on a busy machine.
  log = std::make_unique<AuditLog>(*store, *trust, clock,
                                   AuditLogOptions{.max_batch = 32, .max_wait_us = 2000});
  constexpr int kThreads = 12, kEach = 100;
  std::vector<std::vector<int64_t>> seqs(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        int64_t seq = log->record(event(t * 1000 + i + 1));
        // Durable before record() returns: a fresh read already sees the entry.
        auto found = log->entries(seq - 1, 1);
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].event.object_id, object_id(t * 1000 + i + 1));
        seqs[t].push_back(seq);
      }
    });
  for (auto& t : threads) t.join();

  std::set<int64_t> all;
  for (const auto& s : seqs) all.insert(s.begin(), s.end());
  constexpr int64_t kTotal = kThreads * kEach;
  EXPECT_EQ(all.size(), static_cast<size_t>(kTotal)) << "every entry exactly once";
  EXPECT_EQ(*all.begin(), 1);
  EXPECT_EQ(*all.rbegin(), kTotal) << "gap-free";
  std::set<std::string> ids;
  for (const auto& e : log->entries(0, kTotal + 10)) ids.insert(e.event.object_id);
  EXPECT_EQ(ids.size(), static_cast<size_t>(kTotal));

  const int64_t heads = count_rows(*store, "audit_tree_heads");
  EXPECT_LT(heads, kTotal / 2) << "batches share one signed head";
  store->read([&](Connection& c) {
    auto r = c.query_one("SELECT MAX(tree_size - previous_size) FROM audit_tree_heads");
    EXPECT_LE(r->integer(0), 32) << "no batch beyond max_batch";
  });
  auto r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;
  EXPECT_EQ(r.entries, kTotal);
  EXPECT_TRUE(r.note.empty()) << r.note;

  // Proofs hold for entries inside batches, against the heads the batches signed.
  auto head = log->head();
  ASSERT_EQ(head.tree_size, kTotal);
  for (int64_t seq = 1; seq <= kTotal; seq += 37) {
    std::vector<merkle::Hash> path;
    for (const auto& h : log->inclusion_proof(seq, kTotal)) path.push_back(unhex(h));
    EXPECT_TRUE(merkle::verify_inclusion(seq - 1, kTotal, unhex(entry(seq).leaf_hash), path,
                                         unhex(head.root_hash)))
        << seq;
  }
  int checked = 0;
  store->read([&](Connection& c) {
    for (const auto& row : c.query("SELECT tree_size FROM audit_tree_heads ORDER BY tree_size")) {
      int64_t first = row.integer(0);
      std::vector<merkle::Hash> path;
      for (const auto& h : log->consistency_proof(first, kTotal)) path.push_back(unhex(h));
      EXPECT_TRUE(merkle::verify_consistency(first, kTotal, unhex(log->head_at(first)->root_hash),
                                             unhex(head.root_hash), path))
          << first;
      ++checked;
    }
  });
  EXPECT_EQ(checked, heads);
}

TEST_F(AuditLogTest, DetectsTamperingInsideABatch) {
  close();
  store = db.open();
  trust = std::make_unique<DirectoryTrustStore>(dir.path);
  log = std::make_unique<AuditLog>(*store, *trust, clock);
  // Entries 1-4 appended in one caller transaction, then 5-15 recorded one by one.
  store->write([&](Connection& c) {
    for (int64_t i = 1; i <= 4; ++i) log->append(c, event(i));
  });
  fill_range(5, 15);
  ASSERT_TRUE(log->verify().ok);
  // Deleting one head of the chain is seen.
  auto h9 = log->head_at(9);
  ASSERT_TRUE(h9);
  tamper("DELETE FROM audit_tree_heads WHERE tree_size = 9");
  expect_bad(9, "entry 9 has no signed tree head");
  tamper(
      "INSERT INTO audit_tree_heads (tree_size, root_hash, timestamp, signature, previous_size) "
      "VALUES (9, ?, ?, ?, 8)",
      {h9->root_hash, h9->timestamp, h9->signature});
  ASSERT_TRUE(log->verify().ok);
  // A changed previous_size is seen too.
  tamper("UPDATE audit_tree_heads SET previous_size = 3 WHERE tree_size = 9");
  expect_bad(9, "was edited");
  tamper("UPDATE audit_tree_heads SET previous_size = 8 WHERE tree_size = 9");
  ASSERT_TRUE(log->verify().ok);
}

TEST_F(AuditLogTest, AnEntryChangedInsideABatchIsPinnedToItsBatch) {
  store->write([&](Connection& c) {
    for (int64_t i = 1; i <= 6; ++i) log->append(c, event(i));
  });
  ASSERT_TRUE(log->verify().ok);
  // Concurrent records: one group commit of 6 entries (a leader waiting for all of them).
  close();
  store = db.open();
  trust = std::make_unique<DirectoryTrustStore>(dir.path);
  log = std::make_unique<AuditLog>(*store, *trust, clock,
                                   AuditLogOptions{.max_batch = 6, .max_wait_us = 2'000'000});
  std::vector<std::thread> ts;
  for (int64_t i = 7; i <= 12; ++i) ts.emplace_back([&, i] { log->record(event(i)); });
  for (auto& t : ts) t.join();
  ASSERT_EQ(log->head().tree_size, 12);
  EXPECT_TRUE(log->head_at(12));
  EXPECT_FALSE(log->head_at(9)) << "one head for the batch 7-12";
  ASSERT_TRUE(log->verify().ok);
  Entry before = entry(10);
  tamper("UPDATE audit_entries SET outcome = 'denied' WHERE seq = 10");
  tamper("UPDATE audit_entries SET leaf_hash = ? WHERE seq = 10", {leaf_hex(entry(10))});
  expect_bad(7, "one of entries 7 to 12 was changed");
  tamper("UPDATE audit_entries SET outcome = ?, leaf_hash = ? WHERE seq = 10",
         {before.event.outcome, before.leaf_hash});
  EXPECT_TRUE(log->verify().ok);
  // An entry appended behind the log's back after the last batch has no head.
  Entry fake = entry(12);
  fake.seq = 13;
  fake.event.actor_user_id = 1;
  fake.event.org_id = 1;
  insert_forged(fake);
  fake.seq = 14;
  insert_forged(fake);
  expect_bad(13, "entries 13 to 14 have no signed tree head");
}

TEST_F(AuditLogTest, AFailedBatchFailsEachOfItsCallersAndTheLogCarriesOn) {
  fill(3);
  std::string frontier;
  store->read([&](Connection& c) {
    frontier = c.query_row("SELECT frontier FROM audit_state WHERE id = 1").text(0);
  });
  tamper("UPDATE audit_state SET frontier = 'zz' WHERE id = 1");
  std::atomic<int> failed{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&, t] {
      try {
        log->record(event(100 + t));
      } catch (const Error& e) {
        if (e.code() == ErrorCode::integrity) ++failed;
      }
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(failed.load(), 8) << "every caller hears of the failure; none hangs";
  tamper("UPDATE audit_state SET frontier = ? WHERE id = 1", {frontier});
  EXPECT_EQ(log->record(event(4)), 4);
  EXPECT_TRUE(log->verify().ok);
}

// ---- folded failures -------------------------------------------------------------------

Event failed_login(const std::string& object_id) {
  return {std::nullopt, "anonymous", std::nullopt, "session.login", "user", object_id, "failure"};
}

int64_t occurrences_of(AuditLog& log, const std::string& object_id) {
  int64_t n = 0;
  for (const auto& e : log.entries(0, 100000))
    if (e.event.object_id == object_id) n += e.event.occurrences.value_or(1);
  return n;
}

TEST_F(AuditLogTest, RepeatedFailuresFromOneSourceFoldIntoOneEntryPerWindow) {
  close();
  store = db.open();
  trust = std::make_unique<DirectoryTrustStore>(dir.path);
  log = std::make_unique<AuditLog>(*store, *trust, clock,
                                   AuditLogOptions{.failure_window_ms = 60'000});
  // A flood from one address against one account: the first failure is recorded at once ...
  for (int i = 0; i < 500; ++i) log->record_failure("192.0.2.7 alice", failed_login("unknown"));
  EXPECT_EQ(log->head().tree_size, 1);
  // ... another source is another window ...
  for (int i = 0; i < 3; ++i) log->record_failure("198.51.100.1 bob", failed_login("7"));
  EXPECT_EQ(log->head().tree_size, 2);
  // ... and when the window has passed, the next failure writes the count of the last window.
  clock.advance(60'000);
  log->record_failure("192.0.2.7 alice", failed_login("unknown"));
  EXPECT_EQ(log->head().tree_size, 5);  // alice's 499 more, bob's 2 more, alice's new first
  auto all = log->entries(0, 10);
  EXPECT_FALSE(all[0].event.occurrences);
  EXPECT_EQ(all[2].event.occurrences, 499);
  EXPECT_EQ(all[3].event.occurrences, 2);
  EXPECT_FALSE(all[4].event.occurrences);
  EXPECT_EQ(occurrences_of(*log, "unknown"), 501) << "every failure is counted";
  EXPECT_EQ(occurrences_of(*log, "7"), 3);
  // Nothing is lost at shutdown: closing the log writes the open windows.
  log->record_failure("192.0.2.7 alice", failed_login("unknown"));
  close();
  open();
  EXPECT_EQ(occurrences_of(*log, "unknown"), 502);
  auto r = log->verify();
  EXPECT_TRUE(r.ok) << r.message;

  // The count is part of the signed entry.
  tamper("UPDATE audit_entries SET occurrences = 1 WHERE seq = 3");
  expect_bad(3, "entry 3 was changed");
  tamper("UPDATE audit_entries SET occurrences = NULL WHERE seq = 3");
  expect_bad(3, "entry 3 was changed");
}

TEST_F(AuditLogTest, FoldingMemoryIsBoundedWithoutLosingCounts) {
  close();
  store = db.open();
  trust = std::make_unique<DirectoryTrustStore>(dir.path);
  log = std::make_unique<AuditLog>(*store, *trust, clock, AuditLogOptions{.failure_sources = 4});
  for (int round = 0; round < 3; ++round)
    for (int src = 0; src < 10; ++src)
      for (int twice = 0; twice < 2; ++twice)
        log->record_failure("10.0.0." + std::to_string(src), failed_login("unknown"));
  log->flush_failures();
  EXPECT_EQ(occurrences_of(*log, "unknown"), 60);
  EXPECT_TRUE(log->verify().ok);
}

// ---- issue #7 item 5: heads kept elsewhere, the public key alone, sources and queries -------

TEST_F(AuditLogTest, AKeptHeadCatchesWhatPlainVerifyCannot) {
  fill(20);
  KeptHead kept{log->head(), "kept.json"};
  fill_range(21, 25);
  auto ok = log->verify({kept});
  ASSERT_TRUE(ok.ok) << ok.message;
  EXPECT_NE(ok.message.find("consistent with 1 kept head"), std::string::npos) << ok.message;

  // A truncation that rewinds state and head file passes plain verify but not the kept head.
  auto head12 = log->head_at(12);
  ASSERT_TRUE(head12);
  truncate_consistently(12);
  HeadFile rewound;
  rewound.confirmed = rewound.latest = *head12;
  write_head_file(dir.path / kHeadFile, rewound);
  EXPECT_TRUE(log->verify().ok) << "a rewound truncation looks intact without a kept head";
  auto r = log->verify({kept});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_entry, 13);
  EXPECT_NE(r.message.find("entries 13 to 20 were deleted"), std::string::npos) << r.message;

  // A wipe of the three tables and the head file.
  tamper("DELETE FROM audit_entries");
  tamper("DELETE FROM audit_tree_heads");
  tamper("DELETE FROM audit_nodes");
  tamper("UPDATE audit_state SET tree_size = 0, frontier = '' WHERE id = 1");
  fs::remove(dir.path / kHeadFile);
  EXPECT_TRUE(log->verify().ok);
  r = log->verify({kept});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("the log was wiped"), std::string::npos) << r.message;

  // A rebuild with the stored key, longer than the kept head: every head validly signed.
  for (int64_t i = 1; i <= 30; ++i) {
    Event e = event(i);
    if (i == 7) e.actor = "someone-else";  // the entry the rebuild hides
    log->record(e);
  }
  EXPECT_TRUE(log->verify().ok);
  r = log->verify({kept});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("consistency proof from 20 to 30 entries fails"), std::string::npos)
      << r.message;
}

TEST_F(AuditLogTest, AKeptHeadMustBeSignedByThisLogsKey) {
  fill(5);
  KeptHead kept{log->head(), "kept.json"};
  KeptHead edited = kept;
  edited.head.tree_size = 4;
  auto r = log->verify({edited});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("invalid signature"), std::string::npos) << r.message;
  KeptHead foreign = kept;
  foreign.head.public_key = std::string(64, 'a');
  r = log->verify({foreign});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.message.find("the signing key was replaced"), std::string::npos) << r.message;
  EXPECT_TRUE(log->verify({kept}).ok);
}

TEST_F(AuditLogTest, VerifyNeedsOnlyThePublicKey) {
  fill(6);
  KeptHead kept{log->head(), "kept.json"};
  std::string pk = log->public_key_hex();
  // The secret key moved away (e.g. --audit-key on another mount): verification still works.
  fs::path key = dir.path / kSigningKeyFile;
  fs::rename(key, dir.path / "elsewhere.key");
  {
    AuditLogOptions o;
    o.verify_only = true;
    AuditLog reader(*store, *trust, clock, o);
    EXPECT_EQ(reader.public_key_hex(), pk);
    auto r = reader.verify({kept});
    EXPECT_TRUE(r.ok) << r.message;
    EXPECT_THROW(reader.record(event(7)), Error);
    // With a public key given from outside: another key fails every head.
    AuditLogOptions other = o;
    other.public_key_hex = std::string(63, '0') + "1";
    AuditLog wrong(*store, *trust, clock, other);
    EXPECT_FALSE(wrong.verify().ok);
  }
  // A key file outside the directory (DirectoryTrustStore's key_file).
  fs::rename(dir.path / "elsewhere.key", key);
  fs::path outside = dir.path / "mnt" / "ctip.key";
  DirectoryTrustStore split(dir.path, outside);
  EXPECT_EQ(split.key_location(), outside.string());
  EXPECT_FALSE(split.has_key());
}

TEST_F(AuditLogTest, SourcesAndListDetailsAreSignedAndQueryable) {
  Event a = event(1);
  a.client_address = "192.0.2.7";
  Event list = event(2);
  list.action = "screenings.read";
  list.object_type = "screening_list";
  list.object_id = "3";
  list.client_address = "192.0.2.8";
  list.details = list_details("screening", {4, 17, 170});
  log->record(a);
  log->record(list);
  log->record(event(3));
  EXPECT_EQ(entry(1).event.client_address, "192.0.2.7");
  EXPECT_EQ(entry(2).event.details,
            std::optional<std::string>(R"({"ids":[4,17,170],"object_type":"screening"})"));
  ASSERT_TRUE(log->verify().ok);

  // Who saw screening 17: the list that returned it, not the one of 170 or 4 alone.
  EntryFilter f;
  f.object_type = "screening";
  f.object_id = "17";
  auto hits = log->query(f, 10);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].seq, 2);
  f.object_id = "1";
  EXPECT_TRUE(log->query(f, 10).empty());
  EntryFilter by_address;
  by_address.client_address = "192.0.2.7";
  ASSERT_EQ(log->query(by_address, 10).size(), 1u);
  EntryFilter by_actor;
  by_actor.actor = event(3).actor;
  by_actor.until = "2000-01-01T00:00:00Z";
  EXPECT_TRUE(log->query(by_actor, 10).empty());

  // The address is part of the leaf: changing it is a changed entry.
  tamper("UPDATE audit_entries SET client_address = '198.51.100.1' WHERE seq = 1");
  expect_bad(1, "entry 1 was changed");
}

}  // namespace
}  // namespace ctip::audit
