#include "flows/stats/suppression.h"

#include <glpk.h>

#include <cmath>
#include <limits>
#include <memory>

#include "core/error.h"

namespace ctip::flows::stats {
namespace {

// A row or column equation of the table with margins: its cells and their signs (+1 for the
// cells that add up, -1 for the total they add up to).
struct Line {
  std::vector<std::pair<size_t, size_t>> cells;
  std::vector<int> signs;
};

std::vector<Line> lines_of(size_t rows, size_t columns) {
  std::vector<Line> lines;
  for (size_t r = 0; r < rows; ++r) {
    Line line;
    for (size_t c = 0; c < columns; ++c) {
      line.cells.emplace_back(r, c);
      line.signs.push_back(c + 1 == columns ? -1 : 1);
    }
    lines.push_back(std::move(line));
  }
  for (size_t c = 0; c < columns; ++c) {
    Line line;
    for (size_t r = 0; r < rows; ++r) {
      line.cells.emplace_back(r, c);
      line.signs.push_back(r + 1 == rows ? -1 : 1);
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

int64_t width_required(const SuppressionRule& rule) {
  return rule.protection_width > 0 ? rule.protection_width : rule.k;
}

// What suppressing a published cell costs in information: its value, margins dearer than
// inner cells (readers use the totals most), zeros last (suppressing an empty cell hides
// nothing an intruder could not guess when zeros are structural).
double suppression_cost(const SuppressedTable& t, size_t r, size_t c) {
  const double value = static_cast<double>(t.true_value(r, c));
  double cost = value == 0 ? 1e15 : value;
  if (r + 1 == t.rows() || c + 1 == t.columns()) cost += 1e12;
  return cost;
}

// The cheapest published cell among `candidates`, or false when none is published.
bool cheapest(const SuppressedTable& t, const std::vector<std::pair<size_t, size_t>>& candidates,
              std::pair<size_t, size_t>& chosen) {
  double best = std::numeric_limits<double>::infinity();
  bool found = false;
  for (const auto& [r, c] : candidates) {
    if (t.status(r, c) != CellStatus::published) continue;
    const double cost = suppression_cost(t, r, c);
    if (cost < best) {
      best = cost;
      chosen = {r, c};
      found = true;
    }
  }
  return found;
}

// Until no row or column has exactly one suppressed cell (which its total would give away).
void complete_lines(SuppressedTable& t, const std::vector<Line>& lines) {
  bool changed = true;
  while (changed) {
    changed = false;
    for (const Line& line : lines) {
      int suppressed = 0;
      for (const auto& [r, c] : line.cells) suppressed += t.status(r, c) != CellStatus::published;
      std::pair<size_t, size_t> partner;
      if (suppressed == 1 && cheapest(t, line.cells, partner)) {
        t.suppress_cell(partner.first, partner.second, CellStatus::secondary);
        changed = true;
      }
    }
  }
}

// GLPK keeps an environment per thread, made at its first use (glp_init_env) and kept until
// glp_free_env: each of the server's worker threads would hold one for the life of the process
// (LeakSanitizer reports it). Declared first in solve_intervals, so that it is destroyed after
// every problem of the call.
struct GlpkEnvironment {
  GlpkEnvironment() = default;
  GlpkEnvironment(const GlpkEnvironment&) = delete;
  GlpkEnvironment& operator=(const GlpkEnvironment&) = delete;
  ~GlpkEnvironment() { glp_free_env(); }
};

struct LinearProgram {
  std::unique_ptr<glp_prob, decltype(&glp_delete_prob)> lp{glp_create_prob(), &glp_delete_prob};
};

std::vector<CellInterval> solve_intervals(const SuppressedTable& t, bool protection_only);

}  // namespace

SuppressedTable::SuppressedTable(const CountTable& table, SuppressionRule rule)
    : row_labels_(table.rows), column_labels_(table.columns), rule_(rule) {
  validate(table);
  const size_t rs = table.rows.size();
  const size_t cs = table.columns.size();
  values_.assign((rs + 1) * (cs + 1), 0);
  status_.assign(values_.size(), CellStatus::published);
  for (size_t r = 0; r < rs; ++r) {
    for (size_t c = 0; c < cs; ++c) {
      const int64_t v = table.count(r, c);
      values_[index(r, c)] = v;
      values_[index(r, cs)] += v;
      values_[index(rs, c)] += v;
      values_[index(rs, cs)] += v;
    }
  }
}

std::optional<int64_t> SuppressedTable::published(size_t row, size_t column) const {
  if (status(row, column) != CellStatus::published) return std::nullopt;
  return true_value(row, column);
}

size_t SuppressedTable::suppressed_count() const {
  size_t n = 0;
  for (CellStatus s : status_) n += s != CellStatus::published;
  return n;
}

void SuppressedTable::suppress_cell(size_t row, size_t column, CellStatus why) {
  if (status_[index(row, column)] == CellStatus::published) status_[index(row, column)] = why;
}

nlohmann::json SuppressedTable::to_json() const {
  auto cell = [&](size_t r, size_t c) -> nlohmann::json {
    const auto v = published(r, c);
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  const size_t rs = row_labels_.size();
  const size_t cs = column_labels_.size();
  nlohmann::json cells = nlohmann::json::array();
  nlohmann::json row_totals = nlohmann::json::array();
  nlohmann::json column_totals = nlohmann::json::array();
  for (size_t r = 0; r < rs; ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (size_t c = 0; c < cs; ++c) row.push_back(cell(r, c));
    cells.push_back(std::move(row));
    row_totals.push_back(cell(r, cs));
  }
  for (size_t c = 0; c < cs; ++c) column_totals.push_back(cell(rs, c));
  return {{"k", rule_.k},
          {"rows", row_labels_},
          {"columns", column_labels_},
          {"cells", std::move(cells)},
          {"row_totals", std::move(row_totals)},
          {"column_totals", std::move(column_totals)},
          {"grand_total", cell(rs, cs)}};
}

SuppressedTable primary_suppression(const CountTable& table, const SuppressionRule& rule) {
  if (rule.k < 2) invalid("k", "k must be at least 2 (a threshold of 1 suppresses nothing)");
  if (rule.protection_width < 0) {
    invalid("protection_width", "protection_width must not be negative");
  }
  SuppressedTable t(table, rule);
  for (size_t r = 0; r < t.rows(); ++r) {
    for (size_t c = 0; c < t.columns(); ++c) {
      const int64_t v = t.true_value(r, c);
      if ((v >= 1 && v < rule.k) || (v == 0 && rule.suppress_zeros)) {
        t.suppress_cell(r, c, CellStatus::primary);
      }
    }
  }
  return t;
}

SuppressedTable suppress(const CountTable& table, const SuppressionRule& rule) {
  SuppressedTable t = primary_suppression(table, rule);
  const std::vector<Line> lines = lines_of(t.rows(), t.columns());
  for (;;) {
    complete_lines(t, lines);
    bool all_protected = true;
    for (const CellInterval& cell : solve_intervals(t, true)) {
      if (cell.is_protected) continue;
      all_protected = false;
      // Widen the failing cell's interval: hide the cheapest published cell of its row or
      // column (complete_lines then pairs it), else the cheapest published cell anywhere; then
      // audit again.
      std::vector<std::pair<size_t, size_t>> near;
      near.reserve(t.columns() + t.rows());
      for (size_t c = 0; c < t.columns(); ++c) near.emplace_back(cell.row, c);
      for (size_t r = 0; r < t.rows(); ++r) near.emplace_back(r, cell.column);
      std::pair<size_t, size_t> chosen;
      if (!cheapest(t, near, chosen)) {
        std::vector<std::pair<size_t, size_t>> everywhere;
        everywhere.reserve(t.rows() * t.columns());
        for (size_t r = 0; r < t.rows(); ++r) {
          for (size_t c = 0; c < t.columns(); ++c) everywhere.emplace_back(r, c);
        }
        if (!cheapest(t, everywhere, chosen)) {
          // Everything is suppressed: nothing is published that could bound a cell.
          throw Error(ErrorCode::internal, "suppression audit failed with every cell suppressed");
        }
      }
      t.suppress_cell(chosen.first, chosen.second, CellStatus::secondary);
    }
    if (all_protected) return t;
  }
}

std::vector<CellInterval> audit(const SuppressedTable& t) { return solve_intervals(t, false); }

namespace {

// The feasible interval of every hidden cell (see audit()). With `protection_only`, what
// suppress() needs and no more: secondary cells are not bounded, and a primary cell's minimum is
// not solved when its maximum already lies at least the protection width above its true value
// (the minimum is at most the true value), which halves the linear programs. The result is
// then only good for is_protected; audit() always solves both bounds.
std::vector<CellInterval> solve_intervals(const SuppressedTable& t, bool protection_only) {
  const GlpkEnvironment environment;
  std::vector<CellInterval> intervals;
  std::vector<int> variable(t.rows() * t.columns(), 0);  // 1-based GLPK column, 0: published
  for (size_t r = 0; r < t.rows(); ++r) {
    for (size_t c = 0; c < t.columns(); ++c) {
      if (t.status(r, c) == CellStatus::published) continue;
      intervals.push_back({r, c, t.status(r, c), 0, std::nullopt, true});
      variable[r * t.columns() + c] = static_cast<int>(intervals.size());
    }
  }
  if (intervals.empty()) return intervals;

  glp_term_out(GLP_OFF);
  LinearProgram program;
  glp_prob* lp = program.lp.get();
  glp_add_cols(lp, static_cast<int>(intervals.size()));
  for (int j = 1; j <= static_cast<int>(intervals.size()); ++j) {
    glp_set_col_bnds(lp, j, GLP_LO, 0.0, 0.0);  // counts are non-negative
  }
  // One equality per row and column that holds a suppressed cell: its suppressed cells, with
  // their signs, equal minus the signed sum of its published cells.
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  for (const Line& line : lines_of(t.rows(), t.columns())) {
    double known = 0;
    std::vector<std::pair<int, int>> terms;
    for (size_t i = 0; i < line.cells.size(); ++i) {
      const auto [r, c] = line.cells[i];
      const int j = variable[r * t.columns() + c];
      if (j == 0) {
        known += line.signs[i] * static_cast<double>(t.true_value(r, c));
      } else {
        terms.emplace_back(j, line.signs[i]);
      }
    }
    if (terms.empty()) continue;
    const int row = glp_add_rows(lp, 1);
    glp_set_row_bnds(lp, row, GLP_FX, -known, -known);
    for (const auto& [j, sign] : terms) {
      ia.push_back(row);
      ja.push_back(j);
      ar.push_back(sign);
    }
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

  glp_smcp parameters;
  glp_init_smcp(&parameters);
  parameters.msg_lev = GLP_MSG_OFF;
  int objective = 0;  // the cell being bounded; the basis carries over from the last solve
  auto solve = [&](int j, int direction) -> std::optional<double> {
    if (objective != j) {
      if (objective != 0) glp_set_obj_coef(lp, objective, 0.0);
      glp_set_obj_coef(lp, j, 1.0);
      objective = j;
    }
    glp_set_obj_dir(lp, direction);
    if (glp_simplex(lp, &parameters) != 0) {
      throw Error(ErrorCode::internal, "the suppression audit's linear program failed");
    }
    const int status = glp_get_status(lp);
    if (status == GLP_UNBND) return std::nullopt;
    if (status != GLP_OPT) {
      throw Error(ErrorCode::internal, "the suppression audit's linear program has no optimum");
    }
    return glp_get_obj_val(lp);
  };
  const int64_t width = width_required(t.rule());
  for (int j = 1; j <= static_cast<int>(intervals.size()); ++j) {
    CellInterval& cell = intervals[static_cast<size_t>(j - 1)];
    if (protection_only && cell.status != CellStatus::primary) continue;
    const auto high = solve(j, GLP_MAX);
    if (high) cell.upper = std::llround(*high);
    if (protection_only &&
        (!cell.upper || *cell.upper - t.true_value(cell.row, cell.column) >= width)) {
      continue;  // protected whatever the minimum
    }
    const auto low = solve(j, GLP_MIN);
    cell.lower = low ? std::llround(*low) : 0;
    cell.is_protected =
        cell.status != CellStatus::primary || !cell.upper || *cell.upper - cell.lower >= width;
  }
  return intervals;
}

}  // namespace

}  // namespace ctip::flows::stats
