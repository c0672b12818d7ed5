// A two-way table of counts with row and column labels (e.g. citizenship x country of
// exploitation), the input of disclosure control and of the private release.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ctip::flows::stats {

struct CountTable {
  std::vector<std::string> rows;
  std::vector<std::string> columns;
  std::vector<int64_t> counts;  // rows.size() x columns.size(), row-major

  int64_t count(size_t row, size_t column) const { return counts[row * columns.size() + column]; }
};

// Throws Error(invalid_argument, field "counts") when the shape does not match the labels or a
// count is negative.
void validate(const CountTable& table);

}  // namespace ctip::flows::stats
