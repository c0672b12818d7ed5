// A progress bar for long CLI work (a future `ctip flows import FILE`): on a terminal it
// redraws one line on stderr,
//   [############                  ] 42% 4,200/10,000 rows  read 4,200 rows
// and elsewhere (a log, CI) it prints a plain line now and then, so that a log is not
// flooded with redraws.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "jobs/job.h"

namespace ctip::jobs {

// 10000 -> "10,000"; -1234 -> "-1,234".
std::string group_thousands(int64_t n);
// The line without terminal control characters. `width` is the bar's inner width; a total of
// 0 (unknown) shows an empty bar and the count alone.
std::string render_progress(const Progress& p, std::string_view unit, int width = 30);

class ProgressBar {
 public:
  // `tty`: redraw in place (at most every 100 ms); otherwise one line per `line_interval`.
  ProgressBar(std::FILE* out, bool tty,
              std::chrono::milliseconds line_interval = std::chrono::seconds(5));
  // On stderr, redrawing when stderr is a terminal.
  static ProgressBar on_stderr();

  void set_unit(std::string unit) { unit_ = std::move(unit); }
  void update(const Progress& p);
  // Draws the final state and ends the line; then prints `final_message` when not empty.
  void finish(const Progress& p, std::string_view final_message = {});

 private:
  void draw(const Progress& p, bool force);
  std::FILE* out_;
  bool tty_;
  std::chrono::milliseconds line_interval_;
  std::string unit_;
  std::string last_line_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace ctip::jobs
