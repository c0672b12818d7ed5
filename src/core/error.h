// One error type for all of ctip: a code a program can branch on and a message a person can
// act on. At the HTTP boundary it becomes {"error":{"code","message"}} with a status; at the
// CLI boundary a line on stderr and a non-zero exit (STYLE.md §5).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace ctip {

enum class ErrorCode {
  invalid_argument,   // bad input: names the field or line (HTTP 400, CLI exit 2)
  unauthenticated,    // no or expired session, bad credentials (401)
  permission_denied,  // authenticated but not allowed (403)
  not_found,          // (404)
  conflict,           // e.g. a username that exists (409)
  payload_too_large,  // (413)
  unsupported_media,  // wrong content type (415)
  too_many_requests,  // login throttling (429)
  integrity,          // store or audit log failed a check (500 / CLI exit 1)
  internal,           // a bug or an environment failure (500)
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message, std::string field = {})
      : std::runtime_error(message), code_(code), field_(std::move(field)) {}
  ErrorCode code() const { return code_; }
  // The input field or line the error is about, when there is one.
  const std::string& field() const { return field_; }

 private:
  ErrorCode code_;
  std::string field_;
};

std::string_view to_string(ErrorCode code);
int http_status(ErrorCode code);

// Shorthand for the most common case: bad input in a named field.
[[noreturn]] inline void invalid(std::string field, const std::string& message) {
  throw Error(ErrorCode::invalid_argument, message, std::move(field));
}

}  // namespace ctip
