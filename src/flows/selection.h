// A Filter compiled against one table (aggregate.h): the region as a set of countries, the
// source as an index; keeps(i) says whether record i passes. Shared by the aggregates and the
// shift series (shifts.cpp). Internal to src/flows.
#pragma once

#include <algorithm>
#include <string>

#include "core/error.h"
#include "flows/aggregate.h"
#include "flows/regions.h"

namespace ctip::flows {

class Selection {
 public:
  Selection(const RecordTable& t, const Filter& f) : t_(t), f_(f) {
    if (f.region) region_ = countries_in_region(*f.region);
    if (f.source) {
      const auto& s = t.sources();
      auto it = std::find(s.begin(), s.end(), *f.source);
      source_ = it == s.end() ? -1 : static_cast<int>(it - s.begin());  // -1: keeps nothing
    }
    check_years_ = f.year_from || f.year_to;
    from_ = f.year_from.value_or(-32768);
    to_ = f.year_to.value_or(32767);
    if (f.year_from && f.year_to && *f.year_from > *f.year_to)
      invalid("from", "the year range is empty: from " + std::to_string(*f.year_from) +
                          " is after to " + std::to_string(*f.year_to));
  }

  bool keeps(size_t i) const {
    if (check_years_) {
      int y = t_.year[i];
      if (y == 0 || y < from_ || y > to_) return false;
    }
    if (f_.sex && t_.sex[i] != *f_.sex) return false;
    if (f_.age) {
      AgeGroup a = t_.age[i];
      if (*f_.age == AgeGroup::minor) {
        if (!is_minor(a)) return false;
      } else if (*f_.age == AgeGroup::adult) {
        if (a == AgeGroup::unknown || is_minor(a)) return false;
      } else if (a != *f_.age) {
        return false;
      }
    }
    if (f_.source && static_cast<int>(t_.source[i]) != source_) return false;
    if (f_.country && t_.citizenship[i] != *f_.country && t_.exploitation[i] != *f_.country)
      return false;
    if (f_.region && !region_.test(t_.citizenship[i]) && !region_.test(t_.exploitation[i]))
      return false;
    return true;
  }

 private:
  const RecordTable& t_;
  const Filter& f_;
  CountrySet region_;
  int source_ = 0;
  bool check_years_ = false;
  int from_ = 0, to_ = 0;
};

}  // namespace ctip::flows
