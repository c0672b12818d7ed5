// Screening routes (issue #3): filled in once src/screen lands.
#include "server/api.h"

namespace ctip::server {
std::vector<Route> screen_routes() { return {}; }
}  // namespace ctip::server
