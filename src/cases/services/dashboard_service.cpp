#include "cases/services/dashboard_service.h"

#include <map>

#include "cases/services/dashboard.h"
#include "cases/services/services_repository.h"
#include "core/error.h"
#include "core/time.h"

namespace ctip::cases::services {
namespace {

std::string today_or_now(const std::string& today) {
  if (today.empty()) return now_iso().substr(0, 10);
  if (today.size() != 10 || !day_number(today)) invalid("as_of", "as_of is a date YYYY-MM-DD");
  return today;
}

Json scope_json(const auth::Actor& a) { return a.visible_org ? Json(*a.visible_org) : Json("all"); }

Json median_json(const std::map<int64_t, int64_t>& h) {
  int64_t total = 0;
  for (const auto& [d, n] : h) total += n;
  // A median of fewer than kSmallCell persons could be one person's delay.
  if (total < kSmallCell) return nullptr;
  auto m = histogram_median(h);
  return m ? Json(*m) : Json(nullptr);
}

int64_t total_of(const std::map<int64_t, int64_t>& h) {
  int64_t n = 0;
  for (const auto& [d, k] : h) n += k;
  return n;
}

}  // namespace

Json DashboardService::capacity(const auth::Actor& actor, const DashboardOptions& o) {
  if (o.days < 1 || o.days > 3650) invalid("days", "days is from 1 to 3650");
  auto today = today_or_now(o.today);
  // The window's first instant, as RFC 3339 text (created_at is compared as text).
  const std::string since = civil_date(day_number(today).value_or(0) - o.days) + "T00:00:00Z";
  Json cells = Json::array();
  store_.read([&](store::Connection& c) {
    std::map<std::pair<std::string, std::string>, Json> at;
    for (const auto& r : repository::capacity_by_service_region(c)) {
      at[{r.service, r.region}] = {{"service", r.service},     {"region", r.region},
                                   {"providers", r.providers}, {"capacity", r.capacity},
                                   {"occupancy", r.occupancy}, {"free", r.capacity - r.occupancy}};
    }
    std::map<std::pair<std::string, std::string>, std::map<std::string, int64_t>> demand;
    for (const auto& r : repository::demand_by_service_region(c, actor.visible_org, since))
      demand[{r.service, r.region}][r.status] += r.referrals;
    for (const auto& [key, by_status] : demand)
      if (!at.count(key))
        at[key] = {{"service", key.first}, {"region", key.second}, {"providers", 0},
                   {"capacity", 0},        {"occupancy", 0},       {"free", 0}};
    for (auto& [key, cell] : at) {
      auto it = demand.find(key);
      std::map<std::string, int64_t> s =
          it == demand.end() ? std::map<std::string, int64_t>{} : it->second;
      int64_t total = s["sent"] + s["accepted"] + s["declined"] + s["completed"];
      cell["demand"] = count_cell(total);
      cell["declined"] = count_cell(s["declined"]);
      cell["waiting"] = count_cell(s["sent"]);
      // Demand per free place: above 1, more persons were referred than there is room now.
      cell["demand_per_free_place"] =
          total >= kSmallCell
              ? ratio(static_cast<double>(total), static_cast<double>(cell["free"].get<int64_t>()))
              : Json(nullptr);
      cells.push_back(cell);
    }
  });
  audit_.record(actor.event("dashboards.read", "dashboard", "capacity"));
  return {{"dashboard", "capacity"}, {"organisation", scope_json(actor)}, {"as_of", today},
          {"days", o.days},          {"small_cell", kSmallCell},          {"cells", cells}};
}

Json DashboardService::funding(const auth::Actor& actor) {
  Json cells = Json::array();
  int64_t total_now = 0, total_base = 0;
  store_.read([&](store::Connection& c) {
    for (const auto& r : repository::funding_by_service_region(c)) {
      total_now += r.this_year;
      total_base += r.baseline;
      cells.push_back(
          {{"service", r.service},
           {"region", r.region},
           {"providers", r.providers},
           {"this_year", r.this_year},
           {"baseline", r.baseline},
           {"ratio", ratio(static_cast<double>(r.this_year), static_cast<double>(r.baseline))},
           {"providers_below_baseline", r.below_baseline}});
    }
  });
  audit_.record(actor.event("dashboards.read", "dashboard", "funding"));
  // A provider offering several services counts in each of their cells; the totals are per
  // cell sums, stated as such.
  return {{"dashboard", "funding"},
          {"baseline_year", 2019},
          {"cells", cells},
          {"note", "a provider offering several services is counted under each"}};
}

Json DashboardService::documentation(const auth::Actor& actor, const DashboardOptions& o) {
  if (o.pending_days < 1 || o.pending_days > 3650)
    invalid("pending_days", "pending_days is from 1 to 3650");
  auto today = today_or_now(o.today);
  Json months = Json::array(), pending = Json::array();
  store_.read([&](store::Connection& c) {
    for (const auto& [key, h] : repository::permit_decision_delays(c, actor.visible_org))
      months.push_back({{"kind", key.first},
                        {"month", key.second},
                        {"decided", count_cell(total_of(h))},
                        {"median_days", median_json(h)},
                        {"over_pending_days", count_cell(histogram_above(h, o.pending_days))}});
    for (const auto& [key, h] : repository::permit_pending_ages(c, actor.visible_org, today))
      pending.push_back({{"kind", key.first},
                         {"pending", count_cell(total_of(h))},
                         {"late", count_cell(histogram_above(h, o.pending_days))},
                         {"median_days_pending", median_json(h)}});
  });
  audit_.record(actor.event("dashboards.read", "dashboard", "documentation"));
  return {{"dashboard", "documentation"},
          {"organisation", scope_json(actor)},
          {"as_of", today},
          {"pending_days", o.pending_days},
          {"small_cell", kSmallCell},
          {"decisions", months},
          {"pending", pending}};
}

Json DashboardService::justice(const auth::Actor& actor, const DashboardOptions& o) {
  if (o.stall_days < 1 || o.stall_days > 3650)
    invalid("stall_days", "stall_days is from 1 to 3650");
  auto today = today_or_now(o.today);
  std::map<std::string, Json> by_kind;
  store_.read([&](store::Connection& c) {
    for (const auto& [key, h] : repository::proceeding_idle_days(c, actor.visible_org, today)) {
      auto& k = by_kind[key.first];
      k["kind"] = key.first;
      k["open"] = count_cell(total_of(h));
      k["stalled"] = count_cell(histogram_above(h, o.stall_days));
      k["median_idle_days"] = median_json(h);
    }
    for (const auto& [key, h] : repository::proceeding_durations(c, actor.visible_org)) {
      auto& k = by_kind[key.first];
      k["kind"] = key.first;
      k["decided"] = count_cell(total_of(h));
      k["median_duration_days"] = median_json(h);
    }
  });
  Json kinds = Json::array();
  for (auto& [name, k] : by_kind) {
    for (const char* f : {"open", "stalled", "decided"})
      if (!k.contains(f)) k[f] = count_cell(0);
    for (const char* f : {"median_idle_days", "median_duration_days"})
      if (!k.contains(f)) k[f] = nullptr;
    kinds.push_back(k);
  }
  audit_.record(actor.event("dashboards.read", "dashboard", "justice"));
  return {{"dashboard", "justice"},     {"organisation", scope_json(actor)}, {"as_of", today},
          {"stall_days", o.stall_days}, {"small_cell", kSmallCell},          {"kinds", kinds}};
}

Json DashboardService::investigations(const auth::Actor& actor, const DashboardOptions& o) {
  if (o.baseline_year < 2000 || o.baseline_year > 2100)
    invalid("baseline_year", "baseline_year is from 2000 to 2100");
  std::map<std::string, int64_t> per_month;
  store_.read([&](store::Connection& c) {
    per_month = repository::investigations_per_month(c, actor.visible_org);
  });
  const std::string prefix = std::to_string(o.baseline_year) + "-";
  int64_t baseline_total = 0;
  for (const auto& [month, n] : per_month)
    if (month.starts_with(prefix)) baseline_total += n;
  double baseline_mean = static_cast<double>(baseline_total) / 12.0;
  Json months = Json::array();
  for (const auto& [month, n] : per_month)
    months.push_back(
        {{"month", month},
         {"opened", count_cell(n)},
         {"ratio_to_baseline",
          n >= kSmallCell ? ratio(static_cast<double>(n), baseline_mean) : Json(nullptr)}});
  audit_.record(actor.event("dashboards.read", "dashboard", "investigations"));
  return {
      {"dashboard", "investigations"},
      {"organisation", scope_json(actor)},
      {"baseline_year", o.baseline_year},
      {"baseline_monthly_mean", baseline_total >= kSmallCell ? Json(baseline_mean) : Json(nullptr)},
      {"small_cell", kSmallCell},
      {"months", months}};
}

}  // namespace ctip::cases::services
