// The dashboards (issue #11 item 6): JSON aggregates for ECharts, never a case. Each narrows to
// the actor's organisation under the matrix's `organisation` scope (providers are the one
// deployment-wide directory and are not narrowed), withholds counts of persons below
// kSmallCell (dashboard.h), and compares with the pre-pandemic baseline where there is one.
//   capacity         places and free places by service type and region, against demand
//                    (referrals sent in the last `days` days, by status)
//   funding          provider funding this year against the baseline, by service and region
//   documentation    permit decisions: median days from request to decision per kind and
//                    month; permits pending past `pending_days`
//   justice          proceedings idle past `stall_days`, median idle days, median duration
//   investigations   investigations opened per month against the baseline year's mean month
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>  // Json held by value
#include <string>

#include "audit/audit_log.h"
#include "auth/actor.h"
#include "core/json_input.h"
#include "store/store.h"

namespace ctip::cases::services {

struct DashboardOptions {
  std::string today;             // YYYY-MM-DD; the service's clock when empty
  int64_t days = 90;             // capacity: the demand window
  int64_t pending_days = 30;     // documentation: a permit pending longer is late
  int64_t stall_days = 90;       // justice: a proceeding idle longer has stalled
  int64_t baseline_year = 2019;  // investigations: the pre-pandemic year
};

class DashboardService {
 public:
  DashboardService(store::Store& store, audit::AuditLog& audit) : store_(store), audit_(audit) {}
  Json capacity(const auth::Actor& actor, const DashboardOptions& o);
  Json funding(const auth::Actor& actor);
  Json documentation(const auth::Actor& actor, const DashboardOptions& o);
  Json justice(const auth::Actor& actor, const DashboardOptions& o);
  Json investigations(const auth::Actor& actor, const DashboardOptions& o);

 private:
  store::Store& store_;
  audit::AuditLog& audit_;
};

}  // namespace ctip::cases::services
