#include "flows/chunk.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>
#include <type_traits>

#include "core/error.h"

namespace ctip::flows {
namespace {

constexpr std::string_view kPrefix = "r1:";
// year 2, source 1, sex 1, age 1, citizenship 2, exploitation 2, five masks 20.
constexpr size_t kBytesPerRecord = 29;

[[noreturn]] void damaged(const std::string& why) {
  throw Error(ErrorCode::integrity, "stored flow records are damaged: " + why);
}

// Base64 (RFC 4648 section 4, the standard alphabet, no padding): the same text as
// core/crypto.h's to_base64, which goes through libsodium's constant-time coder. Chunks hold no
// secret, and at 80 MB of text for 10 million records the constant-time decoder alone took
// half a second of the 2 s an aggregate may take (bench/README.md), so they get a table coder.
constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr uint8_t kNotBase64 = 0xFF;
constexpr auto kDecode = [] {
  std::array<uint8_t, 256> t{};
  t.fill(kNotBase64);
  for (size_t i = 0; i < kAlphabet.size(); ++i)
    t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<uint8_t>(i);
  return t;
}();

void append_base64(std::string& out, std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size(), at = out.size();
  out.resize(at + (n / 3) * 4 + (n % 3 ? n % 3 + 1 : 0));
  char* o = out.data() + at;
  size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t{p[i]} << 16;
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
  } else if (n - i == 2) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8);
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
  }
}

// Strict, as libsodium's decoder is: only the alphabet, no padding, no length of 1 mod 4, and
// the unused bits of the last character zero. False for anything else.
bool decode_base64(std::string_view text, std::string& out) {
  size_t n = text.size();
  if (n % 4 == 1) return false;
  out.resize(n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0));
  const auto* t = reinterpret_cast<const unsigned char*>(text.data());
  auto* o = reinterpret_cast<unsigned char*>(out.data());
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t a = kDecode[t[i]], b = kDecode[t[i + 1]], c = kDecode[t[i + 2]], d = kDecode[t[i + 3]];
    if ((a | b | c | d) > 63) return false;
    uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    *o++ = static_cast<unsigned char>(v >> 16);
    *o++ = static_cast<unsigned char>(v >> 8);
    *o++ = static_cast<unsigned char>(v);
  }
  if (size_t rest = n - i; rest > 0) {
    uint32_t a = kDecode[t[i]], b = kDecode[t[i + 1]], c = rest == 3 ? kDecode[t[i + 2]] : 0;
    if ((a | b | c) > 63) return false;
    uint32_t v = (a << 18) | (b << 12) | (c << 6);
    *o++ = static_cast<unsigned char>(v >> 16);
    if (rest == 3) *o++ = static_cast<unsigned char>(v >> 8);
    if (rest == 2 ? (v & 0xFFFF) != 0 : (v & 0xFF) != 0) return false;  // stray low bits
  }
  return true;
}

template <class T>
void take(std::string_view& in, std::vector<T>& column, size_t at, size_t n) {
  std::copy_n(in.begin(), n * sizeof(T), reinterpret_cast<char*>(column.data() + at));
  in.remove_prefix(n * sizeof(T));
}

// A decoder's buffers, reused from chunk to chunk by a thread that decodes many.
struct Buffers {
  std::string z, raw;
};

// --- r2: each column bit-packed ---------------------------------------------------------------
// After base64: the record count n (4 bytes), then the eleven columns in the order of r1 (year,
// source, sex, age, citizenship, exploitation, the five masks), each as
//   width (1 byte, bits per code), dictionary size d (2 bytes), d dictionary values (4 bytes
//   each), ceil(n * width / 8) bytes of codes, least significant bit first;
// a code is an index into the dictionary, or the value itself when d is 0. Then 8 zero bytes,
// so that the decoder may load 8 bytes at any code. Columns hold few distinct values (years,
// a few hundred countries, flag masks that are mostly empty), so this is about a third of r1's
// raw size, and unpacking it costs a tenth of inflating r1 (zlib's inflate was 70 % of the
// time an aggregate over 10 million stored records took: bench/README.md).
constexpr std::string_view kPrefix2 = "r2:";
constexpr size_t kMaxDictionary = 256;
constexpr size_t kPadding = 8;

