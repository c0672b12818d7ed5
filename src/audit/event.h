// What the audit log records: who did what to which object, and how it ended.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ctip::audit {

struct Event {
  std::optional<int64_t> actor_user_id;  // absent for anonymous (failed login) or system
  std::string actor;                     // username, "anonymous" or "system"
  std::optional<int64_t> org_id;         // the actor's organisation
  std::string action;                    // e.g. "session.login", "screenings.read"
  std::string object_type;               // e.g. "user", "screening", "export"
  std::string object_id;                 // an id, never a name or other personal data
  std::string outcome;                   // "success", "denied", "failure"
  // How many occurrences this entry stands for when repeated failures from one source were
  // folded into it (record_failure); absent means one.
  std::optional<int64_t> occurrences = std::nullopt;
};
// append() and record() refuse (Error invalid_argument, naming the field) an Event without an
// actor or action, or with an outcome other than these three (served by GET /api/v1/meta).
inline constexpr std::array<std::string_view, 3> kOutcomes = {"success", "denied", "failure"};

}  // namespace ctip::audit
