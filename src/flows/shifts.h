// Shift detection over case records (issue #9 item 3): the series ctip tests between a baseline
// and a comparison period, built from a RecordTable under a filter, and tested together by
// stats::detect_shifts (one Benjamini–Hochberg adjustment across all of them); and changepoints
// along the yearly record counts. Pure.
//
// The series:
//   domestic_share   the domestic share overall and per country of exploitation (share)
//   category_share   each form of exploitation's share of the records with a known form (share)
//   corridor_count   records per year on each corridor, citizenship -> exploitation (rate)
//   records          records per year per country of exploitation (rate)
// A series with too few records is reported as such (stats::Verdict::too_few_records), never
// flagged. Changepoints: the yearly record counts overall and per country of exploitation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json_input.h"
#include "flows/aggregate.h"
#include "flows/stats/changepoint.h"
#include "flows/stats/shift.h"

namespace ctip::flows {

struct ShiftSeries {
  std::string kind;  // "domestic_share", "category_share", "corridor_count", "records"
  stats::SeriesCounts counts;
};

struct ShiftReport {
  stats::ShiftCriteria criteria;
  std::vector<ShiftSeries> series;
  std::vector<stats::ShiftResult> results;  // in the order of `series`
  std::vector<stats::Changepoint> changepoints;
  std::vector<std::string> changepoint_labels;  // the series each changepoint belongs to
};

// `filter`'s year bounds, when given, narrow the records before the periods are applied.
// `partial_year` (the current year, whose registrations are still coming in) is left out of the
// changepoint series: its count is not a level. Yearly series run over the years the filtered
// data have records in; a year without any record at all is not reported, so it is not a zero.
ShiftReport find_shifts(const RecordTable& table, const Filter& filter,
                        const stats::ShiftCriteria& criteria = {},
                        std::optional<int> partial_year = {});

// "2017-2019" -> {2017, 2019}; a single year "2020" -> {2020, 2020}. Error(invalid_argument)
// naming `field` otherwise, or when the years are outside kFirstYear..kLastYear.
stats::Period parse_period(std::string_view text, std::string_view field);

// {"baseline":{"first_year","last_year"},"compare":{...},"series","tested","shifts":[...],
//  "changepoints":[...]} (docs/openapi.yaml FlowShifts): flagged shifts first, then by q-value;
// series with too few records last.
Json to_json(const ShiftReport& report);

// "ForcedLabour" -> "forced labour", "SexualExploit" -> "sexual exploitation": a category of
// record.h categories() as words.
std::string category_words(std::string_view category);

}  // namespace ctip::flows
