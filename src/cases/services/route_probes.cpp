// Probes of the providers, referrals, investigations and dashboards routes for the route x role
// test (src/server/route_probes.h): a provider, a case of organisation "Unit" referred to it,
// a case shared with "Unit" for law enforcement and an investigation in each organisation.
#include "server/route_probes.h"

#include <nlohmann/json.hpp>

#include "cases/services/provider_service.h"
#include "cases/services/referral_service.h"
#include "cases/services/services_repository.h"
#include "cases/services/test_support.h"

namespace ctip::server::testing {

ProbeSet probes_cases_services(ProbeFixture& f) {
  using namespace cases::services;
  ProviderService providers(f.store, f.audit);
  Provider p;
  p.name = "Probe shelter";
  p.services = {ServiceType::shelter};
  p.languages = {"ro"};
  p.region = "North";
  p.capacity = 10;
  auto cli = auth::Actor::operator_named("probe");
  const int64_t provider = providers.create(cli, p)["id"].get<int64_t>();

  auto caseworker = f.user("caseworker");
  int64_t kase = cases::services::testing::make_case(f.store, f.audit, caseworker, "PROBE-SVC");
  ReferralService referrals(f.store, f.audit);
  NewReferral r;
  r.case_id = kase;
  r.provider_id = provider;
  r.service = ServiceType::shelter;
  const int64_t referral =
      referrals.create(auth::Actor::user(caseworker, auth::Scope::organisation), r)["id"]
          .get<int64_t>();

  auto investigator = f.user("investigator");
  auto other_investigator = f.user("other.investigator");
  int64_t shared = cases::services::testing::make_case(
      f.store, f.audit, f.user("other.caseworker"), "PROBE-LE", {.consent_law_enforcement = true});
  cases::services::testing::share_for_law_enforcement(f.store, shared, investigator.org.id);
  int64_t own_investigation = 0, other_investigation = 0;
  f.store.write([&](store::Connection& c) {
    repository::NewInvestigation own;
    own.org_id = investigator.org.id;
    own.case_id = shared;
    own.assigned_to = investigator.id;
    own.opened_at = "2026-03-01T00:00:00Z";
    own_investigation = repository::insert_investigation(c, own);
    repository::NewInvestigation other;
    other.org_id = other_investigator.org.id;
    other.network_ref = "network-7";
    other.opened_at = "2026-03-02T00:00:00Z";
    other_investigation = repository::insert_investigation(c, other);
  });

  const std::string ref = "/api/v1/referrals/" + std::to_string(referral);
  const std::string visits =
      "/api/v1/investigations/" + std::to_string(own_investigation) + "/visits";
  return {
      {
          {"GET", "/api/v1/providers", "/api/v1/providers?free=true", "", 200},
          {"GET", "/api/v1/providers/{id}", "/api/v1/providers/" + std::to_string(provider), "",
           200},
          // Refused after the permission check: a provider needs a name.
          {"POST", "/api/v1/providers", "/api/v1/providers", "{}", 400},
          {"POST", "/api/v1/referrals/matches", "/api/v1/referrals/matches",
           R"({"services": ["shelter"], "region": "North"})", 200},
          {"POST", "/api/v1/referrals", "/api/v1/referrals", "{}", 400},
          {"GET", "/api/v1/referrals", "/api/v1/referrals", "", 200},
          {"GET", "/api/v1/referrals/{id}", ref, "", 200},
          {"POST", "/api/v1/referrals/{id}/response", ref + "/response", R"({"decision": "maybe"})",
           400},
          {"POST", "/api/v1/referrals/{id}/completion", ref + "/completion", R"({"unknown": 1})",
           400},
          {"GET", "/api/v1/investigations", "/api/v1/investigations", "", 200},
          {"POST", "/api/v1/investigations", "/api/v1/investigations", "{}", 400},
          {"POST", "/api/v1/investigations/priority", "/api/v1/investigations/priority", "{}", 400},
          {"GET", "/api/v1/investigations/{id}/visits", visits, "", 200},
          {"POST", "/api/v1/investigations/{id}/visits", visits, "{}", 400},
          {"GET", "/api/v1/dashboards/capacity", "/api/v1/dashboards/capacity", "", 200},
          {"GET", "/api/v1/dashboards/funding", "/api/v1/dashboards/funding", "", 200},
          {"GET", "/api/v1/dashboards/documentation", "/api/v1/dashboards/documentation", "", 200},
          {"GET", "/api/v1/dashboards/justice", "/api/v1/dashboards/justice", "", 200},
          {"GET", "/api/v1/dashboards/investigations", "/api/v1/dashboards/investigations", "",
           200},
      },
      {{"investigation", other_investigation}}};
}

}  // namespace ctip::server::testing
