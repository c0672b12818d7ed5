// The audit log over the Store. The Merkle arithmetic is in merkle.cpp; this file keeps the
// rows, uses the signing key and the remembered heads of the TrustStore (audit-head.json in a
// DirectoryTrustStore), and checks them all in verify().
//
// Why audit-head.json has two heads. A DB-only attacker (SQL access to the store, a restored
// copy of the SQLite file, later a PostgreSQL administrator) can delete the newest entries,
// their heads, and rewrite audit_state; what remains is a shorter log whose every head is
// validly signed. The file outside the store remembers how long the log was. But append() runs
// inside the caller's transaction and cannot know whether it commits, so a head it writes may
// belong to a transaction that later rolls back; "the file is ahead of the store" would then be
// a false alarm. So the file holds (all writes under a file lock, read-modify-write):
//   latest     the newest head written: by append() before its transaction commits (under the
//              store's write lock, so these writes are ordered like the commits), and by
//              record() after its batch commits;
//   confirmed  the newest head known to be committed: record() confirms its batch's head after
//              the commit, and append() first confirms the previous `latest` when a connection
//              other than the caller's (so seeing only committed rows) finds it in the store.
//              Once the store no longer holds the confirmed head, nothing replaces it: the file
//              keeps the evidence.
// verify() fails when the store lacks the confirmed head or holds other entries under it, and
// only notes a `latest` that the store lacks, which a rollback explains. What stays undetected
// is deleting exactly the entries of the most recent append() transaction before anything
// confirmed them; entries written by record() are confirmed at once.
#include "audit/audit_log.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <deque>
#include <future>
#include <limits>
#include <thread>

#include "audit/data_files.h"
#include "audit/merkle.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/time.h"

namespace ctip::audit {
namespace {

using merkle::Hash;
namespace fs = std::filesystem;

constexpr std::string_view kLeafFormat = "ctip-audit-entry/1";
constexpr std::string_view kFoldedLeafFormat = "ctip-audit-entry/2";  // with occurrences
// With the client address and the details of a list read (migration 7).
constexpr std::string_view kSourcedLeafFormat = "ctip-audit-entry/3";
constexpr std::string_view kHeadFormat = "ctip-audit-tree-head/1";
constexpr int64_t kPage = 2048;  // rows per query when walking the whole log

constexpr const char* kEntryColumns =
    "seq, time, actor_user_id, actor, org_id, action, object_type, object_id, outcome, leaf_hash, "
    "occurrences, client_address, details";

std::string hex(const Hash& h) { return to_hex(h); }

std::string hex(std::string_view raw) {
  return to_hex({reinterpret_cast<const uint8_t*>(raw.data()), raw.size()});
}

// A hash as the log writes it: exactly 64 lowercase hex characters.
std::optional<Hash> parse_hash(std::string_view text) {
  if (text.size() != 64) return std::nullopt;
  for (char ch : text)
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return std::nullopt;
  std::string raw = from_hex(text);
  Hash h;
  std::memcpy(h.data(), raw.data(), h.size());
  return h;
}

std::string frontier_text(const merkle::Frontier& f) {
  std::string out;
  for (const auto& node : f.nodes()) out += hex(node);
  return out;
}

std::optional<merkle::Frontier> parse_frontier(int64_t size, std::string_view text) {
  if (size < 0 || text.size() % 64 != 0) return std::nullopt;
  std::vector<Hash> nodes;
  for (size_t i = 0; i < text.size(); i += 64) {
    auto h = parse_hash(text.substr(i, 64));
    if (!h) return std::nullopt;
    nodes.push_back(*h);
  }
  return merkle::Frontier::from_nodes(static_cast<uint64_t>(size), std::move(nodes));
}

void put_field(std::string& out, char type, std::string_view bytes) {
  out.push_back(type);
  uint64_t n = bytes.size();
  for (int shift = 56; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  out.append(bytes);
}
void put_text(std::string& out, std::string_view s) { put_field(out, 'S', s); }
void put_integer(std::string& out, int64_t v) { put_field(out, 'I', std::to_string(v)); }
void put_optional(std::string& out, const std::optional<int64_t>& v) {
  if (v)
    put_integer(out, *v);
  else
    out.push_back('N');
}

void validate(const Event& e) {
  if (e.actor.empty())
    invalid("actor", "an audit event needs an actor: a username, \"anonymous\" or \"system\"");
  if (e.action.empty()) invalid("action", "an audit event needs an action, e.g. \"users.read\"");
  if (std::find(kOutcomes.begin(), kOutcomes.end(), e.outcome) == kOutcomes.end())
    invalid("outcome",
            "an audit event's outcome must be \"success\", \"denied\" or \"failure\", not \"" +
                e.outcome + "\"");
  if (e.occurrences && *e.occurrences < 1)
    invalid("occurrences", "an audit event stands for at least one occurrence");
}

Entry row_to_entry(const store::Row& r) {
  Entry e;
  e.seq = r.integer(0);
  e.time = r.text(1);
  e.event.actor_user_id = r.optional_integer(2);
  e.event.actor = r.text(3);
  e.event.org_id = r.optional_integer(4);
  e.event.action = r.text(5);
  e.event.object_type = r.text(6);
  e.event.object_id = r.text(7);
  e.event.outcome = r.text(8);
  e.leaf_hash = r.text(9);
  e.event.occurrences = r.optional_integer(10);
  if (!r.is_null(11)) e.event.client_address = r.text(11);
  if (!r.is_null(12)) e.event.details = r.text(12);
  return e;
}

// The name of the first column of an audit_entries row whose stored type is not the one the
// log writes (a changed type is a changed entry, even when the value reads the same), or null.
const char* column_with_wrong_type(const store::Row& r) {
  static constexpr struct {
    size_t index;
    const char* name;
    bool integer;
    bool nullable;
  } kColumns[] = {{1, "time", false, false},           {2, "actor_user_id", true, true},
                  {3, "actor", false, false},          {4, "org_id", true, true},
                  {5, "action", false, false},         {6, "object_type", false, false},
                  {7, "object_id", false, false},      {8, "outcome", false, false},
                  {9, "leaf_hash", false, false},      {10, "occurrences", true, true},
                  {11, "client_address", false, true}, {12, "details", false, true}};
  for (const auto& col : kColumns) {
    const auto& v = r.value(col.index);
    if (std::holds_alternative<std::monostate>(v)) {
      if (!col.nullable) return col.name;
    } else if (col.integer ? !std::holds_alternative<int64_t>(v)
                           : !std::holds_alternative<std::string>(v)) {
      return col.name;
    }
  }
  return nullptr;
}

SignedTreeHead row_to_head(const store::Row& r, const std::string& public_key_hex) {
  return {r.integer(0), r.text(1), r.text(2), r.text(3), public_key_hex};
}

bool head_signed_by(const SignedTreeHead& h, const std::string& public_key) {
  std::string sig;
  try {
    sig = from_hex(h.signature);
  } catch (const Error&) {
    return false;
  }
  if (sig.size() != crypto_sign_BYTES || public_key.size() != crypto_sign_PUBLICKEYBYTES)
    return false;
  std::string msg = tree_head_message(h.tree_size, h.root_hash, h.timestamp);
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(sig.data()),
                                     reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                                     reinterpret_cast<const unsigned char*>(public_key.data())) ==
         0;
}

// Walks a table in primary-key order, kPage rows per query, inside the caller's transaction so
// the walk sees one snapshot. `sql` takes (after, limit) and selects the key first.
class KeyOrderScan {
 public:
  KeyOrderScan(store::Connection& c, std::string sql) : c_(c), sql_(std::move(sql)) {}
  // The next row; valid until the next call.
  const store::Row* next() {
    if (i_ < rows_.size()) return &rows_[i_++];
    if (done_) return nullptr;
    rows_ = c_.query(sql_, {after_, kPage});
    i_ = 0;
    if (static_cast<int64_t>(rows_.size()) < kPage) done_ = true;
    if (rows_.empty()) return nullptr;
    after_ = rows_.back().integer(0);
    return &rows_[i_++];
  }

