// Disclosure control for publishing a table of counts (issue #9 item 4): primary suppression of
// cells below a threshold k (CTDC's k = 11), secondary suppression so that no suppressed cell
// can be recovered from the published cells and the row, column and grand totals, and the
// audit that proves it: each sensitive cell's feasible interval, solved as two linear programs
// (GLPK). The table is published with its margins; a margin below k is suppressed like a cell.
// See README.md for the protection rule.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "flows/stats/count_table.h"

namespace ctip::flows::stats {

struct SuppressionRule {
  int64_t k = 11;               // cells 1..k-1 are sensitive (CTDC's threshold); k >= 2
  bool suppress_zeros = false;  // zeros are published by default (README.md, "Zeros")
  // The least width (max - min) of a sensitive cell's feasible interval; 0 means k, so an
  // intruder cannot tell a suppressed cell from one that could have been published.
  int64_t protection_width = 0;
};

enum class CellStatus { published, primary, secondary };

// The table with its margins: (rows + 1) x (columns + 1) cells, the last row holding the column
// totals and the last column the row totals (the corner is the grand total).
class SuppressedTable {
 public:
  SuppressedTable(const CountTable& table, SuppressionRule rule);

  size_t rows() const { return row_labels_.size() + 1; }
  size_t columns() const { return column_labels_.size() + 1; }
  CellStatus status(size_t row, size_t column) const { return status_[index(row, column)]; }
  // The value to publish, or nullopt when suppressed.
  std::optional<int64_t> published(size_t row, size_t column) const;
  const SuppressionRule& rule() const { return rule_; }
  size_t suppressed_count() const;

  // The publishable form: {"k", "rows", "columns", "cells": [[n|null, ...], ...] (rows x
  // columns), "row_totals", "column_totals", "grand_total"}, null where suppressed. Never
  // contains a suppressed value.
  nlohmann::json to_json() const;

  // For the audit and tests only: the true value behind a cell (also when suppressed).
  int64_t true_value(size_t row, size_t column) const { return values_[index(row, column)]; }
  // Suppresses one more cell (as secondary); used by suppress() and by tests.
  void suppress_cell(size_t row, size_t column, CellStatus why);

 private:
  size_t index(size_t row, size_t column) const { return row * columns() + column; }

  std::vector<std::string> row_labels_;
  std::vector<std::string> column_labels_;
  std::vector<int64_t> values_;
  std::vector<CellStatus> status_;
  SuppressionRule rule_;
};

// Primary suppression only (every cell and margin in 1..k-1, and 0 when suppress_zeros):
// NOT safe to publish; exposed for tests and to show why secondary suppression is needed.
// Throws Error(invalid_argument, field "k") when k < 2.
SuppressedTable primary_suppression(const CountTable& table, const SuppressionRule& rule = {});

// Primary and secondary suppression, repeated until audit() finds no sensitive cell whose
// feasible interval is narrower than the protection width. Throws as primary_suppression.
SuppressedTable suppress(const CountTable& table, const SuppressionRule& rule = {});

// What an intruder can deduce about one suppressed cell from everything published.
struct CellInterval {
  size_t row = 0;
  size_t column = 0;
  CellStatus status = CellStatus::primary;
  int64_t lower = 0;
  std::optional<int64_t> upper;  // nullopt: unbounded
  bool is_protected = true;      // primary cells: width >= protection width; secondary: always
};

// Solves, for each suppressed cell, min and max of the cell subject to the published cells,
// the published totals, the additivity of every row and column and non-negativity (two LPs
// with GLPK; the constraint matrix of a table with margins is totally unimodular, so the LP
// bounds are the integer bounds). One entry per suppressed cell, row-major.
std::vector<CellInterval> audit(const SuppressedTable& table);

}  // namespace ctip::flows::stats
