// The tamper-evident audit log (issue #2). Every login (failed too), every read or write of
// personal data, every export and every permission change appends an Event. Entries are the
// leaves of a Merkle tree hashed as in RFC 9162 (Certificate Transparency 2.0) §2.1; the log
// signs tree heads (Ed25519, libsodium) so that editing, deleting, inserting or reordering any
// entry - even directly in the database - is detected by verify().
//
// Appends keep up with the server (issue #6 item 6) as Certificate Transparency logs do
// (Trillian's log/sequencer.go integrates queued leaves in batches and signs one head per
// batch): record() queues its event, one caller at a time leads, writes every queued event in
// one transaction, signs one tree head for the batch, publishes it to the TrustStore and only
// then wakes the callers. A request that reads personal data therefore still answers only after
// its entry is committed, while 16 concurrent requests share one transaction and one signature.
//
// An Event never holds the personal data itself: who (staff account), when, what action, on
// which object (type and id), and the outcome.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/event.h"
#include "audit/failure_windows.h"
#include "audit/trust_store.h"
#include "core/time.h"
#include "store/store.h"

namespace ctip::audit {

struct Entry {
  int64_t seq = 0;   // 1-based position in the log
  std::string time;  // RFC 3339 UTC
  Event event;
  std::string leaf_hash;  // hex
};

struct VerifyResult {
  bool ok = false;
  int64_t entries = 0;
  std::optional<int64_t> first_bad_entry;  // seq of the first entry that fails
  std::string message;                     // what failed, for a person
  std::optional<SignedTreeHead> head;      // the latest signed head, when readable
  // Something a person may want to know that is not evidence of tampering, e.g. that the most
  // recent signed append is absent because its transaction rolled back. Empty when nothing.
  std::string note;
};

// The canonical, unambiguous bytes whose leaf hash (RFC 9162 §2.1.1) an entry contributes to
// the tree: a version tag and the nine fields in order, each as one type byte ('S' text,
// 'I' integer in shortest decimal, 'N' absent) and, unless absent, an 8-byte big-endian length
// and the bytes. An entry with `occurrences` uses the tag ctip-audit-entry/2 and adds it as a
// tenth field; without, the bytes are those of ctip-audit-entry/1. See README.md.
std::string leaf_data(int64_t seq, std::string_view time, const Event& event);
// The details of a read that returned several objects: {"ids":[...],"object_type":TYPE}, the
// form query() searches.
std::string list_details(std::string_view object_type, const std::vector<int64_t>& ids);
// The canonical bytes an Ed25519 tree-head signature covers:
// "ctip-audit-tree-head/1\ntree_size N\nroot_hash HEX\ntimestamp TIME\n".
std::string tree_head_message(int64_t tree_size, std::string_view root_hash,
                              std::string_view timestamp);
// True when head.signature is a valid Ed25519 signature by head.public_key over
// tree_head_message(head); what a party holding only the public key checks.
bool verify_tree_head(const SignedTreeHead& head);

// How appends are batched.
struct AuditLogOptions {
  // At most this many record()ed events per transaction and signed head.
  size_t max_batch = 512;
  // How long a leader waits for more events before it writes a batch that is not full. Zero
  // (the default) writes at once: under load the batch is whatever queued while the previous
  // one was being written, so a caller waits at most about two commits.
  int64_t max_wait_us = 0;
  // Folding of repeated failures (record_failure): the window per source and how many sources
  // are remembered at once (the oldest window is written out early when more are needed).
  int64_t failure_window_ms = 60'000;
  size_t failure_sources = 10'000;
  // Open the log to check it only: the secret key is neither needed nor created, and append()
  // and record() refuse. The public key is `public_key_hex` when given (a key kept apart from
  // the data directory, `ctip audit verify --public-key FILE`), else the TrustStore's.
  bool verify_only = false;
  std::string public_key_hex = {};
};

// A signed tree head kept outside the store - exported with `ctip audit head`, by a witness
// (HeadWitness) or by anyone who fetched GET /api/v1/audit/head - and where it came from.
struct KeptHead {
  SignedTreeHead head;
  std::string source;  // e.g. the file name, for messages
};

// What an auditor asks of the log: entries by actor, action, object and time. Every criterion
// is optional; `object_id` (with or without object_type) also matches the list reads whose
// details name that id among those returned (list_details()).
struct EntryFilter {
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<std::string> object_type;
  std::optional<std::string> object_id;
  std::optional<std::string> since;  // RFC 3339, inclusive
  std::optional<std::string> until;  // RFC 3339, exclusive
  std::optional<std::string> client_address;
  // object_type + one of these ids (e.g. every screening of one person); empty = no criterion.
  std::vector<std::string> object_ids;
};

// The filter's criteria, named once for the query string (GET /audit/entries), the CLI
// (`ctip audit export --object-type ...`) and the export's "filter" object.
struct EntryFilterField {
  const char* name;  // as in the query string and the JSON; the CLI writes '-' for '_'
  std::optional<std::string> EntryFilter::*slot;
  const char* help;
};
inline constexpr EntryFilterField kEntryFilterFields[] = {
    {"actor", &EntryFilter::actor, "Username of the actor"},
    {"action", &EntryFilter::action, "Action, e.g. screenings.read"},
    {"object_type", &EntryFilter::object_type, "Object type, e.g. screening"},
    {"object_id", &EntryFilter::object_id,
     "Object id (with object type screening, list reads that returned it too)"},
    {"since", &EntryFilter::since, "From this time (RFC 3339, inclusive)"},
    {"until", &EntryFilter::until, "Before this time (RFC 3339)"},
    {"client_address", &EntryFilter::client_address,
     "Address the request came from (\"cli\" for the command line)"},
};

class AuditLog {
 public:
  // Opens the log of a store. The Ed25519 signing key and the newest signed heads live in
  // `trust`, outside the store, so that whoever can edit the database cannot re-sign it; a key
  // is created there on first use. `clock` stamps the entries and heads.
  // Throws Error(integrity) when the key is missing although the log has entries (a new key
  // could never verify them: restore it from a backup), and when the store has no audit
  // tables (run 'ctip db migrate').
  AuditLog(store::Store& store, TrustStore& trust, const Clock& clock = system_clock(),
           const AuditLogOptions& options = {});
  // Writes out the failures still being folded (record_failure).
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends within the caller's write transaction, so that a write and its audit entry commit
  // (or roll back) together, and signs a head for it. Returns the new entry's seq. Appends are
  // serialised by the log itself: its first statement locks the audit_state row (a row lock on
  // PostgreSQL; SQLite's write transaction is already exclusive), also across processes. A
  // rollback after append() is harmless (verify() notes it until the log grows past the
  // rolled-back entries).
  int64_t append(store::Connection& c, const Event& event);
  // Appends in a transaction of its own (for reads, denials and failed logins), group-committed
  // with the events other threads record at the same time; returns once the entry is committed
  // and its signed head published. Returns the entry's seq.
  int64_t record(const Event& event);
  // Several events of one caller (e.g. an import), in order, in the same group commit as far
  // as max_batch allows; their seqs.
  std::vector<int64_t> record_all(const std::vector<Event>& events);
  // Records a failure (a failed or throttled login, ...) from `source` (e.g. the client address
  // and the username tried; kept in memory only, never written) so that a flood does not append
  // one signed entry per attempt: the first failure of a source and event in a window is
  // recorded at once; those that follow within the window are counted and written as one entry
  // with `occurrences` when the window closes: at the source's next failure after it, when the
  // source's window is the oldest of too many, at flush_failures(), or when the log is closed.
  void record_failure(std::string_view source, const Event& event);
  // Writes the count of every open failure window now.
  void flush_failures();

