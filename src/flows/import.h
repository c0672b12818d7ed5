// Reading case-record files into CaseRecords: CTDC's global dataset (2017 data dictionary), its
// 2024 synthetic layout, and IOM's HTCDS 2.0 field names. Streaming and pure: the records go to
// a sink in batches as they are read, so memory stays flat in the file's size; the caller (the
// import service, `ctip flows summary`) decides what to do with them and with the summary.
//
// What is an error and what is not (issue #9, "Bad input"):
// - a wrong or missing header, or an unknown format: Error(invalid_argument, field "header" or
//   "format"), thrown before any record;
// - a ragged row, invalid UTF-8, a broken quoted field, an impossible or non-numeric year, a flag
//   that is none of the accepted spellings: a RowError naming the line and the column; the row
//   is skipped (not given to the sink) and counted. An import is all-or-nothing unless the
//   caller accepts skipped rows (summary.ok() says whether there were any);
// - an unknown or missing value (citizenship "0", "-99", gender "Unknown", a code that is not
//   ISO 3166): not an error. It is unknown in every aggregate and counted per column and value
//   in the summary ("citizenship": "0" x 8,858), never turned into a country.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flows/record.h"

namespace ctip::flows {

enum class Format { ctdc, ctdc_synthetic, htcds, glotip };
inline constexpr std::string_view kFormatNames = "ctdc, ctdc-synthetic, htcds, glotip";
std::string_view to_string(Format format);  // "ctdc", "ctdc-synthetic", "htcds", "glotip"
// Throws Error(invalid_argument, field "format") naming the formats for anything else.
Format parse_format(std::string_view name);

struct RowError {
  size_t line = 0;          // from 1, the header being line 1 (or 2 after a blank line)
  size_t column = 0;        // the field's number, from 1; 0 when about the whole row
  std::string column_name;  // the header's name for it, when there is one
  std::string message;
};
// "line 7, column 3 (citizenship): ..."
std::string to_string(const RowError& e);

struct UnknownValue {
  std::string column;
  std::string value;  // as written ("" for an empty field); "(other values)" past 1,000 per column
  uint64_t count = 0;
};

struct ImportSummary {
  Format format = Format::ctdc;
  uint64_t rows_read = 0;                    // data rows, the header not counted
  uint64_t imported = 0;                     // given to the sink
  uint64_t skipped = 0;                      // rows with an error
  std::vector<std::string> columns;          // the header's columns the format knows
  std::vector<std::string> ignored_columns;  // the header's columns it does not know
  bool terms_of_use_column = false;          // CTDC's first column of terms-of-use text
  std::vector<UnknownValue> unknown_values;  // by column (in header order), then count, desc.
  std::vector<RowError> errors;              // the first max_listed_errors
  uint64_t error_count = 0;                  // all of them
  // The data sources met; CaseRecord::source indexes this list, "unknown" being index 0.
  std::vector<std::string> sources{"unknown"};

  bool ok() const { return error_count == 0; }
};

struct ImportOptions {
  size_t batch_size = 8192;
  size_t max_listed_errors = 1000;
  // Called after each batch with the number of data rows read so far (a progress bar).
  std::function<void(uint64_t rows)> progress;
};

// Receives the records in batches; `sources` is the import's source list so far (the records'
// `source` indexes it).
using RecordSink =
    std::function<void(std::span<const CaseRecord> batch, std::span<const std::string> sources)>;

// Reads a ctdc, ctdc-synthetic or htcds file (glotip is country-year data: glotip.h). After the
// header, `in` is read on a thread of its own (the records are parsed, and the sink and the
// progress callback called, on the calling thread): whatever the stream's buffer counts as it is
// read (bytes, a hash) must be safe to read from the calling thread, e.g. an atomic counter.
ImportSummary import_records(std::istream& in, Format format, const RecordSink& sink,
                             const ImportOptions& options = {});

// Reads a whole file into a table (tests, `ctip flows summary`).
struct ImportedTable {
  RecordTable table;
  ImportSummary summary;
};
ImportedTable import_table(std::istream& in, Format format, const ImportOptions& options = {});

// The year range a record may carry: CTDC's data begin in 2002 and GLOTIP's in 2003, after the
// Palermo Protocol (2000); 1990 leaves room for older case files. Outside it: "impossible year".
inline constexpr int kFirstYear = 1990;
inline constexpr int kLastYear = 2100;

}  // namespace ctip::flows