 private:
  store::Connection& c_;
  std::string sql_;
  std::vector<store::Row> rows_;
  size_t i_ = 0;
  bool done_ = false;
  int64_t after_ = std::numeric_limits<int64_t>::min();
};

int64_t current_tree_size(store::Connection& c) {
  std::optional<store::Row> row;
  try {
    row = c.query_one("SELECT tree_size FROM audit_state WHERE id = 1");
  } catch (const Error& e) {
    throw Error(ErrorCode::integrity, std::string("the store has no audit log tables (") +
                                          e.what() + "): run 'ctip db migrate'");
  }
  if (!row)
    throw Error(ErrorCode::integrity,
                "the audit_state row is missing: the audit log was tampered with; run 'ctip audit "
                "verify'");
  return row->integer(0);
}

Hash stored_hash(const std::optional<store::Row>& row, const std::string& what) {
  auto h = row ? parse_hash(row->text(0)) : std::nullopt;
  if (!h)
    throw Error(ErrorCode::integrity, what + " is missing or damaged: run 'ctip audit verify'");
  return *h;
}

// The root of a perfect subtree: a leaf hash from audit_entries, or a node from audit_nodes. A
// log written before audit_nodes existed (migration 4) lacks the older nodes; they are folded
// from their children then.
Hash stored_node(store::Connection& c, merkle::NodeId id) {
  if (id.height == 0)
    return stored_hash(c.query_one("SELECT leaf_hash FROM audit_entries WHERE seq = ?",
                                   {static_cast<int64_t>(id.index) + 1}),
                       "audit entry " + std::to_string(id.index + 1));
  auto row = c.query_one("SELECT hash FROM audit_nodes WHERE height = ? AND node_index = ?",
                         {static_cast<int64_t>(id.height), static_cast<int64_t>(id.index)});
  if (row)
    return stored_hash(row,
                       "audit node " + std::to_string(id.height) + "/" + std::to_string(id.index));
  return merkle::hash_children(stored_node(c, {id.height - 1, id.index * 2}),
                               stored_node(c, {id.height - 1, id.index * 2 + 1}));
}

void check_proof_size(store::Connection& c, int64_t size_asked, const char* field) {
  int64_t size = current_tree_size(c);
  if (size_asked < 1 || size_asked > size)
    invalid(field, std::string(field) + " must be between 1 and the log's size, " +
                       std::to_string(size) + "; got " + std::to_string(size_asked));
}

// Checks the Ed25519 signatures of heads on other threads while verify() streams the entries:
// at one head per batch they are most of its work (about 50 µs each, against a few µs per
// entry). Chunks are checked in the order added, with a bounded number in flight, so memory
// stays constant and the first bad head is known.
class ParallelSignatureCheck {
 public:
  explicit ParallelSignatureCheck(std::string public_key)
      : public_key_(std::move(public_key)),
        in_flight_(std::max(2u, std::thread::hardware_concurrency())) {}
  ~ParallelSignatureCheck() {
    for (auto& f : running_) f.wait();
  }
  void add(SignedTreeHead head) {
    chunk_.push_back(std::move(head));
    if (chunk_.size() >= kChunk) dispatch();
  }
  // The tree size of the first head added whose signature is invalid, once all are checked.
  std::optional<int64_t> first_invalid() {
    dispatch();
    while (!running_.empty()) collect_oldest();
    return first_invalid_;
  }

