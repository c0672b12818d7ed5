#include "flows/stats/suppression.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "core/error.h"

namespace ctip::flows::stats {
namespace {

CountTable corridors() {
  return {{"UKR", "MDA", "ROU"}, {"POL", "DEU", "ITA"}, {5, 40, 30, 25, 35, 50, 60, 45, 20}};
}

const CellInterval* interval_of(const std::vector<CellInterval>& intervals, size_t r, size_t c) {
  for (const auto& i : intervals) {
    if (i.row == r && i.column == c) return &i;
  }
  return nullptr;
}

TEST(Suppression, ASingleSuppressedCellIsRecoveredFromItsRowTotal) {
  const SuppressedTable naive = primary_suppression(corridors());
  EXPECT_EQ(naive.suppressed_count(), 1u);
  const auto intervals = audit(naive);
  ASSERT_EQ(intervals.size(), 1u);
  EXPECT_EQ(intervals[0].lower, 5);
  ASSERT_TRUE(intervals[0].upper.has_value());
  EXPECT_EQ(*intervals[0].upper, 5);  // the intruder knows it exactly
  EXPECT_FALSE(intervals[0].is_protected);
}

TEST(Suppression, SecondarySuppressionProtectsIt) {
  const SuppressedTable t = suppress(corridors());
  EXPECT_EQ(t.status(0, 0), CellStatus::primary);
  EXPECT_GE(t.suppressed_count(), 4u);  // a cycle: two cells in each of two rows and columns
  const auto intervals = audit(t);
  const CellInterval* cell = interval_of(intervals, 0, 0);
  ASSERT_NE(cell, nullptr);
  EXPECT_TRUE(cell->is_protected);
  EXPECT_LE(cell->lower, 5);
  EXPECT_TRUE(!cell->upper || *cell->upper - cell->lower >= 11);
  for (const auto& i : intervals) EXPECT_TRUE(i.is_protected);

  const nlohmann::json published = t.to_json();
  EXPECT_TRUE(published["cells"][0][0].is_null());
  EXPECT_EQ(published["k"], 11);
  EXPECT_EQ(published["rows"][0], "UKR");
  EXPECT_EQ(published["grand_total"], 310);
}

TEST(Suppression, TheAuditSolvesACycleExactly) {
  // [[3, 50], [40, 60]] with all four inner cells hidden and the margins published:
  // a + b = 53, a + c = 43, c + d = 100, b + d = 110 leave a anywhere in [0, 43].
  SuppressedTable t(CountTable{{"A", "B"}, {"X", "Y"}, {3, 50, 40, 60}}, SuppressionRule{});
  t.suppress_cell(0, 0, CellStatus::primary);
  t.suppress_cell(0, 1, CellStatus::secondary);
  t.suppress_cell(1, 0, CellStatus::secondary);
  t.suppress_cell(1, 1, CellStatus::secondary);
  const auto intervals = audit(t);
  const CellInterval* a = interval_of(intervals, 0, 0);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->lower, 0);
  ASSERT_TRUE(a->upper);
  EXPECT_EQ(*a->upper, 43);
  const CellInterval* d = interval_of(intervals, 1, 1);
  EXPECT_EQ(d->lower, 57);
  EXPECT_EQ(*d->upper, 100);
}

TEST(Suppression, ANarrowCycleIsWidened) {
  // Hiding 3 with its small neighbours 4, 5 and 2 leaves it in [1, 7]: narrower than k.
  const CountTable small{{"A", "B", "C"}, {"X", "Y", "Z"}, {3, 4, 200, 5, 2, 300, 100, 100, 100}};
  const SuppressedTable t = suppress(small);
  for (const auto& i : audit(t)) {
    EXPECT_TRUE(i.is_protected) << i.row << "," << i.column;
  }
}

TEST(Suppression, SmallMarginsAreSuppressedToo) {
  // Row B adds up to 5: its total is as sensitive as its cells.
  const CountTable t{{"A", "B"}, {"X", "Y", "Z"}, {50, 60, 70, 2, 3, 0}};
  const SuppressedTable s = suppress(t);
  EXPECT_EQ(s.status(1, 3), CellStatus::primary);
  EXPECT_EQ(s.status(1, 2), CellStatus::published);  // zeros are published by default
  for (const auto& i : audit(s)) EXPECT_TRUE(i.is_protected);

  SuppressionRule zeros;
  zeros.suppress_zeros = true;
  EXPECT_EQ(primary_suppression(t, zeros).status(1, 2), CellStatus::primary);
}

TEST(Suppression, RefusesKBelowTwo) {
  SuppressionRule rule;
  rule.k = 1;
  try {
    suppress(corridors(), rule);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    EXPECT_EQ(e.field(), "k");
  }
  EXPECT_THROW(suppress(CountTable{{"A"}, {"X"}, {1, 2}}), Error);
}

// Random tables, many small cells among large ones: after suppress(), every cell and margin
// in 1..k-1 is hidden, no row or column has exactly one hidden cell, and the solver finds every
// hidden sensitive cell's interval at least k wide and containing its true value.
TEST(Suppression, RandomTablesPassTheIntervalAudit) {
  std::mt19937 random(20261201);
  int naive_unsafe_tables = 0;
  for (int trial = 0; trial < 60; ++trial) {
    const size_t rows = 2 + random() % 5;
    const size_t columns = 2 + random() % 5;
    CountTable table;
    for (size_t r = 0; r < rows; ++r) table.rows.push_back("r" + std::to_string(r));
    for (size_t c = 0; c < columns; ++c) table.columns.push_back("c" + std::to_string(c));
    for (size_t i = 0; i < rows * columns; ++i) {
      const int kind = static_cast<int>(random() % 10);
      table.counts.push_back(kind < 2 ? 0 : kind < 6 ? random() % 11 : random() % 300);
    }
    SuppressionRule rule;
    rule.k = trial % 3 == 0 ? 5 : 11;
    const SuppressedTable t = suppress(table, rule);
    for (size_t r = 0; r < t.rows(); ++r) {
      for (size_t c = 0; c < t.columns(); ++c) {
        const int64_t v = t.true_value(r, c);
        if (v >= 1 && v < rule.k) {
          EXPECT_EQ(t.status(r, c), CellStatus::primary) << trial;
        }
        if (t.status(r, c) == CellStatus::published) {
          EXPECT_EQ(t.published(r, c), v);
        }
      }
    }
    for (size_t r = 0; r < t.rows(); ++r) {
      size_t hidden = 0;
      for (size_t c = 0; c < t.columns(); ++c) hidden += t.status(r, c) != CellStatus::published;
      EXPECT_NE(hidden, 1u) << "trial " << trial << " row " << r;
    }
    for (size_t c = 0; c < t.columns(); ++c) {
      size_t hidden = 0;
      for (size_t r = 0; r < t.rows(); ++r) hidden += t.status(r, c) != CellStatus::published;
      EXPECT_NE(hidden, 1u) << "trial " << trial << " column " << c;
    }
    for (const auto& i : audit(t)) {
      const int64_t v = t.true_value(i.row, i.column);
      EXPECT_LE(i.lower, v);
      if (i.upper) {
        EXPECT_GE(*i.upper, v);
      }
      if (i.status == CellStatus::primary) {
        EXPECT_TRUE(!i.upper || *i.upper - i.lower >= rule.k) << "trial " << trial;
      }
    }
    // The same table with primary suppression alone: is some sensitive cell given away?
    bool naive_unsafe = false;
    for (const auto& i : audit(primary_suppression(table, rule))) naive_unsafe |= !i.is_protected;
    naive_unsafe_tables += naive_unsafe;
  }
  // The audit has teeth: most tables are not safe with primary suppression alone.
  EXPECT_GT(naive_unsafe_tables, 30);
}

}  // namespace
}  // namespace ctip::flows::stats
