#include "cases/cases_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time.h"

namespace ctip::cases {
namespace {

std::string id_text(int64_t id) { return std::to_string(id); }

// A case the actor may not see (or that does not exist): the transaction it was met in rolls
// back, and the audit entry is appended in one of its own (CasesService::write), as the
// dispatcher records a probe of another organisation's object.
class HiddenCase : public Error {
 public:
  HiddenCase(audit::Event e, const std::string& field)
      : Error(ErrorCode::not_found, "no such case", field), event(std::move(e)) {}
  audit::Event event;
};

}  // namespace

void CasesService::write(const std::function<void(store::Connection&)>& fn) {
  std::optional<audit::Event> hidden;
  std::string field;
  try {
    store_.write(fn);
  } catch (const HiddenCase& e) {
    hidden = e.event;
    field = e.field();
  }
  if (hidden) {
    store_.write([&](store::Connection& c) { audit_.append(c, *hidden); });
    throw Error(ErrorCode::not_found, "no such case", field);
  }
}

repository::Visibility CasesService::visibility(const auth::Actor& actor) const {
  return {actor.visible_org, actor.role && *actor.role == "investigator"};
}

repository::CaseHead CasesService::visible_case(store::Connection& c, const auth::Actor& actor,
                                                int64_t case_id, const std::string& field) {
  auto head = repository::case_head(c, case_id);
  if (!head)
    throw HiddenCase(actor.event("access.not_found", "case", id_text(case_id), "failure"), field);
  auto v = visibility(actor);
  bool visible = !v.org_id;
  if (!visible) {
    bool owner = head->org_id == *v.org_id;
    auto reasons = repository::share_reasons(c, case_id, *v.org_id);
    bool law_enforcement =
        std::find(reasons.begin(), reasons.end(), "law_enforcement") != reasons.end();
    visible = owner || (v.law_enforcement_only ? law_enforcement : !reasons.empty());
  }
  if (!visible)
    throw HiddenCase(actor.event("access.denied", "case", id_text(case_id), "denied"), field);
  repository::ensure_file(c, *head, actor.user_id, now_iso());
  return *head;
}

repository::CaseHead CasesService::owned_case(store::Connection& c, const auth::Actor& actor,
                                              int64_t case_id, const std::string& what) {
  auto head = visible_case(c, actor, case_id);
  if (actor.visible_org && head.org_id != *actor.visible_org)
    throw Error(ErrorCode::permission_denied, "only the organisation that owns the case may " +
                                                  what + " (the case is shared with yours)");
  return head;
}

Json CasesService::list(const auth::Actor& actor, const repository::ListFilter& filter) {
  Json out;
  write([&](store::Connection& c) {
    out = repository::list_cases(c, visibility(actor), filter);
    // The ids the list showed (never the personal data itself).
    Json ids = Json::array();
    for (const auto& k : out) ids.push_back(k["id"]);
    auto event =
        actor.event("cases.list", "cases", actor.visible_org ? id_text(*actor.visible_org) : "all");
    event.details = Json{{"ids", ids}}.dump();
    audit_.append(c, event);
  });
  return out;
}

Json CasesService::create(const auth::Actor& actor, const NewCase& in) {
  Json view;
  write([&](store::Connection& c) {
    auto org = repository::screening_org(c, in.screening_id);
    if (!org || (actor.visible_org && *org != *actor.visible_org))
      throw Error(ErrorCode::not_found, "no such screening", "screening_id");
    if (in.assigned_to) {
      auto user_org = repository::user_org(c, *in.assigned_to);
      if (!user_org || *user_org != *org)
        invalid("assigned_to", "'assigned_to' must be an active user of the case's organisation");
    }
    std::string now = now_iso();
    auto existing = repository::case_of_screening(c, in.screening_id);
    int64_t case_id = existing ? *existing : repository::open_case(c, in.screening_id, now);
    auto head = *repository::case_head(c, case_id);
    if (!repository::ensure_file(c, head, actor.user_id, now))
      throw Error(ErrorCode::conflict,
                  "the screening's case " + id_text(case_id) + " already has a case file",
                  "screening_id");
    CaseUpdate u;
    u.person = in.person;
    if (in.assigned_to) u.assigned_to = in.assigned_to;
    repository::update_file(c, case_id, u, now);
    if (in.victim_status) {
      auto from = repository::victim_status(c, case_id);
      if (*in.victim_status != from)
        repository::set_victim_status(c, case_id, from, *in.victim_status, "case file opened",
                                      actor.user_id, now);
    }
    audit_.append(c, actor.event("cases.create", "case", id_text(case_id)));
    view = repository::case_view(c, head, actor.visible_org);
  });
  return view;
}

Json CasesService::get(const auth::Actor& actor, int64_t case_id) {
  Json view;
  write([&](store::Connection& c) {
    auto head = visible_case(c, actor, case_id);
    audit_.append(c, actor.event("cases.read", "case", id_text(case_id)));
    view = repository::case_view(c, head, actor.visible_org);
  });
  return view;
}

Json CasesService::update(const auth::Actor& actor, int64_t case_id, const CaseUpdate& in) {
  Json view;
  write([&](store::Connection& c) {
    auto head = owned_case(c, actor, case_id, "change the case file");
    if (in.assigned_to && *in.assigned_to) {
      auto user_org = repository::user_org(c, **in.assigned_to);
      if (!user_org || *user_org != head.org_id)
        invalid("assigned_to", "'assigned_to' must be an active user of the case's organisation");
    }
    repository::update_file(c, case_id, in, now_iso());
    audit_.append(c, actor.event(in.closed == true    ? "cases.close"
                                 : in.closed == false ? "cases.reopen"
                                                      : "cases.update",
                                 "case", id_text(case_id)));
    view = repository::case_view(c, head, actor.visible_org);
  });
  return view;
}

Json CasesService::set_status(const auth::Actor& actor, int64_t case_id, const StatusChange& in) {
  Json view;
  write([&](store::Connection& c) {
    auto head = owned_case(c, actor, case_id, "change the victim status");
    auto from = repository::victim_status(c, case_id);
    if (from == in.status)
      throw Error(ErrorCode::conflict, "the victim status is already " + in.status, "status");
    repository::set_victim_status(c, case_id, from, in.status, in.reason, actor.user_id, now_iso());
    audit_.append(c, actor.event("cases.status", "case", id_text(case_id)));
    view = repository::case_view(c, head, actor.visible_org);
  });
  return view;
}

Json CasesService::record_consent(const auth::Actor& actor, int64_t case_id, const NewConsent& in) {
  Json out;
  write([&](store::Connection& c) {
    owned_case(c, actor, case_id, "record consent");
    std::string now = now_iso();
    int64_t id = repository::record_consent(c, case_id, in, actor.user_id, now);
    int64_t ended = 0;
    if (in.purpose == "law_enforcement" && !in.granted)
      ended = repository::remove_shares(c, case_id, "law_enforcement");
    audit_.append(c, actor.event("cases.consent", "case", id_text(case_id)));
    out = {{"consent",
            {{"id", id},
             {"case_id", case_id},
             {"purpose", in.purpose},
             {"granted", in.granted},
             {"recorded_at", now}}},
           {"shares_ended", ended}};
  });
  return out;
}

Json CasesService::share_with_law_enforcement(const auth::Actor& actor, int64_t case_id,
                                              int64_t org_id) {
  Json view;
  write([&](store::Connection& c) {
    auto head = owned_case(c, actor, case_id, "share the case");
    auto kind = repository::organisation_kind(c, org_id);
    if (!kind) throw Error(ErrorCode::not_found, "no such organisation", "org_id");
    if (*kind != "law_enforcement")
      invalid("org_id",
              "the organisation is not a law-enforcement one (its kind is " + *kind + ")");
    auto consent = repository::consent(c, case_id, "law_enforcement");
    if (!consent || !consent->granted)
      throw Error(ErrorCode::conflict,
                  "the person has not consented to sharing their case with law enforcement: "
                  "record their consent (purpose law_enforcement) first",
                  "consent");
    repository::add_share(c, case_id, org_id, "law_enforcement", actor.user_id, now_iso());
    audit_.append(c, actor.event("cases.share", "case", id_text(case_id)));
    view = repository::case_view(c, head, actor.visible_org);
  });
  return view;
}

Json CasesService::transfer(const auth::Actor& actor, int64_t case_id, const TransferRequest& in) {
  Json out;
  write([&](store::Connection& c) {
    auto head = owned_case(c, actor, case_id, "transfer the case");
    if (!repository::organisation_kind(c, in.org_id))
      throw Error(ErrorCode::not_found, "no such organisation", "org_id");
    if (in.org_id == head.org_id)
      invalid("org_id", "the case already belongs to that organisation");
    auto consent = repository::consent(c, case_id, "transfer");
    if (!consent || !consent->granted)
      throw Error(ErrorCode::conflict,
                  "the person has not consented to the transfer of their case to another "
                  "organisation: record their consent (purpose transfer) first; nothing was "
                  "transferred",
                  "consent");
    std::string now = now_iso();
    int64_t id = repository::record_transfer(c, case_id, head.org_id, in.org_id, consent->id,
                                             in.reason, actor.user_id, now);
    repository::move_case(c, case_id, in.org_id);
    repository::add_share(c, case_id, head.org_id, "transfer", actor.user_id, now);
    audit_.append(c, actor.event("cases.transfer", "case", id_text(case_id)));
    out = {{"transfer",
            {{"id", id},
             {"case_id", case_id},
             {"from_org", head.org_id},
             {"to_org", in.org_id},
             {"at", now}}}};
  });
  return out;
}

Json CasesService::add_permit(const auth::Actor& actor, int64_t case_id, const NewPermit& in) {
  Json out;
  write([&](store::Connection& c) {
    owned_case(c, actor, case_id, "record permits");
    int64_t id = repository::insert_permit(c, case_id, in, actor.user_id, now_iso());
    audit_.append(c, actor.event("permits.create", "permit", id_text(id)));
    out = {{"permit",
            {{"id", id},
             {"case_id", case_id},
             {"kind", in.kind},
             {"status", in.status},
             {"tied_to_employer", false},
             {"requested_on", in.requested_on},
             {"decided_on", in.decided_on ? Json(*in.decided_on) : Json()},
             {"expires_on", in.expires_on ? Json(*in.expires_on) : Json()}}}};
  });
  return out;
}

Json CasesService::update_permit(const auth::Actor& actor, int64_t permit_id,
                                 const PermitUpdate& in) {
  Json out;
  write([&](store::Connection& c) {
    auto p = repository::permit(c, permit_id);
    if (!p) throw Error(ErrorCode::not_found, "no such permit", "id");
    owned_case(c, actor, p->case_id, "record permits");
    std::string today = now_iso().substr(0, 10);
    check_permit_dates(in.status, p->requested_on, in.decided_on, in.expires_on, today);
    repository::update_permit(c, permit_id, in, now_iso());
    audit_.append(c, actor.event("permits.update", "permit", id_text(permit_id)));
    out = {{"permit",
            {{"id", permit_id},
             {"case_id", p->case_id},
             {"status", in.status},
             {"requested_on", p->requested_on},
             {"decided_on", in.decided_on ? Json(*in.decided_on) : Json()},
             {"expires_on", in.expires_on ? Json(*in.expires_on) : Json()}}}};
  });
  return out;
}

Json CasesService::add_proceeding(const auth::Actor& actor, const NewProceeding& in) {
  Json out;
  write([&](store::Connection& c) {
    visible_case(c, actor, in.case_id, "case_id");
    int64_t id = repository::insert_proceeding(c, in, actor.user_id, now_iso());
    audit_.append(c, actor.event("proceedings.create", "proceeding", id_text(id)));
    out = {{"proceeding",
            {{"id", id},
             {"case_id", in.case_id},
             {"kind", in.kind},
             {"status", in.status},
             {"essential", in.essential},
             {"opened_on", in.opened_on}}}};
  });
  return out;
}

Json CasesService::update_proceeding(const auth::Actor& actor, int64_t proceeding_id,
                                     const ProceedingUpdate& in) {
  Json out;
  write([&](store::Connection& c) {
    auto case_id = repository::proceeding_case(c, proceeding_id);
    if (!case_id) throw Error(ErrorCode::not_found, "no such proceeding", "id");
    visible_case(c, actor, *case_id);
    repository::update_proceeding(c, proceeding_id, in, now_iso());
    audit_.append(c, actor.event("proceedings.update", "proceeding", id_text(proceeding_id)));
    out = {{"proceeding", {{"id", proceeding_id}, {"case_id", *case_id}}}};
    if (in.status) out["proceeding"]["status"] = *in.status;
  });
  return out;
}

Json CasesService::add_hearing(const auth::Actor& actor, int64_t proceeding_id,
                               const NewHearing& in) {
  Json out;
  write([&](store::Connection& c) {
    auto case_id = repository::proceeding_case(c, proceeding_id);
    if (!case_id) throw Error(ErrorCode::not_found, "no such proceeding", "id");
    visible_case(c, actor, *case_id);
    int64_t id = repository::insert_hearing(c, proceeding_id, in, actor.user_id, now_iso());
    audit_.append(c, actor.event("proceedings.hearing", "hearing", id_text(id)));
    out = {{"hearing",
            {{"id", id},
             {"proceeding_id", proceeding_id},
             {"scheduled_on", in.scheduled_on},
             {"status", in.status},
             {"interpreter_needed", in.interpreter_needed},
             {"interpreter_language",
              in.interpreter_language ? Json(*in.interpreter_language) : Json()},
             {"essential", in.essential}}}};
  });
  return out;
}

Json CasesService::list_proceedings(const auth::Actor& actor) {
  Json out;
  write([&](store::Connection& c) {
    out = repository::list_proceedings(c, visibility(actor));
    audit_.append(c, actor.event("proceedings.read", "proceedings",
                                 actor.visible_org ? id_text(*actor.visible_org) : "all"));
  });
  return out;
}

Json CasesService::add_note(const auth::Actor& actor, int64_t case_id, const NewNote& in) {
  Json out;
  write([&](store::Connection& c) {
    visible_case(c, actor, case_id);
    std::string now = now_iso();
    int64_t id = repository::insert_note(c, case_id, std::nullopt, in.body, actor.user_id, now);
    audit_.append(c, actor.event("cases.note", "case_note", id_text(id)));
    out = {
        {"note", {{"note_id", id}, {"id", id}, {"case_id", case_id}, {"version", 1}, {"at", now}}}};
  });
  return out;
}

Json CasesService::correct_note(const auth::Actor& actor, int64_t note_id, const NewNote& in) {
  Json out;
  write([&](store::Connection& c) {
    auto case_id = repository::note_case(c, note_id);
    if (!case_id) throw Error(ErrorCode::not_found, "no such note", "id");
    visible_case(c, actor, *case_id);
    std::string now = now_iso();
    int64_t id = repository::insert_note(c, *case_id, note_id, in.body, actor.user_id, now);
    audit_.append(c, actor.event("cases.note.correct", "case_note", id_text(note_id)));
    auto version = c.query_row("SELECT version FROM case_notes WHERE id = ?", {id}).integer(0);
    out = {{"note",
            {{"note_id", note_id},
             {"id", id},
             {"case_id", *case_id},
             {"version", version},
             {"at", now}}}};
  });
  return out;
}

Json CasesService::add_task(const auth::Actor& actor, int64_t case_id, const NewTask& in) {
  Json out;
  write([&](store::Connection& c) {
    visible_case(c, actor, case_id);
    std::optional<int64_t> assignee = in.assigned_to ? in.assigned_to : actor.user_id;
    if (in.assigned_to) {
      auto org = repository::user_org(c, *in.assigned_to);
      if (!org || (actor.org_id && *org != *actor.org_id))
        invalid("assigned_to", "'assigned_to' must be an active user of your organisation");
    }
    int64_t id = repository::insert_task(c, case_id, in, assignee, actor.user_id, now_iso());
    audit_.append(c, actor.event("cases.task", "case_task", id_text(id)));
    out = {{"task",
            {{"id", id},
             {"case_id", case_id},
             {"kind", in.kind},
             {"title", in.title},
             {"due_on", in.due_on},
             {"assigned_to", assignee ? Json(*assignee) : Json()}}}};
  });
  return out;
}

Json CasesService::set_task_done(const auth::Actor& actor, int64_t task_id, bool done) {
  Json out;
  write([&](store::Connection& c) {
    auto case_id = repository::task_case(c, task_id);
    if (!case_id) throw Error(ErrorCode::not_found, "no such task", "id");
    visible_case(c, actor, *case_id);
    repository::complete_task(c, task_id, done, now_iso());
    audit_.append(c, actor.event(done ? "cases.task.done" : "cases.task.reopen", "case_task",
                                 id_text(task_id)));
    out = {{"task", {{"id", task_id}, {"case_id", *case_id}, {"done", done}}}};
  });
  return out;
}

Json CasesService::overdue_tasks(const auth::Actor& actor, bool mine, const std::string& today) {
  Json out;
  write([&](store::Connection& c) {
    std::optional<int64_t> assignee;
    if (mine) assignee = actor.user_id;
    out = {{"today", today},
           {"tasks", repository::overdue_tasks(c, visibility(actor), assignee, today)}};
    audit_.append(c, actor.event("cases.tasks.overdue", "case_tasks",
                                 actor.visible_org ? id_text(*actor.visible_org) : "all"));
  });
  return out;
}

Json CasesService::alerts(const auth::Actor& actor, const std::string& today,
                          std::optional<int64_t> pending_days, std::optional<int64_t> expiry_days,
                          std::optional<int64_t> stall_days) {
  Json out;
  write([&](store::Connection& c) {
    AlertThresholds t;
    t.permit_pending_days = pending_days.value_or(
        repository::setting_days(c, "cases.permit_pending_days", t.permit_pending_days));
    t.permit_expiry_days = expiry_days.value_or(
        repository::setting_days(c, "cases.permit_expiry_days", t.permit_expiry_days));
    t.proceeding_stall_days = stall_days.value_or(
        repository::setting_days(c, "cases.proceeding_stall_days", t.proceeding_stall_days));
    auto v = visibility(actor);
    auto list =
        cases::alerts(repository::permit_facts(c, v), repository::proceeding_facts(c, v), t, today);
    Json items = Json::array();
    for (const auto& a : list) items.push_back(to_json(a));
    out = {{"today", today},
           {"thresholds",
            {{"permit_pending_days", t.permit_pending_days},
             {"permit_expiry_days", t.permit_expiry_days},
             {"proceeding_stall_days", t.proceeding_stall_days}}},
           {"alerts", items}};
    audit_.append(c, actor.event("cases.alerts", "cases",
                                 actor.visible_org ? id_text(*actor.visible_org) : "all"));
  });
  return out;
}

std::string CasesService::export_htcds(const auth::Actor& actor, Json& summary) {
  std::string csv = htcds_header();
  write([&](store::Connection& c) {
    int64_t excluded = 0;
    auto rows = repository::htcds_cases(c, visibility(actor), excluded);
    for (const auto& r : rows) csv += htcds_row(r);
    auto event = actor.event("cases.export", "cases",
                             actor.visible_org ? id_text(*actor.visible_org) : "all");
    event.details = Json{{"rows", rows.size()}, {"excluded", excluded}}.dump();
    audit_.append(c, event);
    summary = {{"rows", rows.size()}, {"excluded_without_consent", excluded}};
  });
  return csv;
}

}  // namespace ctip::cases
