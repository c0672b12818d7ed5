#include "jobs/count_lines.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace ctip::jobs {

Kind count_lines_kind(CountLinesOptions options) {
  auto run = [options](JobContext& ctx) {
    std::vector<char> buf(std::max<size_t>(options.block_bytes, 1));
    int64_t lines = 0;
    int64_t bytes = 0;
    char last = '\n';
    auto& in = ctx.input();
    while (in) {
      ctx.throw_if_cancelled();
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      auto n = static_cast<size_t>(in.gcount());
      if (n == 0) break;
      lines += std::count(buf.data(), buf.data() + n, '\n');
      bytes += static_cast<int64_t>(n);
      last = buf[n - 1];
      ctx.report_progress(bytes, ctx.input_size(), std::to_string(lines) + " lines");
      if (options.pause_per_block.count() > 0) std::this_thread::sleep_for(options.pause_per_block);
    }
    if (last != '\n') ++lines;
    ctx.throw_if_cancelled();
    ctx.report_progress(bytes, ctx.input_size(), std::to_string(lines) + " lines");
    ctx.set_result({{"lines", lines}, {"bytes", bytes}});
  };
  return {"count_lines", "bytes", "Counts the lines of the input (a demonstration)", run};
}

}  // namespace ctip::jobs
