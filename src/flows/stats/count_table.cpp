#include "flows/stats/count_table.h"

#include "core/error.h"

namespace ctip::flows::stats {

void validate(const CountTable& table) {
  if (table.counts.size() != table.rows.size() * table.columns.size()) {
    invalid("counts", "the table has " + std::to_string(table.counts.size()) + " counts for " +
                          std::to_string(table.rows.size()) + " rows and " +
                          std::to_string(table.columns.size()) + " columns");
  }
  for (size_t i = 0; i < table.counts.size(); ++i) {
    if (table.counts[i] < 0) {
      invalid("counts", "negative count in row \"" + table.rows[i / table.columns.size()] +
                            "\", column \"" + table.columns[i % table.columns.size()] + "\"");
    }
  }
}

}  // namespace ctip::flows::stats
