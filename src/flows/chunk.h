// Case records packed for the store: a slice of a RecordTable as one TEXT value, its columns
// side by side (year, source, sex, age, citizenship, country of exploitation, the five flag
// masks), each bit-packed through a small per-chunk dictionary ("r2:"; chunk.cpp describes the
// layout) and base64-encoded; chunks of the first layout ("r1:", the columns DEFLATE-compressed
// with zlib, RFC 1950) are still read. The store keeps an import's records as such chunks
// (schema/0012_flows.sql): 10 million records load and aggregate in well under two seconds of
// CPU, where a row per record and SQL GROUP BY would take tens (bench/README.md).
// Pure: no store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "flows/record.h"

namespace ctip::flows {

// Records per chunk: 65,536 records are ~1.9 MB of columns before compression.
inline constexpr size_t kChunkRecords = size_t{1} << 16;

// "r2:" + base64(packed columns of records [begin, end)). Sources stay the table's indexes.
std::string pack_chunk(const RecordTable& table, size_t begin, size_t end);

// Appends a packed chunk's records to `out`, their sources re-indexed through `source_map`
// (index in the chunk's import -> index in `out`). Throws Error(integrity) for a value this
// code did not write (bad prefix, base64, compression, size, or a value out of range).
// Returns the number of records appended.
size_t unpack_chunk(std::string_view packed, std::span<const uint8_t> source_map, RecordTable& out);

// A packed chunk as the store lists it, with the number of records it says the chunk holds.
struct PackedChunk {
  std::string_view packed;
  std::span<const uint8_t> source_map;
  size_t records = 0;
};
// Appends the records of `chunks`, in their order, to `out`, as unpack_chunk does for each, on
// up to `threads` threads: the columns are sized once and each chunk decodes into its own rows
// (decoding is most of the time an aggregate over 10 million stored records takes). Also throws
// Error(integrity) when a chunk holds another number of records than `records`; `out` then
// holds partial records and is to be discarded.
void unpack_chunks(std::span<const PackedChunk> chunks, RecordTable& out, unsigned threads);

}  // namespace ctip::flows
