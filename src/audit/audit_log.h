// The tamper-evident audit log (issue #2). Every login (failed too), every read or write of
// personal data, every export and every permission change appends an Event. Entries are the
// leaves of a Merkle tree hashed as in RFC 9162 (Certificate Transparency 2.0) §2.1; after each
// append the log signs a tree head (Ed25519, libsodium) so that editing, deleting, inserting or
// reordering any entry - even directly in the SQLite file - is detected by verify().
//
// An Event never holds the personal data itself: who (staff account), when, what action, on
// which object (type and id), and the outcome.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/store.h"

namespace ctip::audit {

struct Event {
  std::optional<int64_t> actor_user_id;  // absent for anonymous (failed login) or system
  std::string actor;                     // username, "anonymous" or "system"
  std::optional<int64_t> org_id;         // the actor's organisation
  std::string action;                    // e.g. "session.login", "screenings.read"
  std::string object_type;               // e.g. "user", "screening", "export"
  std::string object_id;                 // an id, never a name or other personal data
  std::string outcome;                   // "success", "denied", "failure"
};
// append() and record() refuse (Error invalid_argument, naming the field) an Event without an
// actor or action, or with an outcome other than these three (served by GET /api/v1/meta).
inline constexpr std::array<std::string_view, 3> kOutcomes = {"success", "denied", "failure"};

struct Entry {
  int64_t seq = 0;   // 1-based position in the log
  std::string time;  // RFC 3339 UTC
  Event event;
  std::string leaf_hash;  // hex
};

struct SignedTreeHead {
  int64_t tree_size = 0;
  std::string root_hash;   // hex, SHA-256
  std::string timestamp;   // RFC 3339 UTC
  std::string signature;   // hex, Ed25519 over the canonical head (see audit_log.cpp)
  std::string public_key;  // hex, Ed25519
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

// The files the log keeps in DATA_DIR beside the store (see README.md).
inline constexpr std::string_view kSigningKeyFile = "audit-signing.key";
inline constexpr std::string_view kHeadFile = "audit-head.json";

// The canonical, unambiguous bytes whose leaf hash (RFC 9162 §2.1.1) an entry contributes to
// the tree: a version tag and the nine fields in order, each as one type byte ('S' text,
// 'I' integer in shortest decimal, 'N' absent) and, unless absent, an 8-byte big-endian length
// and the bytes. See README.md.
std::string leaf_data(int64_t seq, std::string_view time, const Event& event);
// The canonical bytes an Ed25519 tree-head signature covers:
// "ctip-audit-tree-head/1\ntree_size N\nroot_hash HEX\ntimestamp TIME\n".
std::string tree_head_message(int64_t tree_size, std::string_view root_hash,
                              std::string_view timestamp);
// True when head.signature is a valid Ed25519 signature by head.public_key over
// tree_head_message(head); what a party holding only the public key checks.
bool verify_tree_head(const SignedTreeHead& head);

class AuditLog {
 public:
  // Opens the log of a store; the Ed25519 signing key lives in DATA_DIR/audit-signing.key
  // (created 0600 on first use), outside the SQLite file, so that whoever can edit the
  // database cannot re-sign it.
  // Throws Error(integrity) when the key file is missing although the log has entries (a new
  // key could never verify them: restore the file from a backup of DATA_DIR), and when the
  // store has no audit tables (run 'ctip db migrate').
  // `files_dir` holds those files (DATA_DIR; the audit helper puts them behind their own
  // interface). Every process writing one store's log must share the same files_dir.
  AuditLog(store::Store& store, std::filesystem::path files_dir);
  ~AuditLog();

  // Appends within the caller's write transaction, so that a write and its audit entry commit
  // (or roll back) together. Returns the new entry's seq. `c` must be inside Store::write (its
  // write lock serialises appends, also across processes); a rollback after append() is
  // harmless (verify() notes it until the log grows past the rolled-back entries).
  int64_t append(store::Connection& c, const Event& event);
  // Appends in a transaction of its own (for reads, denials and failed logins).
  int64_t record(const Event& event);

  // Entries with seq > after, oldest first, at most limit.
  std::vector<Entry> entries(int64_t after, int64_t limit);
  // Newest first, at most limit, for the audit page.
  std::vector<Entry> latest(int64_t limit);
  // The latest signed head; for an empty log a freshly signed head of the empty tree.
  SignedTreeHead head();
  // The signed head of the first tree_size entries, when the log has one.
  std::optional<SignedTreeHead> head_at(int64_t tree_size);
  VerifyResult verify();

  // RFC 9162 §2.1.3: audit path for leaf `seq` (1-based) in the tree of `tree_size` entries.
  // Needs 1 <= seq <= tree_size <= the log's size (else Error invalid_argument); O(tree_size).
  std::vector<std::string> inclusion_proof(int64_t seq, int64_t tree_size);
  // RFC 9162 §2.1.4: consistency proof between tree sizes first and second.
  // Needs 1 <= first <= second <= the log's size (else Error invalid_argument); O(second).
  std::vector<std::string> consistency_proof(int64_t first, int64_t second);

 private:
  // publish: record the head in audit-head.json before the transaction commits (append());
  // record() owns its transaction and records the head after the commit instead.
  SignedTreeHead append_signed(store::Connection& c, const Event& event, bool publish);
  SignedTreeHead sign_head(int64_t tree_size, const std::string& root_hash,
                           const std::string& timestamp) const;
  // Records `head` in DATA_DIR/audit-head.json; see audit_log.cpp.
  void publish_head(const SignedTreeHead& head, bool committed);

  store::Store& store_;
  std::filesystem::path files_dir_;
  std::string secret_key_;  // raw Ed25519 secret key
  std::string public_key_;  // raw
};

}  // namespace ctip::audit
