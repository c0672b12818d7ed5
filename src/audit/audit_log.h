// The tamper-evident audit log (issue #2). Every login (failed too), every read or write of
// personal data, every export and every permission change appends an Event. Entries are the
// leaves of a Merkle tree hashed as in RFC 9162 (Certificate Transparency 2.0) §2.1; after each
// append the log signs a tree head (Ed25519, libsodium) so that editing, deleting, inserting or
// reordering any entry - even directly in the SQLite file - is detected by verify().
//
// An Event never holds the personal data itself: who (staff account), when, what action, on
// which object (type and id), and the outcome.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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

struct Entry {
  int64_t seq = 0;  // 1-based position in the log
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
};

class AuditLog {
 public:
  // Opens the log of a store; the Ed25519 signing key lives in DATA_DIR/audit-signing.key
  // (created 0600 on first use), outside the SQLite file, so that whoever can edit the
  // database cannot re-sign it.
  explicit AuditLog(store::Store& store);

  // Appends within the caller's write transaction, so that a write and its audit entry commit
  // (or roll back) together. Returns the new entry's seq.
  int64_t append(store::Connection& c, const Event& event);
  // Appends in a transaction of its own (for reads, denials and failed logins).
  int64_t record(const Event& event);

  // Entries with seq > after, oldest first, at most limit.
  std::vector<Entry> entries(int64_t after, int64_t limit);
  // Newest first, at most limit, for the audit page.
  std::vector<Entry> latest(int64_t limit);
  SignedTreeHead head();
  VerifyResult verify();

  // RFC 9162 §2.1.3: audit path for leaf `seq` (1-based) in the tree of `tree_size` entries.
  std::vector<std::string> inclusion_proof(int64_t seq, int64_t tree_size);
  // RFC 9162 §2.1.4: consistency proof between tree sizes first and second.
  std::vector<std::string> consistency_proof(int64_t first, int64_t second);

 private:
  store::Store& store_;
  std::string secret_key_;  // raw Ed25519 secret key
  std::string public_key_;  // raw
};

}  // namespace ctip::audit
