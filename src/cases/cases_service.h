// The case management use cases (issue #11), each written once and called by the API's routes
// (routes.cpp) and the CLI (cli.cpp). A use case opens one write transaction, checks the input
// (case_file.h) and who may see and change the case, calls the repository (its only SQL) and
// appends its audit entry in the same transaction: a case and its audit trail commit or roll
// back together, and bad input leaves nothing half-written.
//
// Who sees a case: its organisation (cases.org_id) and the organisations it is shared with
// (case_shares); an investigator sees only the cases shared with their organisation for law
// enforcement, plus its own organisation's. An operator (CLI) and a role granted scope `all`
// see every case. A case the actor may not see is "not found" (404), audited access.denied,
// as the dispatcher answers another organisation's object. Writes to the case file (status,
// consents, permits, transfer, closure) are its owner's; notes, tasks and proceedings may be
// added by any organisation that sees the case. Every read of personal data is audited.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "audit/audit_log.h"
#include "auth/actor.h"
#include "cases/case_file.h"
#include "cases/cases_repository.h"
#include "core/json_input.h"
#include "store/store.h"

namespace ctip::cases {

class CasesService {
 public:
  CasesService(store::Store& store, audit::AuditLog& audit) : store_(store), audit_(audit) {}

  // The cases the actor sees, newest first (audited "cases.list").
  Json list(const auth::Actor& actor, const repository::ListFilter& filter);
  // Opens the case file of a screening of the actor's organisation (audited "cases.create").
  // Error conflict when the screening's case already has a file (naming its id).
  Json create(const auth::Actor& actor, const NewCase& in);
  // The case with its timeline (audited "cases.read"); the file is made on first read.
  Json get(const auth::Actor& actor, int64_t case_id);
  Json update(const auth::Actor& actor, int64_t case_id, const CaseUpdate& in);
  // Records a victim status change with its reason in the history (audited "cases.status").
  // Error conflict when the status is already the one asked for.
  Json set_status(const auth::Actor& actor, int64_t case_id, const StatusChange& in);
  // Records consent for a purpose (audited "cases.consent"); withdrawing law_enforcement
  // consent ends the case's law-enforcement shares.
  Json record_consent(const auth::Actor& actor, int64_t case_id, const NewConsent& in);
  // Shares the case with a law-enforcement organisation (audited "cases.share"): Error conflict
  // without the person's law_enforcement consent; invalid when the organisation is not one.
  Json share_with_law_enforcement(const auth::Actor& actor, int64_t case_id, int64_t org_id);
  // Moves the case to another organisation (audited "cases.transfer"): Error conflict without
  // the person's transfer consent in force. The giving organisation keeps a 'transfer' share.
  Json transfer(const auth::Actor& actor, int64_t case_id, const TransferRequest& in);

  Json add_permit(const auth::Actor& actor, int64_t case_id, const NewPermit& in);
  Json update_permit(const auth::Actor& actor, int64_t permit_id, const PermitUpdate& in);

  Json add_proceeding(const auth::Actor& actor, const NewProceeding& in);
  Json update_proceeding(const auth::Actor& actor, int64_t proceeding_id,
                         const ProceedingUpdate& in);
  Json add_hearing(const auth::Actor& actor, int64_t proceeding_id, const NewHearing& in);
  Json list_proceedings(const auth::Actor& actor);

  // A new note, or a correction of note `note_id` (a new version; the old ones stay). Audited
  // "cases.note" / "cases.note.correct".
  Json add_note(const auth::Actor& actor, int64_t case_id, const NewNote& in);
  Json correct_note(const auth::Actor& actor, int64_t note_id, const NewNote& in);

  Json add_task(const auth::Actor& actor, int64_t case_id, const NewTask& in);
  Json set_task_done(const auth::Actor& actor, int64_t task_id, bool done);
  // Open tasks due before `today` of the cases the actor sees; `mine`: assigned to the actor.
  Json overdue_tasks(const auth::Actor& actor, bool mine, const std::string& today);

  // Permits pending or expiring and stalled proceedings of the cases the actor sees. Thresholds
  // not given come from the store's settings (cases.permit_pending_days,
  // cases.permit_expiry_days, cases.proceeding_stall_days), else the defaults.
  Json alerts(const auth::Actor& actor, const std::string& today,
              std::optional<int64_t> pending_days, std::optional<int64_t> expiry_days,
              std::optional<int64_t> stall_days);

  // The HTCDS 2.0 CSV of the cases the actor sees whose person consented to statistics
  // (audited "cases.export" with the number of rows). `summary` gets {rows, excluded}.
  std::string export_htcds(const auth::Actor& actor, Json& summary);

 private:
  // store_.write, and for a case the actor may not see, its audit entry in a transaction of its
  // own before the not-found error.
  void write(const std::function<void(store::Connection&)>& fn);
  // The case, checked visible to the actor (404 and an access.denied entry otherwise), with its
  // file made when missing.
  repository::CaseHead visible_case(store::Connection& c, const auth::Actor& actor, int64_t case_id,
                                    const std::string& field = "id");
  // The same, and the actor's organisation must own it (403 otherwise).
  repository::CaseHead owned_case(store::Connection& c, const auth::Actor& actor, int64_t case_id,
                                  const std::string& what);
  repository::Visibility visibility(const auth::Actor& actor) const;

  store::Store& store_;
  audit::AuditLog& audit_;
};

}  // namespace ctip::cases