 private:
  static constexpr size_t kChunk = 256;
  void collect_oldest() {
    auto bad = running_.front().get();
    running_.pop_front();
    if (bad && !first_invalid_) first_invalid_ = bad;
  }
  void dispatch() {
    if (chunk_.empty()) return;
    if (running_.size() >= in_flight_) collect_oldest();
    running_.push_back(
        std::async(std::launch::async, [pk = public_key_, heads = std::move(chunk_)] {
          for (const auto& h : heads)
            if (!head_signed_by(h, pk)) return std::optional<int64_t>(h.tree_size);
          return std::optional<int64_t>();
        }));
    chunk_.clear();
  }
  std::string public_key_;
  size_t in_flight_;
  std::vector<SignedTreeHead> chunk_;
  std::deque<std::future<std::optional<int64_t>>> running_;
  std::optional<int64_t> first_invalid_;
};

// "entry 9 was deleted" or "entries 9 to 12 were deleted".
std::string deleted(int64_t from, int64_t to) {
  if (from == to) return "entry " + std::to_string(from) + " was deleted";
  return "entries " + std::to_string(from) + " to " + std::to_string(to) + " were deleted";
}

}  // namespace

// ---- canonical forms ---------------------------------------------------------------------

std::string leaf_data(int64_t seq, std::string_view time, const Event& event) {
  std::string out;
  const bool sourced = !event.client_address.empty() || event.details.has_value();
  put_text(out, sourced ? kSourcedLeafFormat : event.occurrences ? kFoldedLeafFormat : kLeafFormat);
  put_integer(out, seq);
  put_text(out, time);
  put_optional(out, event.actor_user_id);
  put_text(out, event.actor);
  put_optional(out, event.org_id);
  put_text(out, event.action);
  put_text(out, event.object_type);
  put_text(out, event.object_id);
  put_text(out, event.outcome);
  if (sourced) {
    put_optional(out, event.occurrences);
    if (event.client_address.empty())
      out.push_back('N');
    else
      put_text(out, event.client_address);
    if (event.details)
      put_text(out, *event.details);
    else
      out.push_back('N');
  } else if (event.occurrences) {
    put_integer(out, *event.occurrences);
  }
  return out;
}

std::string list_details(std::string_view object_type, const std::vector<int64_t>& ids) {
  std::string out = "{\"ids\":[";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i > 0) out += ",";
    out += std::to_string(ids[i]);
  }
  out += "],\"object_type\":\"";
  out += object_type;  // a type name such as "screening": no characters to escape
  out += "\"}";
  return out;
}

std::string tree_head_message(int64_t tree_size, std::string_view root_hash,
                              std::string_view timestamp) {
  std::string out(kHeadFormat);
  out += "\ntree_size " + std::to_string(tree_size) + "\nroot_hash ";
  out += root_hash;
  out += "\ntimestamp ";
  out += timestamp;
  out += "\n";
  return out;
}

bool verify_tree_head(const SignedTreeHead& head) {
  crypto_init();
  std::string pk;
  try {
    pk = from_hex(head.public_key);
  } catch (const Error&) {
    return false;
  }
  return head_signed_by(head, pk);
}

// ---- AuditLog ----------------------------------------------------------------------------

struct AuditLog::Pending {
  const Event* event = nullptr;
  int64_t seq = 0;
  std::exception_ptr error;
  bool done = false;
};

AuditLog::AuditLog(store::Store& store, TrustStore& trust, const Clock& clock,
                   const AuditLogOptions& options)
    : store_(store),
      trust_(trust),
      clock_(clock),
      options_(options),
      failures_(options.failure_window_ms, options.failure_sources) {
  crypto_init();
  if (options_.max_batch == 0) options_.max_batch = 1;
  int64_t size = 0;
  store_.read([&](store::Connection& c) {
    size = current_tree_size(c);
    try {
      c.query("SELECT client_address, details FROM audit_entries WHERE seq = 0");
    } catch (const Error&) {
      throw Error(ErrorCode::integrity,
                  "the store's audit log predates migration 7 (client address and details): run "
                  "'ctip db migrate'");
    }
  });
  if (options_.verify_only) {
    if (!options_.public_key_hex.empty()) {
      public_key_ = parse_public_key(options_.public_key_hex);
    } else if (auto pk = trust_.load_public_key()) {
      public_key_ = std::move(*pk);
    } else if (size > 0) {
      throw Error(ErrorCode::integrity, "no public key to verify the audit log with: neither " +
                                            trust_.key_location() + " nor " +
                                            std::string(kPublicKeyFile) +
                                            " beside the data; pass --public-key FILE");
    }
    public_key_hex_ = hex(public_key_);
    return;
  }
  if (!trust_.has_key()) {
    if (size > 0)
      throw Error(ErrorCode::integrity,
                  trust_.key_location() + " is missing but the audit log holds " +
                      std::to_string(size) +
                      " entries; a new key could not verify them. Restore the key file from a "
                      "backup of the data directory");
    trust_.create_key();
  }
  SigningKey key = trust_.load_key();
  secret_key_ = std::move(key.secret_key);
  public_key_ = std::move(key.public_key);
  public_key_hex_ = hex(public_key_);
}

AuditLog::~AuditLog() {
  try {
    flush_failures();
  } catch (const std::exception&) {
    // ignored: the store is gone or broken; the folded counts cannot be written anywhere now.
  }
  sodium_memzero(secret_key_.data(), secret_key_.size());
}

SignedTreeHead AuditLog::sign_head(int64_t tree_size, const std::string& root_hash,
                                   const std::string& timestamp) const {
  if (secret_key_.empty()) return {tree_size, root_hash, timestamp, "", public_key_hex_};
  std::string msg = tree_head_message(tree_size, root_hash, timestamp);
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
                       reinterpret_cast<const unsigned char*>(secret_key_.data()));
  return {tree_size, root_hash, timestamp, to_hex({sig, sizeof sig}), public_key_hex_};
}

bool AuditLog::signed_by_this_log(const SignedTreeHead& head) {
  std::string msg = tree_head_message(head.tree_size, head.root_hash, head.timestamp);
  {
    std::lock_guard lock(checked_mu_);
    auto it = checked_.find(head.signature);
    if (it != checked_.end() && it->second == msg) return true;
  }
  if (!head_signed_by(head, public_key_)) return false;
  std::lock_guard lock(checked_mu_);
  if (checked_.size() >= 64) checked_.clear();
  checked_.emplace(head.signature, std::move(msg));
  return true;
}

