// The password policy (issue #7), after NIST SP 800-63B §5.1.1.2: at least 12 characters (the
// issue's figure; NIST asks at least 8), at most 1024 bytes (Argon2 input stays bounded), and
// refused when it is a common password (data/passwords/common.txt, a listed word with digits or
// symbols around it, or repeated), repetitive or sequential characters (`aaaaaaaaaaaa`,
// `123456789012`, `abababababab`), or contains the username. No composition rules (NIST: they
// do not help). Applied wherever a password is set: user creation and password change (the
// account service, so the API, `ctip users` and demo seeding alike).
#pragma once

#include <cstddef>
#include <string_view>

namespace ctip::auth {

inline constexpr size_t kMinPasswordChars = 12;  // Unicode code points, not bytes
inline constexpr size_t kMaxPasswordBytes = 1024;

// Throws Error(invalid_argument) naming "password", with a message saying what to change.
void check_password_policy(std::string_view password, std::string_view username);

// Whether the list (or a listed word with digits or symbols around it, or repeated) holds the
// password, compared in lower case.
bool is_common_password(std::string_view password);

}  // namespace ctip::auth
