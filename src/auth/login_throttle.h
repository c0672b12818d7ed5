// Login throttling that cannot be turned against the owner (issue #7; NIST SP 800-63B §5.2.2,
// OWASP Authentication Cheat Sheet). Failures are counted per (username, client address) and
// per client address, never per username alone: wrong passwords sent from one address delay
// only that address, and the right password from another address is always tried. Past a few
// free failures each further one doubles the delay before the next attempt from that key
// (30 s, 1 min, 2 min, ... up to 15 minutes), so one address gets about a dozen guesses at an
// account in the first hour and then one every 15 minutes; an owner who mistyped five times
// waits 30 s. A key is forgotten after an hour
// without failures, or after a success for (username, address).
//
// In memory only: a restart clears it. The memory is bounded (kMaxTracked keys per kind): when
// full, the least recently failing key is forgotten, never everyone at once, so a flood of
// made-up usernames or addresses cannot lift the throttle on the key it is really aimed at (that
// key fails often, so it stays recent).
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/time.h"

namespace ctip::auth {

class LoginThrottle {
 public:
  static constexpr int kMaxFailures = 5;            // free failures per (username, address)
  static constexpr int kMaxAddressFailures = 20;    // free failures per address (offices share NAT)
  static constexpr int64_t kFirstDelayMs = 30'000;  // after the free failures; doubles each time
  static constexpr int64_t kMaxDelayMs = int64_t{15} * 60 * 1000;
  static constexpr int64_t kForgetMs = int64_t{60} * 60 * 1000;  // quiet time that clears a key
  static constexpr size_t kMaxTracked = 100'000;                 // per kind (pairs, addresses)

  LoginThrottle() : LoginThrottle(system_clock()) {}
  explicit LoginThrottle(const Clock& clock, size_t max_tracked = kMaxTracked)
      : clock_(clock), pairs_(max_tracked), addresses_(max_tracked) {}
  // Milliseconds to wait, or 0 when an attempt may proceed.
  int64_t retry_after_ms(const std::string& username, const std::string& address);
  void failed(const std::string& username, const std::string& address);
  // Clears (username, address); the address's own count stays, so that an attacker's own
  // account cannot reset the count of the address guessing at others.
  void succeeded(const std::string& username, const std::string& address);
  // Keys currently remembered (pairs + addresses), for tests and monitoring.
  size_t tracked();
  // The delay after `failures` failures of a key whose limit is `free_failures`.
  static int64_t delay_after(int failures, int free_failures);

 private:
  struct Window {
    int64_t last = 0;  // time of the last failure
    int failures = 0;
  };
  // Failure counts by key, least recently failing first, at most `capacity` of them.
  class Windows {
   public:
    explicit Windows(size_t capacity) : capacity_(capacity) {}
    int64_t wait(const std::string& key, int free_failures, int64_t now);
    void bump(const std::string& key, int64_t now);
    void erase(const std::string& key);
    size_t size() const { return index_.size(); }

   private:
    using Order = std::list<std::pair<std::string, Window>>;
    size_t capacity_;
    Order order_;  // least recently bumped first
    std::unordered_map<std::string, Order::iterator> index_;
  };
  const Clock& clock_;
  std::mutex mu_;
  Windows pairs_;      // key: username '\n' address
  Windows addresses_;  // key: address
};

}  // namespace ctip::auth
