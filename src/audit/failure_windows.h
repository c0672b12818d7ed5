// Folding repeated failures into one audit entry per source and window (issue #6 item 6): a
// password-guessing flood or a throttled client must not append one signed entry per attempt,
// yet the log must still say how many there were. A pure engine: the caller passes the time and
// records what it returns.
#pragma once

#include <cstdint>
#include <list>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/event.h"

namespace ctip::audit {

class FailureWindows {
 public:
  // A window that closed with failures beyond its first: `event` with occurrences = that many.
  struct Closed {
    Event event;
  };

  // Windows last `window_ms` from their first failure; at most `capacity` are open at once.
  FailureWindows(int64_t window_ms, size_t capacity);

  // Counts one failure of `event` under `key` (the source and the event, e.g. address,
  // username and action) at `now`. True when it opened a window: record `event` itself now.
  // Appends to `closed` the windows that ended by `now`, and the oldest one when a new window
  // needs its place.
  bool count(const std::string& key, const Event& event, int64_t now, std::vector<Closed>& closed);
  // Closes every open window.
  void close_all(std::vector<Closed>& closed);
  size_t open_windows() const { return index_.size(); }

 private:
  struct Window {
    std::string key;
    Event event;
    int64_t start = 0;
    int64_t more = 0;  // failures after the first
  };
  void close_front(std::vector<Closed>& closed);

  int64_t window_ms_;
  size_t capacity_;
  std::list<Window> order_;  // by start, oldest first
  std::unordered_map<std::string, std::list<Window>::iterator> index_;
};

}  // namespace ctip::audit