SignedTreeHead AuditLog::append_batch(store::Connection& c,
                                      const std::vector<const Event*>& events) {
  // The log serialises its own appends (issue #6 item 4): the first statement locks the state
  // row, so concurrent appenders - threads or processes, on SQLite or PostgreSQL - queue here
  // and each then reads the state the previous one committed.
  c.execute("UPDATE audit_state SET tree_size = tree_size WHERE id = 1");
  auto state = c.query_one("SELECT tree_size, frontier FROM audit_state WHERE id = 1");
  if (!state)
    throw Error(ErrorCode::integrity,
                "the audit_state row is missing, so no audit entry can be appended: the audit log "
                "was tampered with; run 'ctip audit verify'");
  const int64_t previous_size = state->integer(0);
  auto frontier = parse_frontier(previous_size, state->text(1));
  if (!frontier)
    throw Error(ErrorCode::integrity,
                "the audit_state frontier is damaged, so no audit entry can be appended: run "
                "'ctip audit verify'");
  auto last = c.query_one("SELECT MAX(seq) FROM audit_entries");
  if (last && !last->is_null(0) && last->integer(0) > previous_size)
    throw Error(ErrorCode::integrity,
                "audit_state records " + std::to_string(previous_size) + " entries but entry " +
                    std::to_string(last->integer(0)) +
                    " exists, so no audit entry can be appended: run 'ctip audit verify'");

  // One time for the batch: its entries and its head were written together.
  const std::string time = clock_.now_iso();
  auto opt = [](const std::optional<int64_t>& v) -> store::Value {
    return v ? store::Value{*v} : store::null_value;
  };
  const std::string insert_entry = "INSERT INTO audit_entries (" + std::string(kEntryColumns) +
                                   ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  int64_t seq = previous_size;
  std::vector<std::pair<merkle::NodeId, Hash>> completed;
  for (const Event* event : events) {
    ++seq;
    Hash leaf = merkle::hash_leaf(leaf_data(seq, time, *event));
    c.execute(
        insert_entry,
        {seq, time, opt(event->actor_user_id), event->actor, opt(event->org_id), event->action,
         event->object_type, event->object_id, event->outcome, hex(leaf), opt(event->occurrences),
         event->client_address.empty() ? store::null_value : store::Value{event->client_address},
         event->details ? store::Value{*event->details} : store::null_value});
    completed.clear();
    frontier->append(leaf, &completed);
    // A node left over from entries deleted behind the log's back (verify() reports that) is
    // replaced, not a reason to stop logging.
    for (const auto& [id, hash] : completed)
      c.execute(
          "INSERT INTO audit_nodes (height, node_index, hash) VALUES (?, ?, ?) "
          "ON CONFLICT (height, node_index) DO UPDATE SET hash = excluded.hash",
          {static_cast<int64_t>(id.height), static_cast<int64_t>(id.index), hex(hash)});
  }
  SignedTreeHead head = sign_head(seq, hex(frontier->root()), time);
  c.execute(
      "INSERT INTO audit_tree_heads (tree_size, root_hash, timestamp, signature, previous_size) "
      "VALUES (?, ?, ?, ?, ?)",
      {head.tree_size, head.root_hash, head.timestamp, head.signature, previous_size});
  c.execute("UPDATE audit_state SET tree_size = ?, frontier = ? WHERE id = 1",
            {seq, frontier_text(*frontier)});
  {
    std::lock_guard lock(checked_mu_);
    if (checked_.size() >= 64) checked_.clear();
    checked_.emplace(head.signature,
                     tree_head_message(head.tree_size, head.root_hash, head.timestamp));
  }
  return head;
}

void AuditLog::publish_head(const SignedTreeHead& head, bool committed) {
  trust_.update_heads([&](HeadFile& f) {
    // A head this key did not sign carries no information; drop it (verify() reports such a
    // file while it exists).
    if (f.confirmed && !signed_by_this_log(*f.confirmed)) f.confirmed.reset();
    if (f.latest && !signed_by_this_log(*f.latest)) f.latest.reset();

    // The previous latest head either committed, or was rolled back, or is an earlier append
    // of the caller's own transaction. A connection other than the caller's sees only committed
    // rows (and no other transaction can commit while the caller holds the write lock), so it
    // tells the first case from the others.
    bool check_latest = !committed && f.latest && f.latest->tree_size < head.tree_size &&
                        (!f.confirmed || f.confirmed->tree_size < f.latest->tree_size);
    if (committed || check_latest) {
      store_.read([&](store::Connection& other) {
        auto committed_root = [&](int64_t size) -> std::optional<std::string> {
          auto row =
              other.query_one("SELECT root_hash FROM audit_tree_heads WHERE tree_size = ?", {size});
          if (!row) return std::nullopt;
          return row->text(0);
        };
        // Once the store no longer holds the confirmed head (entries were deleted, or the store
        // replaced), the file keeps that head as evidence: nothing newer replaces it.
        if (f.confirmed && committed_root(f.confirmed->tree_size) != f.confirmed->root_hash) return;
        const SignedTreeHead* promote = nullptr;
        if (committed)
          promote = &head;
        else if (committed_root(f.latest->tree_size) == f.latest->root_hash)
          promote = &*f.latest;
        if (promote && (!f.confirmed || f.confirmed->tree_size < promote->tree_size))
          f.confirmed = *promote;
      });
    }
    // A committed head replaces a latest of the same size too: that one was rolled back.
    if (!committed || !f.latest || f.latest->tree_size <= head.tree_size) f.latest = head;
  });
}

void AuditLog::require_writable() const {
  if (options_.verify_only)
    throw Error(ErrorCode::internal, "the audit log was opened for verification only");
}

