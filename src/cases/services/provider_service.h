// The provider directory's use cases, each written once for the API (routes.cpp), the CLI
// (cli.cpp) and `ctip demo`: importing a CSV of providers (all or nothing, audited
// "providers.import"), listing them with their free capacity, and ranking them for a person's
// needs (matching.h), from a case's recorded person fields or from needs given directly.
#pragma once

#include <cstdint>
#include <istream>
#include <nlohmann/json.hpp>  // Json held by value
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/actor.h"
#include "cases/services/matching.h"
#include "cases/services/provider.h"
#include "cases/services/services_repository.h"
#include "core/error.h"
#include "core/json_input.h"
#include "store/store.h"

namespace ctip::cases::services {

// A CSV with bad rows: nothing was written; `problems` lists every one ({line, field, message}).
class ProvidersRejected : public Error {
 public:
  ProvidersRejected(const std::string& message, std::string field, Json problems)
      : Error(ErrorCode::invalid_argument, message, std::move(field)),
        problems(std::move(problems)) {}
  Json problems;
};

struct MatchRequest {
  std::optional<int64_t> case_id;  // the person fields from the case (audited read)
  Needs needs;                     // services and interpreter_needed always; the person fields
                                   // when there is no case
  size_t limit = 20;
  bool include_excluded = false;  // the providers left out and why
};

Json provider_json(const Provider& p);

class ProviderService {
 public:
  ProviderService(store::Store& store, audit::AuditLog& audit) : store_(store), audit_(audit) {}

  // Reads the whole file and writes every provider in one transaction; throws ProvidersRejected
  // naming every bad row. Returns {"imported": n, "ids": [...]}.
  Json import_csv(const auth::Actor& actor, std::istream& in);
  // `ctip demo`: the demo directory (data/demo/providers.csv, compiled in) when the store has
  // no provider yet; false when it has.
  bool seed_demo(const auth::Actor& actor);
  // Adds one provider (validated); returns it.
  Json create(const auth::Actor& actor, const Provider& p);
  Json list(const repository::ProviderFilter& filter);
  Json get(int64_t id);
  // {"ranked": [...], "excluded": [...]?, "needs": {...}}; with a case: 404 unless the actor's
  // organisation owns it, audited "referrals.match".
  Json match(const auth::Actor& actor, const MatchRequest& request);

 private:
  store::Store& store_;
  audit::AuditLog& audit_;
};

// The case's person fields as needs, after checking the actor may refer it: its organisation
// owns the case (an operator may refer any). 404 otherwise (as for an absent case).
repository::CasePerson case_for_referral(store::Connection& c, const auth::Actor& actor,
                                         int64_t case_id);
Json needs_json(const Needs& n);
Json ranked_json(const RankedProvider& r, const Provider& p);
Json reasons_json(const std::vector<Reason>& reasons);

}  // namespace ctip::cases::services
