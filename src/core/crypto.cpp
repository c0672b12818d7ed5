#include "core/crypto.h"

#include <sodium.h>

#include <mutex>

#include "core/error.h"

namespace ctip {

void crypto_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw Error(ErrorCode::internal, "libsodium failed to initialise");
  });
}

std::string random_token(size_t bytes) {
  crypto_init();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return to_hex({reinterpret_cast<const uint8_t*>(raw.data()), raw.size()});
}

Sha256 sha256(std::span<const uint8_t> data) {
  crypto_init();
  Sha256 out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

Sha256 sha256(std::string_view data) {
  return sha256({reinterpret_cast<const uint8_t*>(data.data()), data.size()});
}

std::string to_hex(std::span<const uint8_t> data) {
  std::string out(data.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data.data(), data.size());
  out.pop_back();
  return out;
}

std::string from_hex(std::string_view hex) {
  std::string out(hex.size() / 2 + 1, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), hex.data(),
                     hex.size(), nullptr, &len, &end) != 0 ||
      end != hex.data() + hex.size())
    throw Error(ErrorCode::invalid_argument, "malformed hex string");
  out.resize(len);
  return out;
}

std::string to_base64(std::string_view bytes) {
  crypto_init();
  constexpr int variant = sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.resize(out.size() - 1);  // the encoder's terminating NUL
  return out;
}

std::string from_base64(std::string_view text, std::string_view what) {
  crypto_init();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
      end != text.data() + text.size())
    throw Error(ErrorCode::integrity, std::string(what) + " is not base64");
  out.resize(len);
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ctip