int64_t AuditLog::append(store::Connection& c, const Event& event) {
  require_writable();
  validate(event);
  SignedTreeHead head = append_batch(c, {&event});
  // Last, so that a failure to record the head rolls the append back with the transaction.
  publish_head(head, false);
  return head.tree_size;
}

std::optional<SignedTreeHead> AuditLog::commit_batch(const std::vector<Pending*>& batch) {
  try {
    std::vector<const Event*> events;
    events.reserve(batch.size());
    for (const Pending* p : batch) events.push_back(p->event);
    SignedTreeHead head;
    store_.write([&](store::Connection& c) { head = append_batch(c, events); });
    int64_t seq = head.tree_size - static_cast<int64_t>(batch.size());
    for (Pending* p : batch) p->seq = ++seq;
    return head;
  } catch (...) {
    std::exception_ptr error = std::current_exception();
    for (Pending* p : batch) p->error = error;
    return std::nullopt;
  }
}

std::vector<int64_t> AuditLog::record_all(const std::vector<Event>& events) {
  require_writable();
  for (const Event& e : events) validate(e);
  std::vector<Pending> mine(events.size());
  for (size_t i = 0; i < events.size(); ++i) mine[i].event = &events[i];
  auto all_done = [&] {
    return std::all_of(mine.begin(), mine.end(), [](const Pending& p) { return p.done; });
  };

  std::unique_lock lock(queue_mu_);
  for (Pending& p : mine) queue_.push_back(&p);
  if (leading_ && queue_.size() >= options_.max_batch) queue_cv_.notify_all();
  while (!all_done()) {
    // Nothing to lead when the queue is empty (an empty batch would sign the current size
    // again): this caller's events are in a batch that another leader is finishing.
    if (leading_ || queue_.empty()) {
      queue_cv_.wait(lock);
      continue;
    }
    // Lead: write what is queued (up to a full batch) in one transaction, then wake everyone;
    // a caller whose event did not fit leads the next batch.
    leading_ = true;
    if (options_.max_wait_us > 0 && queue_.size() < options_.max_batch)
      queue_cv_.wait_for(lock, std::chrono::microseconds(options_.max_wait_us),
                         [&] { return queue_.size() >= options_.max_batch; });
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    std::optional<SignedTreeHead> head = commit_batch(batch);
    // The leader also publishes before it hands on: events that arrive meanwhile queue up for
    // the next batch, so one head-file rewrite serves a whole batch. (Handing on right after
    // the commit overlapped the next commit with this publish, but then batches stayed at one
    // event and every event paid for its own file rewrite: GET /api/v1/users measured 1,200
    // requests/s that way and 4,500 this way, bench/run.sh.)
    if (head) {
      try {
        publish_head(*head, true);
      } catch (...) {
        // ignored: the entries are committed; failing the callers now would report lost entries
        // that are not lost. The next batch confirms a newer head instead. Whatever went wrong,
        // leadership must pass on below, or every waiting caller would hang.
      }
    }
    lock.lock();
    for (Pending* p : batch) p->done = true;
    leading_ = false;
    queue_cv_.notify_all();
  }
  lock.unlock();
  std::vector<int64_t> seqs;
  for (const Pending& p : mine) {
    if (p.error) std::rethrow_exception(p.error);
    seqs.push_back(p.seq);
  }
  return seqs;
}

int64_t AuditLog::record(const Event& event) { return record_all({event}).front(); }

void AuditLog::record_failure(std::string_view source, const Event& event) {
  validate(event);
  std::string key(source);
  for (const std::string* part :
       {&event.action, &event.actor, &event.object_type, &event.object_id, &event.outcome}) {
    key.push_back('\x1f');
    key += *part;
  }
  std::vector<FailureWindows::Closed> closed;
  bool first = false;
  {
    std::lock_guard lock(failures_mu_);
    first = failures_.count(key, event, clock_.now_ms(), closed);
  }
  std::vector<Event> events;
  events.reserve(closed.size() + 1);
  for (auto& c : closed) events.push_back(std::move(c.event));
  if (first) events.push_back(event);
  if (!events.empty()) record_all(events);
}

void AuditLog::flush_failures() {
  std::vector<FailureWindows::Closed> closed;
  {
    std::lock_guard lock(failures_mu_);
    failures_.close_all(closed);
  }
  std::vector<Event> events;
  events.reserve(closed.size());
  for (auto& c : closed) events.push_back(std::move(c.event));
  if (!events.empty()) record_all(events);
}

std::vector<Entry> AuditLog::entries(int64_t after, int64_t limit) {
  if (limit < 0) invalid("limit", "limit must not be negative");
  std::vector<Entry> out;
  store_.read([&](store::Connection& c) {
    for (const auto& r : c.query("SELECT " + std::string(kEntryColumns) +
                                     " FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?",
                                 {after, limit}))
      out.push_back(row_to_entry(r));
  });
  return out;
}

std::vector<Entry> AuditLog::latest(int64_t limit) {
  if (limit < 0) invalid("limit", "limit must not be negative");
  std::vector<Entry> out;
  store_.read([&](store::Connection& c) {
    for (const auto& r : c.query("SELECT " + std::string(kEntryColumns) +
                                     " FROM audit_entries ORDER BY seq DESC LIMIT ?",
                                 {limit}))
      out.push_back(row_to_entry(r));
  });
  return out;
}

SignedTreeHead AuditLog::head() {
  std::optional<SignedTreeHead> h;
  const std::string& pk = public_key_hex_;
  store_.read([&](store::Connection& c) {
    auto r = c.query_one(
        "SELECT tree_size, root_hash, timestamp, signature FROM audit_tree_heads "
        "ORDER BY tree_size DESC LIMIT 1");
    if (r) h = row_to_head(*r, pk);
  });
  if (h) return *h;
  return sign_head(0, hex(merkle::empty_root()), clock_.now_iso());
}

