#include "cases/services/referral_service.h"

#include "audit/audit_log.h"
#include "cases/services/matching.h"
#include "cases/services/provider_service.h"
#include "cases/services/services_repository.h"
#include "core/error.h"
#include "core/time.h"

namespace ctip::cases::services {
namespace {

Json referral_json(const repository::Referral& r) {
  auto opt = [](const auto& v) { return v ? Json(*v) : Json(nullptr); };
  Json reasons = Json::array();
  try {
    reasons = Json::parse(r.match_reasons);
  } catch (const Json::exception&) {
    reasons = Json::array();  // written by this service as JSON; never expected
  }
  return {{"id", r.id},
          {"org_id", r.org_id},
          {"case_id", r.case_id},
          {"provider",
           {{"id", r.provider_id}, {"name", r.provider_name}, {"org_id", opt(r.provider_org_id)}}},
          {"service", r.service},
          {"status", r.status},
          {"interpreter_needed", r.interpreter_needed},
          {"match_reasons", reasons},
          {"note", r.note},
          {"response_reason", opt(r.response_reason)},
          {"completion_note", opt(r.completion_note)},
          {"region", r.region},
          {"created_at", r.created_at},
          {"responded_at", opt(r.responded_at)},
          {"completed_at", opt(r.completed_at)}};
}

bool is_referrer(const auth::Actor& a, const repository::Referral& r) {
  return !a.visible_org || *a.visible_org == r.org_id;
}
bool is_recipient(const auth::Actor& a, const repository::Referral& r) {
  return !a.visible_org || (r.provider_org_id && *a.visible_org == *r.provider_org_id);
}

// The referral when the actor may see it; 404 otherwise (an absent one looks the same).
repository::Referral visible_referral(store::Connection& c, const auth::Actor& actor, int64_t id) {
  auto r = repository::find_referral(c, id);
  if (!r || !(is_referrer(actor, *r) || is_recipient(actor, *r)))
    throw Error(ErrorCode::not_found, "no such referral", "id");
  return *r;
}

}  // namespace

Json ReferralService::create(const auth::Actor& actor, const NewReferral& in) {
  if (in.note.size() > 2000) invalid("note", "the note is longer than 2000 bytes");
  Json out;
  store_.write([&](store::Connection& c) {
    auto kase = case_for_referral(c, actor, in.case_id);
    if (!repository::consent_granted(c, in.case_id, "services"))
      throw Error(ErrorCode::conflict,
                  "the person has not consented to referral to services (no consent for the "
                  "purpose 'services' in force): record it on the case first",
                  "consent");
    auto provider = repository::find_provider(c, in.provider_id);
    if (!provider) throw Error(ErrorCode::not_found, "no such provider", "provider_id");
    Needs needs = kase.person;
    needs.services = {in.service};
    needs.interpreter_needed = in.interpreter_needed;
    if (!in.languages.empty()) needs.languages = in.languages;
    validate(needs);
    auto why_not = exclusion_reasons(*provider, needs);
    if (!why_not.empty()) {
      std::string text;
      for (const auto& r : why_not) text += (text.empty() ? "" : "; ") + r.text;
      throw Error(ErrorCode::conflict,
                  "provider '" + provider->name + "' cannot take this referral: " + text,
                  why_not.front().code);
    }
    if (repository::has_open_referral(c, in.case_id, in.provider_id,
                                      std::string(to_string(in.service))))
      throw Error(ErrorCode::conflict,
                  "the case already has an open referral to this provider for " +
                      std::string(to_string(in.service)),
                  "provider_id");
    std::vector<Provider> one = {*provider};
    auto ranked = services::match(one, needs);
    repository::Referral r;
    r.org_id = kase.org_id;
    r.case_id = in.case_id;
    r.provider_id = in.provider_id;
    r.service = std::string(to_string(in.service));
    r.interpreter_needed = in.interpreter_needed;
    r.match_reasons = reasons_json(ranked.ranked.at(0).reasons).dump();
    r.note = in.note;
    r.region = needs.region;
    r.created_by = actor.user_id;
    r.created_at = now_iso();
    int64_t id = repository::insert_referral(c, r);
    audit_.append(c, actor.event("referrals.create", "service_referral", std::to_string(id)));
    out = referral_json(*repository::find_referral(c, id));
  });
  return out;
}

Json ReferralService::respond(const auth::Actor& actor, int64_t id, const std::string& decision,
                              const std::string& reason) {
  if (decision != "accepted" && decision != "declined")
    invalid("decision", "decision is accepted or declined");
  if (decision == "declined" && reason.empty())
    invalid("reason", "say why the referral is declined");
  if (reason.size() > 2000) invalid("reason", "the reason is longer than 2000 bytes");
  Json out;
  store_.write([&](store::Connection& c) {
    auto r = visible_referral(c, actor, id);
    // The provider's organisation answers; for a provider outside ctip, the referrer records it.
    bool may = r.provider_org_id ? is_recipient(actor, r) : is_referrer(actor, r);
    if (!may)
      throw Error(ErrorCode::permission_denied,
                  "only the provider's organisation answers a referral addressed to it", "id");
    if (r.status != "sent")
      throw Error(ErrorCode::conflict,
                  "the referral is " + r.status + ": only a sent referral is answered", "status");
    auto now = now_iso();
    if (decision == "accepted") {
      if (!repository::change_occupancy(c, r.provider_id, +1, now))
        throw Error(ErrorCode::conflict,
                    "provider '" + r.provider_name +
                        "' has no free place left: decline the referral or free a place first",
                    "capacity");
      if (r.provider_org_id && *r.provider_org_id != r.org_id)
        repository::share_case(c, r.case_id, *r.provider_org_id, "referral", actor.user_id, now);
    }
    std::optional<std::string> why;
    if (!reason.empty()) why = reason;
    if (!repository::move_referral(c, id, "sent", decision, why, actor.user_id, now))
      throw Error(ErrorCode::conflict, "the referral was answered meanwhile", "status");
    audit_.append(
        c, actor.event("referrals." + std::string(decision == "accepted" ? "accept" : "decline"),
                       "service_referral", std::to_string(id)));
    out = referral_json(*repository::find_referral(c, id));
  });
  return out;
}

Json ReferralService::complete(const auth::Actor& actor, int64_t id, const std::string& note) {
  if (note.size() > 2000) invalid("note", "the note is longer than 2000 bytes");
  Json out;
  store_.write([&](store::Connection& c) {
    auto r = visible_referral(c, actor, id);
    if (r.status != "accepted")
      throw Error(ErrorCode::conflict,
                  "the referral is " + r.status + ": only an accepted referral is completed",
                  "status");
    auto now = now_iso();
    std::optional<std::string> why;
    if (!note.empty()) why = note;
    if (!repository::move_referral(c, id, "accepted", "completed", why, actor.user_id, now))
      throw Error(ErrorCode::conflict, "the referral changed meanwhile", "status");
    if (!repository::change_occupancy(c, r.provider_id, -1, now))
      throw Error(ErrorCode::integrity,
                  "provider " + std::to_string(r.provider_id) +
                      " has no place in use to give back: its occupancy was changed by other means",
                  "occupancy");
    audit_.append(c, actor.event("referrals.complete", "service_referral", std::to_string(id)));
    out = referral_json(*repository::find_referral(c, id));
  });
  return out;
}

Json ReferralService::get(const auth::Actor& actor, int64_t id) {
  Json out;
  store_.write([&](store::Connection& c) {
    auto r = visible_referral(c, actor, id);
    audit_.append(c, actor.event("referrals.read", "service_referral", std::to_string(id)));
    out = referral_json(r);
  });
  return out;
}

Json ReferralService::list(const auth::Actor& actor, std::optional<int64_t> case_id,
                           int64_t limit) {
  Json out = Json::array();
  store_.write([&](store::Connection& c) {
    std::vector<int64_t> ids;
    for (const auto& r : repository::list_referrals(c, actor.visible_org, case_id, limit)) {
      ids.push_back(r.id);
      out.push_back(referral_json(r));
    }
    auto e = actor.event("referrals.read", "service_referral_list", std::to_string(ids.size()));
    e.details = audit::list_details("service_referral", ids);
    audit_.append(c, e);
  });
  return out;
}

}  // namespace ctip::cases::services
