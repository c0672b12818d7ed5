// The JSON form of the engine's results, one definition for `ctip flows ...` and the API
// (docs/openapi.yaml when the routes land). Countries are ISO 3166-1 alpha-3 codes; an interval
// count is {"lo","hi"}.
#pragma once

#include "core/json_input.h"
#include "flows/aggregate.h"
#include "flows/glotip.h"
#include "flows/import.h"

namespace ctip::flows {

// {"format","rows_read","imported","skipped","columns","ignored_columns","terms_of_use_column",
//  "sources","unknown_values":{column:[{"value","count"}]},"error_count","errors":[{"line",
//  "column","column_name","message"}]}
Json to_json(const ImportSummary& summary);
// [{"citizenship","exploitation","count"}]
Json corridors_json(const CorridorMatrix& m);
// {"records","unknown","unknown_citizenship","unknown_exploitation"}
Json corridors_basis_json(const CorridorMatrix& m);
// [{"year"|"country","domestic","total_known","unknown","share"}]
Json domestic_json(const DomesticShares& d);
// {"group","categories","records","unknown","unknown_year","years":[{"year","records","known",
//  "unknown","counts":{category:count}}]}
Json to_json(const CategoriesByYear& c);
Json to_json(const Count& c);  // {"lo","hi"}
// {"rows_read","imported","skipped","error_count","errors","malformed":[{"line","country",
//  "year","indicator","dimension","category","value"}],"unknown_values":{column:[...]}}
Json to_json(const GlotipSummary& s);
// [{"country","year","domestic","foreign","total_known","unknown","unmapped","malformed",
//   "share":{"lo","hi"}}]
Json to_json(const std::vector<GlotipDomesticRow>& rows);
// [{"citizenship","exploitation","count":{"lo","hi"}}]
Json to_json(const std::vector<GlotipCorridor>& corridors);

}  // namespace ctip::flows
