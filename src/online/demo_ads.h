// A generated ads file (CSV: id,title,body,posted_at,city,site,phone) for `ctip demo`, the route
// probes and tests: nothing in it is real. Organised networks post one template with a name, an
// age and a city in the slots, rotate two or three phones (some written obfuscated) and move
// between cities week by week with "new in town" wording; independent posters write in the first
// person with their own number in one city and reuse common boilerplate; a few dozen of them
// print one shared booking line, which must be reported as too common, not linked through.
// Reproducible from the seed (bench/gen_ads.py is the large generator with ground truth).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ctip::online {

// About `ads` rows (networks of 15-60 ads, the rest independent posters).
std::string demo_ads_csv(size_t ads, uint64_t seed = 10);

}  // namespace ctip::online
