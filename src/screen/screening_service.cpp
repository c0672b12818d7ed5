#include "screen/screening_service.h"

#include <nlohmann/json.hpp>
#include <tuple>

#include "core/country.h"
#include "core/error.h"
#include "screen/screening_repository.h"
#include "screen/stored_screening.h"

namespace ctip::screen {
namespace {

repository::Recorder recorder_of(const auth::Actor& actor) {
  if (!actor.user_id || !actor.org_id)
    throw Error(ErrorCode::invalid_argument,
                "screening records belong to an organisation: act as one of its users", "actor");
  return {*actor.user_id, *actor.org_id};
}

}  // namespace

EncounterRecorded ScreeningService::record_encounter(const auth::Actor& actor,
                                                     const NewEncounter& in) {
  EncounterRecorded out;
  store_.write([&](store::Connection& c) { out = record_encounter(c, actor, in); });
  return out;
}

EncounterRecorded ScreeningService::record_encounter(store::Connection& c, const auth::Actor& actor,
                                                     const NewEncounter& in) {
  auto by = recorder_of(actor);
  check_reference(in.person.reference, reference_pattern(c));
  auto [person_id, encounter_id] = repository::record_encounter(c, by, in.person, in.encounter);
  audit_.append(c, actor.event("encounters.create", "encounter", std::to_string(encounter_id)));
  return {person_id, encounter_id};
}

Json ScreeningService::create_screening(const auth::Actor& actor, const NewScreening& in) {
  Json view;
  store_.write([&](store::Connection& c) { view = create_screening(c, actor, in); });
  return view;
}

Json ScreeningService::create_screening(store::Connection& c, const auth::Actor& actor,
                                        const NewScreening& in) {
  auto by = recorder_of(actor);
  check_reference(in.person.reference, reference_pattern(c));
  auto [person_id, encounter_id] = repository::record_encounter(c, by, in.person, in.encounter);
  int64_t id = repository::save_screening(c, by, person_id, encounter_id, in.screening);
  audit_.append(c, actor.event("screenings.create", "screening", std::to_string(id)));
  auto view = repository::screening_view(c, id);
  if (!view) throw Error(ErrorCode::internal, "the screening just stored cannot be read back");
  return *view;
}

Json ScreeningService::create_screening(const auth::Actor& actor, const ScreeningRequest& req) {
  Json view;
  store_.write([&](store::Connection& c) {
    auto by = recorder_of(actor);
    const NewScreening& in = req.screening;
    // A draft or a screening of another organisation is answered as the dispatcher answers an
    // object of another organisation: not found, and nothing is stored.
    if (req.draft_id && repository::draft_owner(c, *req.draft_id) != by.org_id)
      throw Error(ErrorCode::not_found, "no such draft", "draft_id");
    check_reference(in.person.reference, reference_pattern(c));
    int64_t person_id = 0, encounter_id = 0;
    if (req.follows) {
      auto f = repository::followed_screening(c, *req.follows);
      if (!f || f->org_id != by.org_id)
        throw Error(ErrorCode::not_found, "no such screening to follow", "follows");
      if (f->reference != in.person.reference)
        invalid("person.reference",
                "person.reference must be the reference of the screening it follows");
      person_id = f->person_id;
      encounter_id = f->encounter_id;
    } else {
      std::tie(person_id, encounter_id) =
          repository::record_encounter(c, by, in.person, in.encounter);
    }
    int64_t id = repository::save_screening(c, by, person_id, encounter_id, in.screening);
    repository::set_interview(c, id, req.interview ? to_json(*req.interview) : Json(), req.follows);
    if (req.interview && req.interview->urgent()) {
      // The page refers an urgent danger check now whatever the answers: a case is opened
      // (status "urgent" unless the answers opened one already) for the referrals to belong to.
      repository::ensure_case(c, id, "urgent");
      repository::recommend(
          c, by, id, std::vector<std::string>(kUrgentReferrals.begin(), kUrgentReferrals.end()));
    }
    audit_.append(c, actor.event("screenings.create", "screening", std::to_string(id)));
    if (req.draft_id) {
      repository::close_draft(c, *req.draft_id, "completed", id);
      audit_.append(c, actor.event("screenings.draft.complete", "screening_draft",
                                   std::to_string(*req.draft_id)));
    }
    auto v = repository::screening_view(c, id);
    if (!v) throw Error(ErrorCode::internal, "the screening just stored cannot be read back");
    view = std::move(*v);
  });
  return view;
}

Json ScreeningService::create_draft(const auth::Actor& actor, const DraftInput& in) {
  auto by = recorder_of(actor);
  Json view;
  store_.write([&](store::Connection& c) {
    if (in.follows) {
      auto f = repository::followed_screening(c, *in.follows);
      if (!f || f->org_id != by.org_id)
        throw Error(ErrorCode::not_found, "no such screening to follow", "follows");
    }
    int64_t id = repository::create_draft(c, by, in.state, in.follows);
    audit_.append(c, actor.event("screenings.draft.create", "screening_draft", std::to_string(id)));
    auto d = repository::draft_view(c, id);
    if (!d) throw Error(ErrorCode::internal, "the draft just created cannot be read back");
    view = std::move(*d);
  });
  return view;
}

Json ScreeningService::save_draft(const auth::Actor& actor, int64_t draft_id,
                                  const DraftInput& in) {
  auto by = recorder_of(actor);
  if (in.follows) invalid("follows", "follows is set when a draft is created, not changed");
  Json view;
  store_.write([&](store::Connection& c) {
    view = repository::save_draft(c, by, draft_id, in.state, in.revision);
    audit_.append(
        c, actor.event("screenings.draft.save", "screening_draft", std::to_string(draft_id)));
  });
  return view;
}

Json ScreeningService::get_draft(const auth::Actor& actor, int64_t draft_id) {
  std::optional<Json> view;
  store_.write([&](store::Connection& c) {
    view = repository::draft_view(c, draft_id);
    if (view)
      audit_.append(
          c, actor.event("screenings.draft.read", "screening_draft", std::to_string(draft_id)));
  });
  if (!view) throw Error(ErrorCode::not_found, "no such draft", "id");
  return *view;
}

void ScreeningService::discard_draft(const auth::Actor& actor, int64_t draft_id) {
  store_.write([&](store::Connection& c) {
    repository::close_draft(c, draft_id, "discarded", std::nullopt);
    audit_.append(
        c, actor.event("screenings.draft.discard", "screening_draft", std::to_string(draft_id)));
  });
}

Json ScreeningService::list_drafts(const auth::Actor& actor, int64_t limit) {
  Json list;
  store_.write([&](store::Connection& c) {
    list = repository::list_drafts(c, actor.visible_org, limit);
    audit::Event e =
        actor.event("screenings.draft.read", "screening_draft_list", std::to_string(list.size()));
    std::vector<int64_t> ids;
    for (const auto& d : list) ids.push_back(d.at("id").get<int64_t>());
    e.details = audit::list_details("screening_draft", ids);
    audit_.append(c, e);
  });
  return list;
}

std::optional<int64_t> ScreeningService::draft_owner_of(store::Connection& c, int64_t draft_id) {
  return repository::draft_owner(c, draft_id);
}

Json ScreeningService::correct(const auth::Actor& actor, int64_t screening_id,
                               const CorrectionInput& in) {
  auto by = recorder_of(actor);
  Json view;
  store_.write([&](store::Connection& c) {
    auto before = repository::stored_for_correction(c, screening_id);
    if (!before) throw Error(ErrorCode::not_found, "no such screening", "id");
    Json answers = before->answers;
    std::vector<std::string> changed;
    for (const auto& [id, a] : in.answers.items()) {
      Json previous = answers.contains(id) ? answers[id] : Json("unknown");
      if (previous != a) changed.push_back(id);
      answers[id] = a;
    }
    if (changed.empty())
      invalid("answers", "the corrected answers are those already recorded: nothing changes");
    // The engine checks every id and answer (400 naming "answers.<id>") before anything is
    // written.
    Json result =
        recompute_result({before->instrument, before->requested_profile, before->age,
                          before->may_be_minor, answers, before->language, before->rule_version});
    repository::apply_correction(c, by, screening_id, *before, answers, result, changed, in.reason);
    audit_.append(c, actor.event("screenings.correct", "screening", std::to_string(screening_id)));
    auto v = repository::screening_view(c, screening_id);
    if (!v) throw Error(ErrorCode::internal, "the corrected screening cannot be read back");
    view = std::move(*v);
  });
  return view;
}

Json ScreeningService::export_summary(const auth::Actor& actor, int64_t screening_id) {
  std::optional<Json> view;
  store_.write([&](store::Connection& c) {
    view = repository::screening_view(c, screening_id);
    if (view)
      audit_.append(c, actor.event("screenings.export", "screening", std::to_string(screening_id)));
  });
  if (!view) throw Error(ErrorCode::not_found, "no such screening", "id");
  return *view;
}

Json ScreeningService::list_screenings(const auth::Actor& actor, int64_t limit) {
  Json list;
  store_.write([&](store::Connection& c) {
    list = repository::list_screenings(c, actor.visible_org, limit);
    // Which screenings were returned, not just how many (issue #7 item 5).
    audit::Event e = actor.event("screenings.read", "screening_list", std::to_string(list.size()));
    std::vector<int64_t> ids;
    ids.reserve(list.size());
    for (const auto& s : list) ids.push_back(s.at("id").get<int64_t>());
    e.details = audit::list_details("screening", ids);
    audit_.append(c, e);
  });
  return list;
}

Json ScreeningService::get_screening(const auth::Actor& actor, int64_t screening_id) {
  std::optional<Json> view;
  store_.write([&](store::Connection& c) {
    view = repository::screening_view(c, screening_id);
    if (view)
      audit_.append(c, actor.event("screenings.read", "screening", std::to_string(screening_id)));
  });
  if (!view) throw Error(ErrorCode::not_found, "no such screening", "id");
  return *view;
}

std::optional<int64_t> ScreeningService::owner_of(store::Connection& c, int64_t screening_id) {
  return repository::screening_owner(c, screening_id);
}

Json ScreeningService::refer(const auth::Actor& actor, int64_t screening_id,
                             const std::string& kind) {
  check_referral_kind(kind);
  auto by = recorder_of(actor);
  Json referral;
  store_.write([&](store::Connection& c) {
    referral = repository::make_referral(c, by.user_id, screening_id, kind);
    audit_.append(c, actor.event("screenings.refer", "referral",
                                 std::to_string(referral["id"].get<int64_t>())));
  });
  return referral;
}

Coverage ScreeningService::coverage(const auth::Actor& actor, const std::string& from_month,
                                    const std::string& to_month) {
  check_months(from_month, to_month);
  Coverage out;
  store_.write([&](store::Connection& c) {
    auto rows = repository::coverage_rows(c, actor.visible_org, from_month, to_month);
    out = compute_coverage(rows, repository::setting(c, "country").value_or(""));
    audit_.append(c, actor.event("screenings.coverage", "coverage",
                                 actor.visible_org ? std::to_string(*actor.visible_org) : "all"));
  });
  return out;
}

std::pair<int64_t, int64_t> ScreeningService::compact(const auth::Actor& actor, int64_t batch) {
  int64_t converted = 0, kept = 0, after = 0;
  for (;;) {
    repository::CompactBatch b;
    store_.write([&](store::Connection& c) {
      b = repository::compact_screenings(c, after, batch);
      if (b.last_id > 0)
        audit_.append(
            c, actor.event("screenings.compact", "screening_batch", std::to_string(b.last_id)));
    });
    if (b.last_id == 0) break;
    after = b.last_id;
    converted += b.converted;
    kept += b.kept;
  }
  return {converted, kept};
}

std::string ScreeningService::reference_pattern(store::Connection& c) {
  return repository::setting(c, "reference_pattern")
      .value_or(std::string(kDefaultReferencePattern));
}

void ScreeningService::set_reference_pattern(store::Connection& c, const auth::Actor& actor,
                                             const std::string& pattern) {
  check_reference_pattern(pattern);
  repository::set_setting(c, "reference_pattern", pattern);
  audit_.append(c, actor.event("settings.update", "setting", "reference_pattern"));
}

void ScreeningService::set_country(store::Connection& c, const auth::Actor& actor,
                                   const std::string& country) {
  auto found = find_country(country);
  if (!found || country.size() != 2)
    invalid("country", "country must be an ISO 3166-1 alpha-2 code such as NL");
  repository::set_setting(c, "country", found->alpha2);
  audit_.append(c, actor.event("settings.update", "setting", "country"));
}

}  // namespace ctip::screen
