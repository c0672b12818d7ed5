// Thin wrappers over libsodium: random tokens, hashing, hex. No hand-written cryptography.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ctip {

using Sha256 = std::array<uint8_t, 32>;

// Initialises libsodium once; safe to call from anywhere.
void crypto_init();
// A URL-safe random token with `bytes` bytes of entropy (hex encoded).
std::string random_token(size_t bytes = 32);
Sha256 sha256(std::span<const uint8_t> data);
Sha256 sha256(std::string_view data);
std::string to_hex(std::span<const uint8_t> data);
// Throws Error(invalid_argument) on malformed hex.
std::string from_hex(std::string_view hex);
// Base64 (RFC 4648 §4, without padding), through libsodium.
std::string to_base64(std::string_view bytes);
// Throws Error(integrity) naming `what` when `text` is not base64.
std::string from_base64(std::string_view text, std::string_view what);
// Constant-time comparison of two equally long strings.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace ctip
