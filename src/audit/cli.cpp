// `ctip audit`: verify the tamper-evident audit log, print its signed tree head, and print
// RFC 9162 inclusion and consistency proofs (src/audit/README.md).
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "audit/audit_log.h"
#include "audit/capability.h"
#include "audit/data_files.h"
#include "audit/export.h"
#include "audit/witness.h"
#include "cli/commands.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/time.h"
#include "store/store.h"

namespace ctip::audit {
namespace {

using nlohmann::json;

// Opens an existing store without migrating it: checking a log must not change the store, and
// a mistyped --data must not create an empty one.
std::string to_hex_text(const std::string& raw) {
  return to_hex({reinterpret_cast<const uint8_t*>(raw.data()), raw.size()});
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
  static std::vector<std::string> against;
  static std::vector<std::string> witnesses;
  static std::string public_key_file;
  verify->add_option("--against", against,
                     "A signed tree head kept elsewhere (ctip audit head --out FILE): the log must "
                     "extend it (RFC 9162 consistency proof); repeatable");
  verify->add_option("--witness", witnesses,
                     "A witness directory (ctip serve --audit-witness DIR): the log must extend "
                     "every head kept there; repeatable");
  verify->add_option("--public-key", public_key_file,
                     "The log's public key, kept apart from the data (64 hex characters, or a "
                     "head's JSON); default: audit-public.key beside the data");
  verify->footer(
      "Examples:\n  ctip audit verify --data ./ctip-data\n"
      "  audit log ok: 1234 entries, root 5dc9da79a70659a9...\n"
      "  ctip audit verify --data ./ctip-data --against /mnt/oversight/head-2026-11-28.json \\\n"
      "      --witness /mnt/witness --public-key /mnt/oversight/audit-public.key\n\n"
      "Without a head kept outside the data directory, verify cannot tell a log rebuilt with\n"
      "the stored key, or wiped together with audit-head.json, from an intact one\n"
      "(docs/threat-model.md). On failure keep the data directory as it is for investigation\n"
      "and restore a backup that verifies.");
  verify->callback([] {
    auto s = cli::open_existing_store(data_dir, false);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLogOptions options;
    options.verify_only = true;  // the public key suffices
    if (!public_key_file.empty())
      options.public_key_hex = to_hex_text(
          audit::parse_public_key(cli::read_input_file(public_key_file, "--public-key")));
    std::vector<audit::KeptHead> kept;
    for (const auto& f : against)
      for (auto& h : audit::read_kept_heads(f, "--against")) kept.push_back(std::move(h));
    for (const auto& d : witnesses)
      for (auto& h : audit::read_kept_heads(d, "--witness")) kept.push_back(std::move(h));
    audit::AuditLog log(*s, trust, system_clock(), options);
    auto r = log.verify(kept);
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
  static std::string head_out;
  head->add_option("--out", head_out,
                   "Write the head to FILE (atomically, mode 0600) instead of standard output: "
                   "keep it outside the data directory for 'ctip audit verify --against FILE'");
  head->callback([] {
    auto s = cli::open_existing_store(data_dir, false);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLogOptions options;
    options.verify_only = true;  // reads the newest signed head; needs no secret
    audit::AuditLog log(*s, trust, system_clock(), options);
    auto h = log.head();
    if (head_out.empty()) {
      std::cout << audit::head_to_json(h).dump(2) << "\n";
      return;
    }
    if (h.signature.empty())
      throw Error(ErrorCode::invalid_argument, "the audit log is empty: there is no head to keep",
                  "--out");
    audit::write_head(head_out, h);
    std::cout << "kept the signed head of " << h.tree_size << " entries in " << head_out << "\n";
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
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
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

  static audit::EntryFilter filter;
  static std::string export_out;
  static int64_t export_limit = 10'000;
  auto* exp = audit->add_subcommand(
      "export",
      "Export the entries an auditor asks for (by actor, action, object, time), each with its\n"
      "RFC 9162 inclusion proof against the current signed head, as JSON. Recorded in the log\n"
      "as audit.export");
  cli::add_data_option(*exp, data_dir);
  for (const auto& field : audit::kEntryFilterFields) {
    std::string flag = std::string("--") + field.name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    exp->add_option(flag, filter.*field.slot, field.help);
  }
  exp->add_option("--limit", export_limit, "At most this many entries (newest first)")
      ->check(CLI::Range(1, 1'000'000));
  exp->add_option("--out", export_out, "Write to FILE (mode 0600) instead of standard output");
  exp->footer(
      "Example:\n  ctip audit export --data ./ctip-data --object-type screening --object-id 17 \\\n"
      "      --out who-saw-17.json");
  exp->callback([] {
    auto s = cli::open_existing_store(data_dir, false);
    audit::DirectoryTrustStore trust(cli::audit_files_dir(data_dir), cli::audit_key_file());
    audit::AuditLog log(*s, trust);
    Event e{std::nullopt, "cli", std::nullopt, "audit.export", "audit_log", "export", "success"};
    e.client_address = "cli";
    json out = audit::export_entries(log, filter, export_limit, e);
    std::string text = out.dump(2) + "\n";
    if (export_out.empty()) {
      std::cout << text;
      return;
    }
    audit::replace_file(export_out, text, 0600);
    std::cerr << "exported " << out["entries"].size() << " entries to " << export_out << "\n";
  });
}

}  // namespace ctip::audit
