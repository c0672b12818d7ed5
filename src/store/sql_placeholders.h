// `?` placeholders to PostgreSQL's $1, $2, ... (internal to src/store, tested in store_test).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ctip::store::detail {

// Numbers the `?` of sql outside string literals ('...', with '' inside), quoted identifiers
// ("...") and comments (-- and /* */). Throws Error(internal) when the count differs from
// `expected`, as SQLite's bind does. Not handled: dollar-quoted strings and E'...' escapes,
// which ctip's SQL does not use.
std::string numbered_placeholders(std::string_view sql, size_t expected);

}  // namespace ctip::store::detail