std::optional<SignedTreeHead> AuditLog::head_at(int64_t tree_size) {
  if (tree_size == 0) return sign_head(0, hex(merkle::empty_root()), clock_.now_iso());
  std::optional<SignedTreeHead> h;
  const std::string& pk = public_key_hex_;
  store_.read([&](store::Connection& c) {
    auto r = c.query_one(
        "SELECT tree_size, root_hash, timestamp, signature FROM audit_tree_heads "
        "WHERE tree_size = ?",
        {tree_size});
    if (r) h = row_to_head(*r, pk);
  });
  return h;
}

std::vector<std::string> AuditLog::inclusion_proof(int64_t seq, int64_t tree_size) {
  std::vector<std::string> out;
  store_.read([&](store::Connection& c) {
    check_proof_size(c, tree_size, "tree_size");
    if (seq < 1 || seq > tree_size)
      invalid("seq", "seq must be between 1 and tree_size, " + std::to_string(tree_size) +
                         "; got " + std::to_string(seq));
    merkle::NodeSource node = [&c](merkle::NodeId id) { return stored_node(c, id); };
    for (const auto& h : merkle::inclusion_proof(node, static_cast<uint64_t>(tree_size),
                                                 static_cast<uint64_t>(seq - 1)))
      out.push_back(hex(h));
  });
  return out;
}

std::vector<std::string> AuditLog::consistency_proof(int64_t first, int64_t second) {
  std::vector<std::string> out;
  store_.read([&](store::Connection& c) {
    check_proof_size(c, second, "second");
    if (first < 1 || first > second)
      invalid("first", "first must be between 1 and second, " + std::to_string(second) + "; got " +
                           std::to_string(first));
    merkle::NodeSource node = [&c](merkle::NodeId id) { return stored_node(c, id); };
    for (const auto& h : merkle::consistency_proof(node, static_cast<uint64_t>(second),
                                                   static_cast<uint64_t>(first)))
      out.push_back(hex(h));
  });
  return out;
}

// ---- verify ------------------------------------------------------------------------------

