// Signed tree heads kept outside the store, so that a verifier always has a head the
// data-directory attacker could not rewrite (issue #7 item 5; the witnesses of Certificate
// Transparency). HeadWitness copies the log's signed head into a directory - which can live on
// another mount or machine - at most every interval and only when it changed, after checking
// that the new head is consistent (RFC 9162 §2.1.4) with the newest one it kept; read_kept_heads
// reads such a directory, or a head exported with `ctip audit head --out FILE`, for
// `ctip audit verify --against/--witness`.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"

namespace ctip::audit {

// A head file: a signed tree head's JSON ({"tree_size", "root_hash", "timestamp", "signature",
// "public_key"}, as `ctip audit head` and GET /api/v1/audit/head give it), or an audit-head.json
// (its "confirmed" head, and "latest" too). A directory: every head-*.json in it (a witness).
// Error(invalid_argument, naming `field`) when a file cannot be read or holds no head.
std::vector<KeptHead> read_kept_heads(const std::filesystem::path& path, const std::string& field);

// Writes `head` to `path` as JSON, atomically (temporary file + rename), mode 0600.
void write_head(const std::filesystem::path& path, const SignedTreeHead& head);

struct WitnessOptions {
  std::filesystem::path dir;
  int64_t interval_ms = 60'000;  // at most one new head per interval
  size_t keep = 100;             // the newest heads kept; older ones are removed
};

class HeadWitness {
 public:
  // Creates the directory (0700) and keeps the log's current head at once, then every interval
  // when it changed, until destroyed (which keeps the last one).
  HeadWitness(AuditLog& log, WitnessOptions options);
  ~HeadWitness();
  HeadWitness(const HeadWitness&) = delete;
  HeadWitness& operator=(const HeadWitness&) = delete;

  // Keeps the log's current head unless it is the newest kept already. Refuses (returns false,
  // with the reason in problem()) a head with an invalid signature, a smaller log than the
  // newest kept head, or a log that is not an extension of it: a witness never records a
  // rewritten history.
  bool witness_now();
  std::string problem() const;

 private:
  void run();
  AuditLog& log_;
  WitnessOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::string problem_;
  std::thread thread_;
};

}  // namespace ctip::audit
