#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace ctip {

// Milliseconds since the Unix epoch, UTC, from the system clock. Code whose behaviour depends
// on time (session expiry, login throttling, audit timestamps) takes a Clock instead, so that
// tests move time forward rather than sleep (issue #6, item 8).
int64_t now_ms();
// RFC 3339 / ISO 8601 UTC with milliseconds: 2026-11-28T12:00:00.000Z
std::string format_time(int64_t ms);
std::string now_iso();

// The seam between time-dependent code and the time.
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual int64_t now_ms() const = 0;
  std::string now_iso() const { return format_time(now_ms()); }
};

// The process-wide system clock (thread-safe, lives for the whole program).
const Clock& system_clock();

// A clock that moves only when told to; safe to read from several threads.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'800'000'000'000) : ms_(start_ms) {}
  int64_t now_ms() const override { return ms_.load(); }
  void advance(int64_t ms) { ms_ += ms; }
  void set(int64_t ms) { ms_ = ms; }

 private:
  std::atomic<int64_t> ms_;
};

}  // namespace ctip
