#include "auth/login_throttle.h"

#include <algorithm>

namespace ctip::auth {
namespace {
std::string pair_key(const std::string& username, const std::string& address) {
  return username + '\n' + address;
}
}  // namespace

int64_t LoginThrottle::delay_after(int failures, int free_failures) {
  if (failures < free_failures) return 0;
  const int doublings = std::min(failures - free_failures, 30);
  return std::min(kFirstDelayMs << doublings, kMaxDelayMs);
}

int64_t LoginThrottle::Windows::wait(const std::string& key, int free_failures, int64_t now) {
  auto it = index_.find(key);
  if (it == index_.end()) return 0;
  const Window& w = it->second->second;
  if (now - w.last >= kForgetMs) {
    erase(key);
    return 0;
  }
  return std::max<int64_t>(0, w.last + delay_after(w.failures, free_failures) - now);
}

void LoginThrottle::Windows::bump(const std::string& key, int64_t now) {
  auto it = index_.find(key);
  if (it == index_.end()) {
    if (index_.size() >= capacity_ && !order_.empty()) {
      index_.erase(order_.front().first);
      order_.pop_front();
    }
    order_.emplace_back(key, Window{now, 0});
    it = index_.emplace(key, std::prev(order_.end())).first;
  } else {
    order_.splice(order_.end(), order_, it->second);  // now the most recent
  }
  Window& w = it->second->second;
  if (now - w.last >= kForgetMs) w.failures = 0;
  w.last = now;
  ++w.failures;
}

void LoginThrottle::Windows::erase(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return;
  order_.erase(it->second);
  index_.erase(it);
}

int64_t LoginThrottle::retry_after_ms(const std::string& username, const std::string& address) {
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  return std::max(pairs_.wait(pair_key(username, address), kMaxFailures, now),
                  addresses_.wait(address, kMaxAddressFailures, now));
}

void LoginThrottle::failed(const std::string& username, const std::string& address) {
  const int64_t now = clock_.now_ms();
  std::lock_guard lock(mu_);
  pairs_.bump(pair_key(username, address), now);
  addresses_.bump(address, now);
}

void LoginThrottle::succeeded(const std::string& username, const std::string& address) {
  std::lock_guard lock(mu_);
  pairs_.erase(pair_key(username, address));
}

size_t LoginThrottle::tracked() {
  std::lock_guard lock(mu_);
  return pairs_.size() + addresses_.size();
}

}  // namespace ctip::auth
