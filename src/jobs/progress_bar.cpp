#include "jobs/progress_bar.h"

#include <unistd.h>

#include <algorithm>

namespace ctip::jobs {

std::string group_thousands(int64_t n) {
  uint64_t magnitude = n < 0 ? static_cast<uint64_t>(-(n + 1)) + 1 : static_cast<uint64_t>(n);
  std::string digits = std::to_string(magnitude);
  std::string out;
  int count = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (count > 0 && count % 3 == 0) out.push_back(',');
    out.push_back(*it);
    ++count;
  }
  if (n < 0) out.push_back('-');
  std::reverse(out.begin(), out.end());
  return out;
}

std::string render_progress(const Progress& p, std::string_view unit, int width) {
  width = std::max(width, 1);
  auto pc = percent(p);
  int filled = p.total > 0 ? static_cast<int>(std::min<__int128>(
                                 width, static_cast<__int128>(p.done) * width / p.total))
                           : 0;
  std::string line = "[" + std::string(filled, '#') + std::string(width - filled, ' ') + "]";
  if (pc) line += " " + std::to_string(*pc) + "%";
  line += " " + group_thousands(p.done);
  if (p.total > 0) line += "/" + group_thousands(p.total);
  if (!unit.empty()) line += " " + std::string(unit);
  if (!p.message.empty()) line += "  " + p.message;
  return line;
}

ProgressBar::ProgressBar(std::FILE* out, bool tty, std::chrono::milliseconds line_interval)
    : out_(out), tty_(tty), line_interval_(line_interval) {}

ProgressBar ProgressBar::on_stderr() { return ProgressBar(stderr, ::isatty(STDERR_FILENO) == 1); }

void ProgressBar::update(const Progress& p) { draw(p, false); }

void ProgressBar::finish(const Progress& p, std::string_view final_message) {
  draw(p, true);
  if (tty_ && drawn_) std::fputc('\n', out_);
  if (!final_message.empty())
    std::fprintf(out_, "%.*s\n", static_cast<int>(final_message.size()), final_message.data());
  std::fflush(out_);
  drawn_ = false;
}

void ProgressBar::draw(const Progress& p, bool force) {
  auto now = std::chrono::steady_clock::now();
  std::string line = render_progress(p, unit_);
  if (line == last_line_ && !force) return;
  auto interval = tty_ ? std::chrono::milliseconds(100) : line_interval_;
  if (!force && drawn_ && now - last_draw_ < interval) return;
  if (!tty_ && force && line == last_line_) return;  // already printed as the last line
  if (tty_)
    // Carriage return and "erase to end of line" (ECMA-48 EL, CSI K): redraw in place.
    std::fprintf(out_, "\r%s\x1b[K", line.c_str());
  else
    std::fprintf(out_, "%s\n", line.c_str());
  std::fflush(out_);
  last_line_ = std::move(line);
  last_draw_ = now;
  drawn_ = true;
}

}  // namespace ctip::jobs