unsigned bits_for(uint32_t v) { return v == 0 ? 0 : 32 - static_cast<unsigned>(__builtin_clz(v)); }

// Columns are copied as the machine holds them: the store is read by the machine that wrote it
// or one of the same byte order (ctip runs on little-endian x86-64 and arm64).
template <class T>
constexpr uint32_t max_code() {
  if constexpr (std::is_same_v<T, int16_t>)
    return 0xFFFF;
  else if constexpr (std::is_enum_v<T>)
    return std::numeric_limits<std::underlying_type_t<T>>::max();
  else
    return std::numeric_limits<T>::max();
}

template <class T>
uint32_t as_code(T v) {
  if constexpr (std::is_same_v<T, int16_t>)
    return static_cast<uint16_t>(v);
  else
    return static_cast<uint32_t>(v);
}

template <class T>
void put_packed(std::string& out, const std::vector<T>& column, size_t begin, size_t end) {
  // The distinct values, up to kMaxDictionary of them, in an open-addressing table.
  constexpr size_t kSlots = 1024;
  std::array<uint32_t, kSlots> slot_value{};
  std::array<int16_t, kSlots> slot_code;
  slot_code.fill(-1);
  std::vector<uint32_t> dictionary;
  uint32_t max = 0;
  bool dictionary_fits = true;
  for (size_t i = begin; i < end; ++i) {
    uint32_t v = as_code(column[i]);
    max = std::max(max, v);
    if (!dictionary_fits) continue;
    size_t h = (v * 2654435761u) >> 22;  // 10 bits
    while (slot_code[h] >= 0 && slot_value[h] != v) h = (h + 1) % kSlots;
    if (slot_code[h] < 0) {
      if (dictionary.size() == kMaxDictionary) {
        dictionary_fits = false;
        continue;
      }
      slot_value[h] = v;
      slot_code[h] = static_cast<int16_t>(dictionary.size());
      dictionary.push_back(v);
    }
  }
  const bool use_dictionary = dictionary_fits && !dictionary.empty() &&
                              bits_for(uint32_t(dictionary.size() - 1)) < bits_for(max);
  const unsigned width =
      use_dictionary ? bits_for(static_cast<uint32_t>(dictionary.size() - 1)) : bits_for(max);
  out.push_back(static_cast<char>(width));
  const auto d = static_cast<uint16_t>(use_dictionary ? dictionary.size() : 0);
  out.append(reinterpret_cast<const char*>(&d), 2);
  if (use_dictionary)
    out.append(reinterpret_cast<const char*>(dictionary.data()), dictionary.size() * 4);
  uint64_t acc = 0;
  unsigned filled = 0;
  for (size_t i = begin; i < end && width > 0; ++i) {
    uint32_t v = as_code(column[i]);
    if (use_dictionary) {
      size_t h = (v * 2654435761u) >> 22;
      while (slot_value[h] != v) h = (h + 1) % kSlots;
      v = static_cast<uint32_t>(slot_code[h]);
    }
    acc |= uint64_t{v} << filled;
    filled += width;
    while (filled >= 8) {
      out.push_back(static_cast<char>(acc & 0xFF));
      acc >>= 8;
      filled -= 8;
    }
  }
  if (filled > 0) out.push_back(static_cast<char>(acc & 0xFF));
}