VerifyResult AuditLog::verify() {
  VerifyResult result;
  const std::string& pk_hex = public_key_hex_;
  bool failed = false;
  auto fail = [&](std::optional<int64_t> seq, std::string message) {
    failed = true;
    result.ok = false;
    result.first_bad_entry = seq;
    result.message = std::move(message);
  };

  // The file first: everything it confirms was committed before the snapshot below begins.
  HeadFile file = trust_.read_heads();
  std::optional<Hash> root_at_confirmed;
  std::optional<Hash> root_at_latest;

  ParallelSignatureCheck signatures(public_key_);
  store_.read([&](store::Connection& c) {
    KeyOrderScan entries(c, "SELECT " + std::string(kEntryColumns) +
                                " FROM audit_entries WHERE seq > ? ORDER BY seq LIMIT ?");
    KeyOrderScan heads(c,
                       "SELECT tree_size, root_hash, timestamp, signature, previous_size FROM "
                       "audit_tree_heads WHERE tree_size > ? ORDER BY tree_size LIMIT ?");
    merkle::Frontier frontier;
    int64_t expected = 1;
    int64_t last_head = 0;  // the size of the newest head checked so far
    const store::Row* h = heads.next();
    if (h && h->integer(0) < 1)
      return fail(std::nullopt, "audit_tree_heads holds a head for tree size " + h->text(0) +
                                    ", but sizes start at 1: it was inserted by hand");

    while (const store::Row* row = entries.next()) {
      int64_t seq = row->integer(0);
      std::string n = std::to_string(seq);
      if (seq < expected)
        return fail(seq, "entry " + n + " was inserted: sequence numbers start at 1");
      if (seq > expected) {
        std::string e = std::to_string(expected);
        return fail(expected, "entry " + e + " is missing: the log goes from " +
                                  (expected == 1 ? std::string("its start")
                                                 : "entry " + std::to_string(expected - 1)) +
                                  " to entry " + n + ", so entries were deleted");
      }
      if (const char* col = column_with_wrong_type(*row))
        return fail(seq, "entry " + n + " was changed: its column " + col +
                             " holds a value of a type the log never writes");
      Entry entry = row_to_entry(*row);
      Hash leaf = merkle::hash_leaf(leaf_data(seq, entry.time, entry.event));
      if (hex(leaf) != entry.leaf_hash)
        return fail(seq, "entry " + n +
                             " was changed: its columns no longer match its recorded leaf hash "
                             "(a column or the leaf hash itself was edited)");
      frontier.append(leaf);
      ++expected;

      // A root costs O(log n) hashes: compute it only where something was signed at this size.
      const bool at_head = h && h->integer(0) == seq;
      const bool at_confirmed = file.confirmed && file.confirmed->tree_size == seq;
      const bool at_latest = file.latest && file.latest->tree_size == seq;
      if (!at_head && !at_confirmed && !at_latest) continue;
      Hash root = frontier.root();
      if (at_confirmed) root_at_confirmed = root;
      if (at_latest) root_at_latest = root;
      if (!at_head) continue;

      // Heads are signed per batch; each names the size of the one before it, so a deleted head
      // shows as a gap in that chain.
      std::optional<int64_t> previous = h->optional_integer(4);
      if (previous != last_head) {
        if (previous && *previous > last_head && *previous < seq)
          return fail(previous, "entry " + std::to_string(*previous) +
                                    " has no signed tree head: its head was deleted from "
                                    "audit_tree_heads");
        return fail(seq, "the signed tree head for entry " + n +
                             " was edited: its previous_size does not name the head before it");
      }
      SignedTreeHead head = row_to_head(*h, pk_hex);
      signatures.add(head);  // checked on another thread; see below
      if (head.root_hash != hex(root)) {
        if (last_head + 1 == seq)
          return fail(seq, "entry " + n +
                               " was changed: the log up to it no longer matches its signed tree "
                               "head (its columns and its leaf hash were both edited, or entries "
                               "were swapped)");
        return fail(last_head + 1,
                    "one of entries " + std::to_string(last_head + 1) + " to " + n +
                        " was changed: the log up to entry " + n +
                        " no longer matches its signed tree head (an entry's columns and its "
                        "leaf hash were both edited, or entries were swapped)");
      }
      result.head = head;
      last_head = seq;
      h = heads.next();
    }
    const int64_t count = expected - 1;
    result.entries = count;

    if (count > last_head) {
      std::string first = std::to_string(last_head + 1);
      return fail(
          last_head + 1,
          (count == last_head + 1 ? "entry " + first + " has"
                                  : "entries " + first + " to " + std::to_string(count) + " have") +
              " no signed tree head: added outside ctip, or the head was deleted from "
              "audit_tree_heads");
    }

    if (h) {
      SignedTreeHead head = row_to_head(*h, pk_hex);
      std::string size = std::to_string(head.tree_size);
      if (!head_signed_by(head, public_key_))
        return fail(count + 1, "audit_tree_heads holds a forged head for tree size " + size +
                                   " (its signature is invalid); the log has " +
                                   std::to_string(count) + " entries");
      return fail(count + 1, deleted(count + 1, head.tree_size) + ": a signed tree head for " +
                                 size + " entries remains, but the log holds only " +
                                 std::to_string(count));
    }

    auto state = c.query_one("SELECT tree_size, frontier FROM audit_state WHERE id = 1");
    if (!state)
      return fail(std::nullopt,
                  "the audit_state row was deleted; the entries verify, but no entry can be "
                  "appended until it is restored");
    int64_t state_size = state->integer(0);
    if (state_size > count)
      return fail(count + 1, deleted(count + 1, state_size) + ": audit_state records " +
                                 std::to_string(state_size) + " entries, but the log holds only " +
                                 std::to_string(count));
    if (state_size < count)
      return fail(state_size + 1, "audit_state records only " + std::to_string(state_size) +
                                      " entries but the log holds " + std::to_string(count) +
                                      ": audit_state was edited");
    if (state->text(1) != frontier_text(frontier))
      return fail(std::nullopt,
                  "the frontier in audit_state was edited: the entries verify, but the next "
                  "append would sign a wrong root. Restore audit_state from a backup");
  });
  // A head with an invalid signature at or before whatever else failed is the first problem.
  if (auto bad = signatures.first_invalid();
      bad && (!failed || !result.first_bad_entry || *bad <= *result.first_bad_entry))
    fail(bad, "the signed tree head for entry " + std::to_string(*bad) +
                  " has an invalid signature: the head was forged or edited, or "
                  "audit-signing.key is not the key that signed this log");
  if (failed) return result;

  const int64_t count = result.entries;
  if (!file.exists) {
    if (count > 0)
      fail(std::nullopt,
           std::string(kHeadFile) + " is missing from the data directory although the log holds " +
               std::to_string(count) +
               " entries: it was deleted, or the store was copied without it, so deleted tail "
               "entries would go unnoticed. Restore it from a backup of the data directory (the "
               "next audit entry writes a new one)");
  } else if (!file.problem.empty()) {
    fail(std::nullopt, std::string(kHeadFile) + " is damaged: " + file.problem);
  } else {
    for (const auto* h : {&file.confirmed, &file.latest})
      if (*h && !head_signed_by(**h, public_key_))
        fail(std::nullopt, std::string(kHeadFile) +
                               " holds a head this log's key did not sign: the file was edited "
                               "or copied from another data directory");
    if (failed) return result;
    if (file.confirmed) {
      const SignedTreeHead& c = *file.confirmed;
      std::string size = std::to_string(c.tree_size);
      if (c.tree_size > count)
        fail(count + 1,
             deleted(count + 1, c.tree_size) + ": " + std::string(kHeadFile) +
                 " confirms that the log held " + size + " entries at " + c.timestamp +
                 ", but it holds only " + std::to_string(count) +
                 ". If the store was restored from a backup, the entries written after that "
                 "backup are lost");
      else if (!root_at_confirmed || hex(*root_at_confirmed) != c.root_hash)
        fail(std::nullopt, "the first " + size + " entries differ from those " +
                               std::string(kHeadFile) + " confirms (signed at " + c.timestamp +
                               "): the store was replaced by another copy (e.g. an older backup) "
                               "that was written to since, or the signing key was misused");
    }
    if (!failed && file.latest) {
      // Only a note: a latest head may belong to a transaction that rolled back.
      const SignedTreeHead& l = *file.latest;
      std::string size = std::to_string(l.tree_size);
      if (l.tree_size > count)
        result.note = "the most recent signed append (entry " + size + ", " + l.timestamp +
                      ") is not in the store: its transaction was rolled back, or it was deleted "
                      "before anything confirmed it";
      else if (!root_at_latest || hex(*root_at_latest) != l.root_hash)
        result.note = "the most recent signed append (entry " + size + ", " + l.timestamp +
                      ") differs from the stored entry " + size +
                      ": its transaction was rolled back and another entry took its place, or "
                      "the store was replaced";
    }
  }
  if (failed) return result;

  result.ok = true;
  if (!result.head) result.head = sign_head(0, hex(merkle::empty_root()), clock_.now_iso());
  result.message =
      "audit log ok: " + std::to_string(count) + " entries, root " + result.head->root_hash;
  return result;
}

// ---- against heads kept elsewhere -----------------------------------------------------------

