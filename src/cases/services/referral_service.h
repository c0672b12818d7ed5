// Referrals of a case to a provider (issue #11 item 3), each use case written once:
//   create    the case's organisation refers the case for one service; refused (409, saying
//             why) without the person's consent for the purpose 'services' in force
//             (case_consents), when the provider offers not the service, has no free place or
//             does not admit the person (matching.h's reasons); stored 'sent' with the match's
//             reasons
//   respond   the provider answers: accepted (takes a place: occupancy + 1, refused when it has
//             none left; the case is shared with the provider's organisation) or declined, with
//             a reason (required to decline)
//   complete  an accepted referral ends: the place is given back (occupancy - 1)
// Who: the referring organisation sees and completes its referrals; the provider's
// organisation (providers.org_id) sees and answers those addressed to it; for a provider outside
// ctip the referring organisation records its answer. Others get 404. Every step is audited in
// the same transaction as the write; reads of a referral are audited as views of case data.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>  // Json held by value
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/actor.h"
#include "cases/services/provider.h"
#include "core/json_input.h"
#include "store/store.h"

namespace ctip::cases::services {

struct NewReferral {
  int64_t case_id = 0;
  int64_t provider_id = 0;
  ServiceType service = ServiceType::shelter;
  bool interpreter_needed = false;
  std::vector<std::string> languages;  // overrides the case's when given
  std::string note;
};

class ReferralService {
 public:
  ReferralService(store::Store& store, audit::AuditLog& audit) : store_(store), audit_(audit) {}

  Json create(const auth::Actor& actor, const NewReferral& in);
  // decision: "accepted" or "declined".
  Json respond(const auth::Actor& actor, int64_t id, const std::string& decision,
               const std::string& reason);
  Json complete(const auth::Actor& actor, int64_t id, const std::string& note);
  Json get(const auth::Actor& actor, int64_t id);
  Json list(const auth::Actor& actor, std::optional<int64_t> case_id, int64_t limit);

 private:
  store::Store& store_;
  audit::AuditLog& audit_;
};

}  // namespace ctip::cases::services