  // Entries with seq > after, oldest first, at most limit.
  std::vector<Entry> entries(int64_t after, int64_t limit);
  // Newest first, at most limit, for the audit page.
  std::vector<Entry> latest(int64_t limit);
  // The latest signed head; for an empty log a freshly signed head of the empty tree.
  SignedTreeHead head();
  // The signed head of the first tree_size entries, when the log signed one at that size
  // (heads are signed per batch, so not every size has one).
  std::optional<SignedTreeHead> head_at(int64_t tree_size);
  // Streams the whole log in pages (constant memory) and checks every entry, every signed head
  // and the heads the TrustStore remembers.
  VerifyResult verify();
  // verify(), and then that the log extends every head in `kept` (RFC 9162 §2.1.4 consistency
  // proof from the kept head's size to the log's): each must be signed by this log's public key,
  // no larger than the log, and its root the root of the log's first tree_size entries. Fails
  // on a rewrite or rebuild (even one re-signed with the stored key), a truncation or a wipe
  // made after the head was kept, and on a replaced key.
  VerifyResult verify(const std::vector<KeptHead>& kept);
  // The raw public key this log verifies with, hex.
  const std::string& public_key_hex() const { return public_key_hex_; }

  // Entries that match `filter`, newest first, at most `limit`, with seq < before (0 = any).
  std::vector<Entry> query(const EntryFilter& filter, int64_t limit, int64_t before = 0);

  // RFC 9162 §2.1.3: audit path for leaf `seq` (1-based) in the tree of `tree_size` entries.
  // Needs 1 <= seq <= tree_size <= the log's size (else Error invalid_argument). O(log n) rows,
  // from the perfect subtrees stored at append (audit_nodes).
  std::vector<std::string> inclusion_proof(int64_t seq, int64_t tree_size);
  // RFC 9162 §2.1.4: consistency proof between tree sizes first and second.
  // Needs 1 <= first <= second <= the log's size (else Error invalid_argument). O(log n) rows.
  std::vector<std::string> consistency_proof(int64_t first, int64_t second);

 private:
  struct Pending;
  // Writes `events` as entries on `c` (inside a write transaction), one signed head for them.
  SignedTreeHead append_batch(store::Connection& c, const std::vector<const Event*>& events);
  // Writes a batch in a transaction of its own; its head, or nullopt with the callers' error set.
  std::optional<SignedTreeHead> commit_batch(const std::vector<Pending*>& batch);
  SignedTreeHead sign_head(int64_t tree_size, const std::string& root_hash,
                           const std::string& timestamp) const;
  bool signed_by_this_log(const SignedTreeHead& head);
  void require_writable() const;
  // Records `head` in the TrustStore; see audit_log.cpp.
  void publish_head(const SignedTreeHead& head, bool committed);

  store::Store& store_;
  TrustStore& trust_;
  const Clock& clock_;
  AuditLogOptions options_;
  std::string secret_key_;  // raw Ed25519 secret key
  std::string public_key_;  // raw
  std::string public_key_hex_;

  // The group commit: events waiting for a leader, and whether one is writing.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<Pending*> queue_;
  bool leading_ = false;

  // Heads whose signature this process has checked or made (signature -> canonical message),
  // so that publishing a head does not verify the same two signatures again each time.
  std::mutex checked_mu_;
  std::map<std::string, std::string> checked_;

  std::mutex failures_mu_;
  FailureWindows failures_;
};

}  // namespace ctip::audit
