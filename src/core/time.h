#pragma once

#include <cstdint>
#include <string>

namespace ctip {

// Milliseconds since the Unix epoch, UTC.
int64_t now_ms();
// RFC 3339 / ISO 8601 UTC with milliseconds: 2026-11-28T12:00:00.000Z
std::string format_time(int64_t ms);
std::string now_iso();

}  // namespace ctip