template <class T>
void take_packed(std::string_view& in, std::vector<T>& column, size_t at, size_t n) {
  if (in.size() < 3 + kPadding) damaged("too short");
  const unsigned width = static_cast<unsigned char>(in[0]);
  uint16_t d = 0;
  std::memcpy(&d, in.data() + 1, 2);
  in.remove_prefix(3);
  const unsigned max_width = bits_for(max_code<T>());
  if (d > kMaxDictionary || width > (d ? 8u : max_width)) damaged("a bad column header");
  std::array<uint32_t, kMaxDictionary> dictionary{};
  if (in.size() < size_t{d} * 4 + kPadding) damaged("too short");
  std::memcpy(dictionary.data(), in.data(), size_t{d} * 4);
  in.remove_prefix(size_t{d} * 4);
  const size_t bytes = (n * width + 7) / 8;
  if (in.size() < bytes + kPadding) damaged("too short");
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const uint64_t mask = (uint64_t{1} << width) - 1;
  T* o = column.data() + at;
  auto value = [](uint32_t v) {
    if constexpr (std::is_same_v<T, int16_t>)
      return static_cast<int16_t>(static_cast<uint16_t>(v));
    else
      return static_cast<T>(v);
  };
  if (d > 0) {
    for (uint32_t k = 0; k < d; ++k)
      if (dictionary[k] > max_code<T>()) damaged("a dictionary value out of range");
    uint32_t worst = 0;
    uint64_t bit = 0;
    for (size_t i = 0; i < n; ++i, bit += width) {
      uint64_t w;
      std::memcpy(&w, p + (bit >> 3), 8);
      auto code = static_cast<uint32_t>((w >> (bit & 7)) & mask);
      worst = std::max(worst, code);
      o[i] = value(dictionary[code & (kMaxDictionary - 1)]);
    }
    if (n > 0 && worst >= d) damaged("a code outside its dictionary");
  } else {
    uint64_t bit = 0;
    for (size_t i = 0; i < n; ++i, bit += width) {
      uint64_t w;
      std::memcpy(&w, p + (bit >> 3), 8);
      o[i] = value(static_cast<uint32_t>((w >> (bit & 7)) & mask));
    }
  }
  in.remove_prefix(bytes);
}

// Decodes the text of a chunk into b.raw (r1: the columns; r2: the packed columns) and returns
// its record count; `version` says which.
uint32_t decode(std::string_view packed, Buffers& b, int& version) {
  if (packed.starts_with(kPrefix2)) {
    version = 2;
    packed.remove_prefix(kPrefix2.size());
    if (!decode_base64(packed, b.raw)) damaged("not base64");
    if (b.raw.size() < 4 + kPadding) damaged("too short");
    uint32_t n = 0;
    std::memcpy(&n, b.raw.data(), 4);
    if (n > kChunkRecords) damaged("wrong size");
    return n;
  }
  if (!packed.starts_with(kPrefix)) damaged("unknown format");
  version = 1;
  packed.remove_prefix(kPrefix.size());
  if (!decode_base64(packed, b.z)) damaged("not base64");
  // The first four bytes of the columns give their size; zlib needs it up front.
  b.raw.resize(4 + kChunkRecords * kBytesPerRecord);
  uLongf size = b.raw.size();
  if (uncompress(reinterpret_cast<Bytef*>(b.raw.data()), &size,
                 reinterpret_cast<const Bytef*>(b.z.data()), b.z.size()) != Z_OK)
    damaged("cannot decompress");
  b.raw.resize(size);
  if (b.raw.size() < 4) damaged("too short");
  uint32_t n = 0;
  std::memcpy(&n, b.raw.data(), 4);
  if (n > kChunkRecords || b.raw.size() != 4 + size_t{n} * kBytesPerRecord) damaged("wrong size");
  return n;
}

// Copies the n decoded records into rows [at, at + n) of `out`, re-indexing sources and checking
// every value.
void scatter(const Buffers& b, int version, size_t n, std::span<const uint8_t> source_map,
             RecordTable& out, size_t at) {
  std::string_view in(b.raw);
  in.remove_prefix(4);
  if (version == 1) {
    take(in, out.year, at, n);
    take(in, out.source, at, n);
    take(in, out.sex, at, n);
    take(in, out.age, at, n);
    take(in, out.citizenship, at, n);
    take(in, out.exploitation, at, n);
    for (auto& f : out.flags) take(in, f, at, n);
  } else {
    take_packed(in, out.year, at, n);
    take_packed(in, out.source, at, n);
    take_packed(in, out.sex, at, n);
    take_packed(in, out.age, at, n);
    take_packed(in, out.citizenship, at, n);
    take_packed(in, out.exploitation, at, n);
    for (auto& f : out.flags) take_packed(in, f, at, n);
    if (in.size() != kPadding) damaged("wrong size");
  }
  // Checked in one pass without branches per record, then re-indexed.
  uint8_t max_source = 0, max_sex = 0, max_age = 0;
  CountryCode max_country = 0;
  for (size_t i = at; i < at + n; ++i) {
    max_source = std::max(max_source, out.source[i]);
    max_sex = std::max(max_sex, static_cast<uint8_t>(out.sex[i]));
    max_age = std::max(max_age, static_cast<uint8_t>(out.age[i]));
    max_country = std::max({max_country, out.citizenship[i], out.exploitation[i]});
  }
  if (n > 0 && max_source >= source_map.size()) damaged("a source index out of range");
  if (max_sex > static_cast<uint8_t>(Sex::transgender) ||
      max_age > static_cast<uint8_t>(AgeGroup::adult) || max_country >= kCountryCodes)
    damaged("a value out of range");
  for (size_t i = at; i < at + n; ++i) out.source[i] = source_map[out.source[i]];
}

