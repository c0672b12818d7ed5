// A stream reader that hashes and counts what passes through it (the imports of flows and of
// online ads): wrap the source, read from `std::istream in(&reader)`, then hex_digest().
#pragma once

#include <sodium.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <istream>
#include <streambuf>
#include <string>

#include "core/crypto.h"

namespace ctip {

// Reads a stream through, hashing (SHA-256, libsodium) and counting its bytes: what an import
// records it came from (flows, online ads), and the progress of a long one.
class HashingReader : public std::streambuf {
 public:
  explicit HashingReader(std::istream& source) : source_(source) {
    crypto_init();
    crypto_hash_sha256_init(&state_);
  }
  // Read by the progress callback while the importer's reader thread fills the buffer.
  uint64_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  std::string hex_digest() {
    std::array<uint8_t, crypto_hash_sha256_BYTES> out{};
    crypto_hash_sha256_final(&state_, out.data());
    return ctip::to_hex(out);
  }

 protected:
  int_type underflow() override {
    source_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    auto n = static_cast<size_t>(source_.gcount());
    if (n == 0) return traits_type::eof();
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(buffer_.data()), n);
    bytes_.fetch_add(n, std::memory_order_relaxed);
    setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
    return traits_type::to_int_type(buffer_[0]);
  }

 private:
  std::istream& source_;
  std::array<char, 1 << 16> buffer_{};
  crypto_hash_sha256_state state_{};
  std::atomic<uint64_t> bytes_{0};
};

}  // namespace ctip
