// `ctip audit`: verify the tamper-evident audit log, print its signed tree head, and print
// RFC 9162 inclusion and consistency proofs (src/audit/README.md).
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "audit/audit_log.h"
#include "audit/capability.h"
#include "cli/commands.h"
#include "core/error.h"
#include "store/store.h"

namespace ctip::audit {
namespace {

using nlohmann::json;

// Opens an existing store without migrating it: checking a log must not change the store, and
// a mistyped --data must not create an empty one.
json head_json(const audit::SignedTreeHead& h) {
  return {{"tree_size", h.tree_size},
          {"root_hash", h.root_hash},
          {"timestamp", h.timestamp},
          {"signature", h.signature},
          {"public_key", h.public_key}};
}

}  // namespace

void add_commands(CLI::App& app) {
  auto* audit = app.add_subcommand(
      "audit", "Check the tamper-evident audit log: verify it, print its signed head and proofs");
  audit->require_subcommand(1);

  static std::string data_dir;
  auto* verify = audit->add_subcommand(
      "verify",
      "Recompute every entry's hash and the Merkle roots, check every signed tree head and\n"
      "audit-head.json; exit 0 when the log is intact, 1 naming the first bad entry otherwise");
  cli::add_data_option(*verify, data_dir);
  verify->footer(
      "Example:\n  ctip audit verify --data ./ctip-data\n"
      "  audit log ok: 1234 entries, root 5dc9da79a70659a9...\n\n"
      "On failure keep the data directory as it is for investigation and restore a backup\n"
      "that verifies.");
  verify->callback([] {
    auto s = cli::open_existing_store(data_dir, false);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir));
    audit::AuditLog log(*s, trust);
    auto r = log.verify();
    if (!r.ok) {
      std::string where =
          r.first_bad_entry ? " at entry " + std::to_string(*r.first_bad_entry) : std::string();
      throw Error(ErrorCode::integrity, "audit log verification failed" + where + ": " + r.message);
    }
    std::cout << r.message << "\n";
    if (!r.note.empty()) std::cout << "note: " << r.note << "\n";
  });

  auto* head = audit->add_subcommand(
      "head", "Print the latest signed tree head as JSON (give it to an outside witness)");
  cli::add_data_option(*head, data_dir);
  head->footer(
      "Example:\n  ctip audit head --data ./ctip-data > head-2026-11-28.json\n"
      "  {\"tree_size\": 1234, \"root_hash\": \"...\", \"timestamp\": \"...\", "
      "\"signature\": \"...\", \"public_key\": \"...\"}");
  head->callback([] {
    auto s = cli::open_existing_store(data_dir, false);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir));
    audit::AuditLog log(*s, trust);
    std::cout << head_json(log.head()).dump(2) << "\n";
  });

  static int64_t seq = 0;
  static int64_t tree_size = 0;
  static std::vector<int64_t> sizes;
  auto* proof = audit->add_subcommand(
      "proof",
      "Print an RFC 9162 proof as JSON: that entry --seq is in the tree of --tree-size entries\n"
      "(default: the whole log), or with --consistency that the tree of FIRST entries is a\n"
      "prefix of the tree of SECOND entries");
  cli::add_data_option(*proof, data_dir);
  auto* seq_opt = proof->add_option("--seq", seq, "Entry to prove (1-based)");
  auto* size_opt = proof->add_option("--tree-size", tree_size, "Tree size of the inclusion proof");
  auto* consistency_opt =
      proof->add_option("--consistency", sizes, "Two tree sizes FIRST SECOND")->expected(2);
  size_opt->needs(seq_opt);
  seq_opt->excludes(consistency_opt);
  proof->footer(
      "Examples:\n"
      "  ctip audit proof --data ./ctip-data --seq 17 --tree-size 40\n"
      "  {\"seq\": 17, \"tree_size\": 40, \"leaf_hash\": \"...\", \"root_hash\": \"...\", "
      "\"path\": [\"...\"]}\n"
      "  ctip audit proof --data ./ctip-data --consistency 40 1234\n"
      "  {\"first\": 40, \"second\": 1234, \"first_root_hash\": \"...\", "
      "\"second_root_hash\": \"...\", \"path\": [\"...\"]}\n\n"
      "Check the roots against signed heads you kept (ctip audit head) and the path with any\n"
      "RFC 9162 verifier.");
  proof->callback([seq_opt, size_opt, consistency_opt] {
    auto s = cli::open_existing_store(data_dir, false);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir));
    audit::AuditLog log(*s, trust);
    auto root_at = [&](int64_t size) {
      auto h = log.head_at(size);
      return h ? json(h->root_hash) : json(nullptr);
    };
    if (consistency_opt->count() > 0) {
      int64_t first = sizes.at(0), second = sizes.at(1);
      json path = log.consistency_proof(first, second);
      std::cout << json{{"first", first},
                        {"second", second},
                        {"first_root_hash", root_at(first)},
                        {"second_root_hash", root_at(second)},
                        {"path", path}}
                       .dump(2)
                << "\n";
      return;
    }
    if (seq_opt->count() == 0)
      throw Error(ErrorCode::invalid_argument,
                  "give --seq N for an inclusion proof or --consistency FIRST SECOND", "--seq");
    int64_t size = size_opt->count() > 0 ? tree_size : log.head().tree_size;
    json path = log.inclusion_proof(seq, size);
    auto entries = log.entries(seq - 1, 1);
    std::cout << json{{"seq", seq},
                      {"tree_size", size},
                      {"leaf_hash", entries.empty() ? json(nullptr) : json(entries[0].leaf_hash)},
                      {"root_hash", root_at(size)},
                      {"path", path}}
                     .dump(2)
              << "\n";
  });
}

}  // namespace ctip::audit