template <class T>
void grow(std::vector<T>& column, size_t n) {
  column.resize(column.size() + n);
}

}  // namespace

std::string pack_chunk(const RecordTable& t, size_t begin, size_t end) {
  if (begin > end || end > t.size()) throw Error(ErrorCode::internal, "pack_chunk: bad range");
  // Chunks are written as r2 (bit-packed columns); r1 (zlib) chunks of older stores still read.
  uint32_t n = static_cast<uint32_t>(end - begin);
  std::string raw;
  raw.reserve(4 + n * 12 + 11 * (3 + kMaxDictionary * 4) + kPadding);
  raw.append(reinterpret_cast<const char*>(&n), sizeof n);
  put_packed(raw, t.year, begin, end);
  put_packed(raw, t.source, begin, end);
  put_packed(raw, t.sex, begin, end);
  put_packed(raw, t.age, begin, end);
  put_packed(raw, t.citizenship, begin, end);
  put_packed(raw, t.exploitation, begin, end);
  for (const auto& f : t.flags) put_packed(raw, f, begin, end);
  raw.append(kPadding, '\0');
  std::string out(kPrefix2);
  append_base64(out, raw);
  return out;
}

size_t unpack_chunk(std::string_view packed, std::span<const uint8_t> source_map,
                    RecordTable& out) {
  Buffers b;
  int version = 0;
  uint32_t n = decode(packed, b, version);
  size_t first = out.size();
  grow(out.year, n);
  grow(out.source, n);
  grow(out.sex, n);
  grow(out.age, n);
  grow(out.citizenship, n);
  grow(out.exploitation, n);
  for (auto& f : out.flags) grow(f, n);
  try {
    scatter(b, version, n, source_map, out, first);
  } catch (...) {
    // A value out of range: the table is left as it was, without the chunk's rows.
    out.year.resize(first);
    out.source.resize(first);
    out.sex.resize(first);
    out.age.resize(first);
    out.citizenship.resize(first);
    out.exploitation.resize(first);
    for (auto& f : out.flags) f.resize(first);
    throw;
  }
  return n;
}

void unpack_chunks(std::span<const PackedChunk> chunks, RecordTable& out, unsigned threads) {
  const size_t first = out.size();
  std::vector<size_t> at(chunks.size());
  size_t total = 0;
  for (size_t i = 0; i < chunks.size(); ++i) {
    at[i] = first + total;
    total += chunks[i].records;
  }
  grow(out.year, total);
  grow(out.source, total);
  grow(out.sex, total);
  grow(out.age, total);
  grow(out.citizenship, total);
  grow(out.exploitation, total);
  for (auto& f : out.flags) grow(f, total);
  // Each thread takes the next chunk not yet taken and decodes it into that chunk's own rows:
  // the columns are sized above and never reallocated, so the threads write disjoint ranges.
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    Buffers b;
    while (!failed) {
      const size_t i = next.fetch_add(1);
      if (i >= chunks.size()) break;
      try {
        int version = 0;
        uint32_t n = decode(chunks[i].packed, b, version);
        if (n != chunks[i].records) damaged("a chunk holds another number of records than listed");
        scatter(b, version, n, chunks[i].source_map, out, at[i]);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(chunks.size())));
  std::vector<std::thread> helpers;
  try {
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work);
  } catch (const std::system_error&) {
    // ignored: no more threads to be had; the ones started and this one decode every chunk.
  }
  work();
  for (auto& h : helpers) h.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace ctip::flows
