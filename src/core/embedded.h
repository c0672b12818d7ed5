// Files compiled into the binary by cmake/embed.cmake (ctip_embed).
#pragma once

#include <string_view>
#include <vector>

namespace ctip::embedded {

struct File {
  std::string_view path;  // relative to the source tree, e.g. "data/permissions.json"
  std::string_view contents;
};

// Each function is defined by a generated source in the library that embeds it.
const std::vector<File>& migrations();   // src/<capability>/schema/*.sql (src/app)
const std::vector<File>& permissions();  // data/permissions.json
const std::vector<File>& instruments();  // data/instruments/*.json

}  // namespace ctip::embedded
