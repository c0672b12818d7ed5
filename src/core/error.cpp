#include "core/error.h"

namespace ctip {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::unauthenticated:
      return "unauthenticated";
    case ErrorCode::permission_denied:
      return "permission_denied";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::payload_too_large:
      return "payload_too_large";
    case ErrorCode::unsupported_media:
      return "unsupported_media_type";
    case ErrorCode::too_many_requests:
      return "too_many_requests";
    case ErrorCode::integrity:
      return "integrity_error";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return 400;
    case ErrorCode::unauthenticated:
      return 401;
    case ErrorCode::permission_denied:
      return 403;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::conflict:
      return 409;
    case ErrorCode::payload_too_large:
      return 413;
    case ErrorCode::unsupported_media:
      return 415;
    case ErrorCode::too_many_requests:
      return 429;
    case ErrorCode::integrity:
      return 500;
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

}  // namespace ctip
