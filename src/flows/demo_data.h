// A generated CTDC-format file for `ctip demo` and tests: nothing in it is real. Corridors are
// drawn from a fixed list with weights; from 2020 the domestic share rises and forced labour
// grows, as the pandemic's flow impacts describe (issue #9), so the shift list and the trend
// have something real to find. The file is as messy as real ones: a terms-of-use first column,
// flags written 0/1, 0.0/1.0 and -99, citizenship "0" or "-99" for unknown.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ctip::flows {

// `records` rows registered 2015-2023, reproducible from `seed`.
std::string demo_ctdc_csv(size_t records, uint64_t seed = 2020);

}  // namespace ctip::flows
