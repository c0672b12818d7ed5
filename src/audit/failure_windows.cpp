#include "audit/failure_windows.h"

namespace ctip::audit {

FailureWindows::FailureWindows(int64_t window_ms, size_t capacity)
    : window_ms_(window_ms), capacity_(capacity == 0 ? 1 : capacity) {}

void FailureWindows::close_front(std::vector<Closed>& closed) {
  Window& w = order_.front();
  if (w.more > 0) {
    Event e = w.event;
    e.occurrences = w.more;
    closed.push_back({std::move(e)});
  }
  index_.erase(w.key);
  order_.pop_front();
}

bool FailureWindows::count(const std::string& key, const Event& event, int64_t now,
                           std::vector<Closed>& closed) {
  // Windows open in time order, so the ended ones are at the front.
  while (!order_.empty() && now - order_.front().start >= window_ms_) close_front(closed);
  auto it = index_.find(key);
  if (it != index_.end()) {
    ++it->second->more;
    return false;
  }
  if (index_.size() >= capacity_) close_front(closed);
  order_.push_back({key, event, now, 0});
  index_.emplace(key, std::prev(order_.end()));
  return true;
}

void FailureWindows::close_all(std::vector<Closed>& closed) {
  while (!order_.empty()) close_front(closed);
}

}  // namespace ctip::audit
