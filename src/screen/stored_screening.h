// A screening as the store keeps it (issue #7 item 8): its answers, compressed, and what the
// engine needs to evaluate them again — instrument kind, requested profile, age, may_be_minor,
// language and the rule version — but not the rendered result (about 30-50 KB of explanation
// per screening). The result is recomputed on read: the engine is pure and versioned, so the
// same input and the same instrument and rule versions give the same result. Pure: no store.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_input.h"  // ctip::Json

namespace ctip::screen {

// What the store holds of a screening's evaluation.
struct StoredEvaluation {
  std::string instrument;                        // "full" or "screener"
  std::optional<std::string> requested_profile;  // as the request gave it; none: routed
  std::optional<int64_t> age;                    // none: "unknown"
  bool may_be_minor = false;
  Json answers;
  std::string language;
  std::string rule_version;
};

// The answers as stored: "z1:" + base64 of their raw-DEFLATE-compressed JSON (RFC 1951; about
// 900 bytes for a fully answered 67-indicator instrument, 2.2 KB as JSON). A stored value that
// starts with '{' is plain JSON, as rows written before the compact format keep it.
std::string pack_answers(const Json& answers);
// Throws Error(integrity) on a value that is neither.
Json unpack_answers(std::string_view stored);

// The result the engine gives for the stored evaluation: to_json(evaluate(...)) with the
// stored rule version, exactly as when the screening was created.
Json recompute_result(const StoredEvaluation& e);

}  // namespace ctip::screen
