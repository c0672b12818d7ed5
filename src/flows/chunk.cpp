#include "flows/chunk.h"

#include <zlib.h>

#include <cstring>

#include "core/crypto.h"
#include "core/error.h"

namespace ctip::flows {
namespace {

constexpr std::string_view kPrefix = "r1:";
// year 2, source 1, sex 1, age 1, citizenship 2, exploitation 2, five masks 20.
constexpr size_t kBytesPerRecord = 29;

[[noreturn]] void damaged(const std::string& why) {
  throw Error(ErrorCode::integrity, "stored flow records are damaged: " + why);
}

template <class T>
void put(std::string& out, const std::vector<T>& column, size_t begin, size_t end) {
  // The store is read by the machine that wrote it or one of the same byte order: ctip runs on
  // little-endian x86-64 and arm64 (Debian's amd64 and arm64).
  out.append(reinterpret_cast<const char*>(column.data() + begin), (end - begin) * sizeof(T));
}

template <class T>
void take(std::string_view& in, std::vector<T>& column, size_t n) {
  size_t at = column.size();
  column.resize(at + n);
  std::memcpy(column.data() + at, in.data(), n * sizeof(T));
  in.remove_prefix(n * sizeof(T));
}

}  // namespace

std::string pack_chunk(const RecordTable& t, size_t begin, size_t end) {
  if (begin > end || end > t.size()) throw Error(ErrorCode::internal, "pack_chunk: bad range");
  uint32_t n = static_cast<uint32_t>(end - begin);
  std::string raw;
  raw.reserve(4 + n * kBytesPerRecord);
  raw.append(reinterpret_cast<const char*>(&n), sizeof n);
  put(raw, t.year, begin, end);
  put(raw, t.source, begin, end);
  put(raw, t.sex, begin, end);
  put(raw, t.age, begin, end);
  put(raw, t.citizenship, begin, end);
  put(raw, t.exploitation, begin, end);
  for (const auto& f : t.flags) put(raw, f, begin, end);

  uLongf size = compressBound(raw.size());
  std::string z(size, '\0');
  // Level 1: the columns are long runs of few values, which the fastest level already shrinks
  // about fivefold; higher levels cost the import time for a few per cent.
  if (compress2(reinterpret_cast<Bytef*>(z.data()), &size,
                reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 1) != Z_OK)
    throw Error(ErrorCode::internal, "cannot compress flow records");
  z.resize(size);
  return std::string(kPrefix) + to_base64(z);
}

size_t unpack_chunk(std::string_view packed, std::span<const uint8_t> source_map,
                    RecordTable& out) {
  if (!packed.starts_with(kPrefix)) damaged("unknown format");
  packed.remove_prefix(kPrefix.size());
  std::string z;
  try {
    z = from_base64(packed, "chunk");
  } catch (const Error&) {
    damaged("not base64");
  }
  // The first four bytes of the columns give their size; zlib needs it up front.
  std::string raw(4 + kChunkRecords * kBytesPerRecord, '\0');
  uLongf size = raw.size();
  if (uncompress(reinterpret_cast<Bytef*>(raw.data()), &size,
                 reinterpret_cast<const Bytef*>(z.data()), z.size()) != Z_OK)
    damaged("cannot decompress");
  raw.resize(size);
  if (raw.size() < 4) damaged("too short");
  uint32_t n = 0;
  std::memcpy(&n, raw.data(), 4);
  if (n > kChunkRecords || raw.size() != 4 + size_t{n} * kBytesPerRecord) damaged("wrong size");
  std::string_view in(raw);
  in.remove_prefix(4);
  size_t first = out.size();
  take(in, out.year, n);
  take(in, out.source, n);
  take(in, out.sex, n);
  take(in, out.age, n);
  take(in, out.citizenship, n);
  take(in, out.exploitation, n);
  for (auto& f : out.flags) take(in, f, n);
  for (size_t i = first; i < out.size(); ++i) {
    uint8_t s = out.source[i];
    if (s >= source_map.size()) damaged("a source index out of range");
    out.source[i] = source_map[s];
    if (static_cast<uint8_t>(out.sex[i]) > static_cast<uint8_t>(Sex::transgender) ||
        static_cast<uint8_t>(out.age[i]) > static_cast<uint8_t>(AgeGroup::adult) ||
        out.citizenship[i] >= kCountryCodes || out.exploitation[i] >= kCountryCodes)
      damaged("a value out of range");
  }
  return n;
}

}  // namespace ctip::flows
