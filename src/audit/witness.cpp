#include "audit/witness.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "audit/data_files.h"
#include "audit/merkle.h"
#include "core/crypto.h"
#include "core/error.h"

namespace ctip::audit {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPrefix = "head-";
constexpr std::string_view kSuffix = ".json";

bool is_witness_file(const fs::path& p) {
  std::string name = p.filename().string();
  return name.starts_with(kPrefix) && name.ends_with(kSuffix);
}

// head-00000000000000001234.json: names sort like the tree sizes.
std::string witness_name(int64_t tree_size) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(tree_size));
  return std::string(kPrefix) + buf + std::string(kSuffix);
}

std::vector<fs::path> witness_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && is_witness_file(e.path())) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<merkle::Hash> hash_of(const std::string& hex_text) {
  if (hex_text.size() != 64) return std::nullopt;
  try {
    std::string raw = from_hex(hex_text);
    merkle::Hash h;
    std::copy(raw.begin(), raw.end(), h.begin());
    return h;
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::vector<KeptHead> heads_in_file(const fs::path& path, const std::string& field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) invalid(field, "cannot read the kept head '" + path.string() + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  std::vector<KeptHead> out;
  if (!j.is_discarded() && j.is_object()) {
    if (auto h = head_from_json(j)) out.push_back({*h, path.string()});
    for (const char* key : {"confirmed", "latest", "head"})
      if (j.contains(key))
        if (auto h = head_from_json(j[key])) out.push_back({*h, path.string() + " (" + key + ")"});
  }
  if (out.empty())
    invalid(field, "'" + path.string() +
                       "' holds no signed tree head (the JSON of 'ctip audit head' or GET "
                       "/api/v1/audit/head)");
  return out;
}

}  // namespace

std::vector<KeptHead> read_kept_heads(const fs::path& path, const std::string& field) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return heads_in_file(path, field);
  std::vector<KeptHead> out;
  for (const auto& file : witness_files(path))
    for (auto& h : heads_in_file(file, field)) out.push_back(std::move(h));
  if (out.empty())
    invalid(field, "the witness directory '" + path.string() + "' holds no head-*.json");
  return out;
}

void write_head(const fs::path& path, const SignedTreeHead& head) {
  replace_file(path, head_to_json(head).dump(2) + "\n", 0600);
}

HeadWitness::HeadWitness(AuditLog& log, WitnessOptions options)
    : log_(log), options_(std::move(options)) {
  if (options_.interval_ms < 1) options_.interval_ms = 1;
  if (options_.keep < 1) options_.keep = 1;
  std::error_code ec;
  fs::create_directories(options_.dir, ec);
  if (ec)
    throw Error(
        ErrorCode::invalid_argument,
        "cannot create the witness directory '" + options_.dir.string() + "': " + ec.message(),
        "--audit-witness");
  ::chmod(options_.dir.c_str(), 0700);
  if (!witness_now()) std::cerr << "ctip: audit witness: " << problem() << "\n";
  thread_ = std::thread([this] { run(); });
}

HeadWitness::~HeadWitness() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  try {
    witness_now();
  } catch (const std::exception&) {
    // ignored: the store is gone; the last head kept stays the newest.
  }
}

std::string HeadWitness::problem() const {
  std::lock_guard lock(mu_);
  return problem_;
}

void HeadWitness::run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms), [this] { return stop_; });
    if (stop_) break;
    lock.unlock();
    bool ok = false;
    try {
      ok = witness_now();
    } catch (const std::exception& e) {
      std::lock_guard l(mu_);
      problem_ = e.what();
    }
    if (!ok) std::cerr << "ctip: audit witness: " << problem() << "\n";
    lock.lock();
  }
}

bool HeadWitness::witness_now() {
  auto refuse = [this](std::string why) {
    std::lock_guard lock(mu_);
    problem_ = std::move(why);
    return false;
  };
  SignedTreeHead head = log_.head();
  if (head.tree_size == 0) return true;  // nothing to vouch for yet
  if (!verify_tree_head(head))
    return refuse("the log's newest head (tree size " + std::to_string(head.tree_size) +
                  ") has an invalid signature; not kept");
  auto files = witness_files(options_.dir);
  if (!files.empty()) {
    std::vector<KeptHead> newest;
    try {
      newest = heads_in_file(files.back(), "--audit-witness");
    } catch (const Error&) {
      // ignored: a damaged newest file; the new head is checked against nothing and kept.
    }
    if (!newest.empty()) {
      const SignedTreeHead& last = newest.front().head;
      if (last.tree_size == head.tree_size && last.root_hash == head.root_hash) return true;
      if (last.tree_size > head.tree_size)
        return refuse("the log holds " + std::to_string(head.tree_size) +
                      " entries but the witness kept a head of " + std::to_string(last.tree_size) +
                      ": entries were deleted; not kept");
      bool consistent = false;
      auto a = hash_of(last.root_hash), b = hash_of(head.root_hash);
      if (a && b && last.public_key == head.public_key) {
        try {
          std::vector<merkle::Hash> path;
          for (const auto& h : log_.consistency_proof(last.tree_size, head.tree_size))
            path.push_back(hash_of(h).value_or(merkle::Hash{}));
          consistent =
              merkle::verify_consistency(static_cast<uint64_t>(last.tree_size),
                                         static_cast<uint64_t>(head.tree_size), *a, *b, path);
        } catch (const Error&) {
          consistent = false;
        }
      }
      if (!consistent)
        return refuse("the log's head of " + std::to_string(head.tree_size) +
                      " entries is not consistent with the witness's head of " +
                      std::to_string(last.tree_size) + ": the log was rewritten; not kept");
    }
  }
  write_head(options_.dir / witness_name(head.tree_size), head);
  files = witness_files(options_.dir);
  for (size_t i = 0; i + options_.keep < files.size(); ++i) {
    std::error_code ec;
    fs::remove(files[i], ec);
  }
  std::lock_guard lock(mu_);
  problem_.clear();
  return true;
}

}  // namespace ctip::audit
