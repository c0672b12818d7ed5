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
  // Where the request came from: the client's IP address for the API, "cli" for an operator at
  // the command line; empty for the log's own events (recorded as absent).
  std::string client_address = {};
  // What a read returned when it returned several objects, as JSON, e.g. {"ids":[3,7,12]} for
  // a list of screenings (ids only, never personal data); absent for one object.
  std::optional<std::string> details = std::nullopt;
};
// append() and record() refuse (Error invalid_argument, naming the field) an Event without an
// actor or action, or with an outcome other than these three (served by GET /api/v1/meta).
inline constexpr std::array<std::string_view, 3> kOutcomes = {"success", "denied", "failure"};

}  // namespace ctip::audit