VerifyResult AuditLog::verify(const std::vector<KeptHead>& kept) {
  VerifyResult result = verify();
  if (kept.empty()) return result;
  auto fail = [&](std::optional<int64_t> seq, std::string message) {
    result.ok = false;
    result.first_bad_entry = seq;
    result.message = std::move(message);
    return result;
  };
  // The kept heads first: a head that this log's public key did not sign proves nothing, and a
  // kept head signed by another key means the key was replaced (or the head is another log's).
  for (const KeptHead& k : kept) {
    const SignedTreeHead& h = k.head;
    if (h.public_key != public_key_hex_)
      return fail(std::nullopt,
                  "the kept head " + k.source + " (tree size " + std::to_string(h.tree_size) +
                      ", signed at " + h.timestamp + ") was signed by public key " +
                      h.public_key.substr(0, 16) + "..., not by this log's key " +
                      public_key_hex_.substr(0, 16) +
                      "...: the signing key was replaced since (or the head is another log's)");
    if (!head_signed_by(h, public_key_))
      return fail(std::nullopt, "the kept head " + k.source + " (tree size " +
                                    std::to_string(h.tree_size) +
                                    ") has an invalid signature: it was edited or forged, so it "
                                    "cannot vouch for the log");
  }
  if (!result.ok) return result;

  const int64_t n = result.entries;
  const KeptHead* largest = nullptr;
  for (const KeptHead& k : kept)
    if (!largest || k.head.tree_size > largest->head.tree_size) largest = &k;
  if (largest->head.tree_size > n) {
    const SignedTreeHead& h = largest->head;
    std::string size = std::to_string(h.tree_size);
    if (n == 0)
      return fail(1, "the audit log is empty, but the kept head " + largest->source +
                         " shows that it held " + size + " entries at " + h.timestamp +
                         ": the log was wiped");
    return fail(n + 1, deleted(n + 1, h.tree_size) + ": the kept head " + largest->source +
                           " shows that the log held " + size + " entries at " + h.timestamp +
                           ", but it holds only " + std::to_string(n) +
                           " (the tail was deleted, the log truncated, or an older copy restored)");
  }
  if (n == 0) {
    result.message += "; consistent with " + std::to_string(kept.size()) + " kept head(s)";
    return result;
  }
  if (!result.head || result.head->tree_size != n)
    return fail(std::nullopt, "the log's newest signed head does not cover its last entry");
  auto current_root = parse_hash(result.head->root_hash);
  for (const KeptHead& k : kept) {
    const SignedTreeHead& h = k.head;
    if (h.tree_size == 0) continue;
    auto kept_root = parse_hash(h.root_hash);
    std::vector<Hash> path;
    bool consistent = false;
    if (kept_root && current_root) {
      try {
        for (const auto& node : consistency_proof(h.tree_size, n)) {
          auto parsed = parse_hash(node);
          if (!parsed) throw Error(ErrorCode::integrity, "a stored audit node is damaged");
          path.push_back(*parsed);
        }
        consistent =
            merkle::verify_consistency(static_cast<uint64_t>(h.tree_size), static_cast<uint64_t>(n),
                                       *kept_root, *current_root, path);
      } catch (const Error&) {
        consistent = false;  // a damaged node: the proof cannot be made
      }
    }
    if (!consistent)
      return fail(std::nullopt,
                  "the log is not an extension of the kept head " + k.source + " (tree size " +
                      std::to_string(h.tree_size) + ", signed at " + h.timestamp +
                      "): the RFC 9162 consistency proof from " + std::to_string(h.tree_size) +
                      " to " + std::to_string(n) + " entries fails, so entries up to " +
                      std::to_string(h.tree_size) +
                      " were changed, reordered or replaced since - the log was rewritten or "
                      "rebuilt (possibly re-signed with the stored key)");
  }
  result.message += "; consistent with " + std::to_string(kept.size()) + " kept head(s), up to " +
                    std::to_string(largest->head.tree_size) + " entries";
  return result;
}

// ---- auditor queries ---------------------------------------------------------------------

std::vector<Entry> AuditLog::query(const EntryFilter& f, int64_t limit, int64_t before) {
  if (limit < 0) invalid("limit", "limit must not be negative");
  std::string sql = "SELECT " + std::string(kEntryColumns) + " FROM audit_entries WHERE 1 = 1";
  std::vector<store::Value> args;
  auto equal = [&](const char* column, const std::optional<std::string>& v) {
    if (!v) return;
    sql += std::string(" AND ") + column + " = ?";
    args.emplace_back(*v);
  };
  equal("actor", f.actor);
  equal("action", f.action);
  equal("client_address", f.client_address);
  if (f.since) {
    sql += " AND time >= ?";
    args.emplace_back(*f.since);
  }
  if (f.until) {
    sql += " AND time < ?";
    args.emplace_back(*f.until);
  }
  std::vector<std::string> ids = f.object_ids;
  if (f.object_id) ids.push_back(*f.object_id);
  if (!ids.empty()) {
    // The object itself, or a list read whose details name it among the ids returned
    // ({"ids":[3,7,12]}: the id between '[' or ',' and ',' or ']').
    sql += " AND (";
    bool first = true;
    for (const auto& id : ids) {
      if (!first) sql += " OR ";
      first = false;
      if (f.object_type) {
        sql += "(object_type = ? AND object_id = ?) OR (details LIKE ? AND (1 = 0";
        args.emplace_back(*f.object_type);
        args.emplace_back(id);
        args.emplace_back("%\"object_type\":\"" + *f.object_type + "\"%");
      } else {
        sql += "(object_id = ?) OR ((1 = 0";
        args.emplace_back(id);
      }
      for (const char* pattern : {"%[", "%,"})
        for (const char* end : {",%", "]%"}) {
          sql += " OR details LIKE ?";
          args.emplace_back(std::string(pattern) + id + end);
        }
      sql += "))";
    }
    sql += ")";
  } else if (f.object_type) {
    sql += " AND object_type = ?";
    args.emplace_back(*f.object_type);
  }
  if (before > 0) {
    sql += " AND seq < ?";
    args.emplace_back(before);
  }
  sql += " ORDER BY seq DESC LIMIT ?";
  args.emplace_back(limit);
  std::vector<Entry> out;
  store_.read([&](store::Connection& c) {
    for (const auto& r : c.query(sql, args)) out.push_back(row_to_entry(r));
  });
  return out;
}

}  // namespace ctip::audit
