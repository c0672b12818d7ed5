// Tables for publication (issue #9 item 4): the corridor matrix as a table of counts, and the
// published forms of a k-suppressed or differentially private release — JSON for the API and
// the store, CSV for download. Pure: the ledger and the audit are the service's.
#pragma once

#include <string>

#include "core/json_input.h"
#include "flows/aggregate.h"
#include "flows/stats/count_table.h"
#include "flows/stats/private_release.h"
#include "flows/stats/suppression.h"

namespace ctip::flows {

// Citizenship (rows) x country of exploitation (columns), ISO alpha-3 labels in code order,
// from the records where both are known. Countries met only with a zero row or column are not
// listed.
stats::CountTable corridor_table(const RecordTable& table, const Filter& filter = {});

// {"table":"corridors","method":"k","k","rows","columns","cells","status","row_totals",
//  "column_totals","grand_total","suppressed"}: null where suppressed, and each cell's status
// ("published", "primary", "secondary"). Never a suppressed value.
Json published_json(const stats::SuppressedTable& table);
// The same shape for a private release: noisy counts, every status "published", plus
// "mechanism", "epsilon", "sensitivity" and "scale".
Json published_json(const stats::PrivateRelease& release);

// The published table (either form above) in long form for download:
// citizenship,exploitation,count,status; the margins carry "TOTAL" in the other column; a
// suppressed cell has an empty count and status "suppressed".
std::string published_csv(const Json& published);

}  // namespace ctip::flows
