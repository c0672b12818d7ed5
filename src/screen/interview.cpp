#include "screen/interview.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/text.h"
#include "screen/screening.h"

namespace ctip::screen {
namespace {

bool one_of(const auto& list, std::string_view v) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

// Free text a person typed (the place): no control characters, which could hide or reorder
// what a reader of the record or the printed summary sees.
void check_plain_text(const std::string& s, const std::string& field) {
  for (unsigned char ch : s)
    if (ch < 0x20 || ch == 0x7f)
      invalid(field, "'" + field + "' must not contain control characters");
}

// The answers of a draft or a correction: an object of question id -> answer word. The ids are
// checked by the engine when the screening is recorded or re-evaluated (a draft is partial).
void check_answer_words(const Json& answers, const std::string& field) {
  if (!answers.is_object()) invalid(field, "'" + field + "' must be an object");
  // The answer states of issue #8 item 6 (the engine of this version knows yes, no and unknown
  // and names any other word on evaluation).
  static constexpr std::array<std::string_view, 6> kWords = {
      "yes", "no", "unknown", "dont_know", "declined", "not_applicable"};
  if (answers.size() > 200) invalid(field, "'" + field + "' has more than 200 answers");
  for (const auto& [id, v] : answers.items()) {
    std::string f = field + "." + id;
    if (id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), [](char ch) {
          return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
        }))
      invalid(f, "'" + f + "' is not a question id (lower case letters, digits and '_')");
    if (!v.is_string() || !one_of(kWords, v.get<std::string>()))
      invalid(f, "'" + f + "' must be one of " + core::joined(kWords));
  }
}

}  // namespace

Json to_json(const InterviewSetup& s) {
  return {
      {"consent",
       {{"kind", s.consent_kind},
        {"given", s.consent_given},
        {"confidentiality_explained", s.confidentiality_explained},
        {"right_to_stop_explained", s.right_to_stop_explained}}},
      {"safety",
       {{"someone_waiting", s.someone_waiting},
        {"family_at_risk", s.family_at_risk},
        {"urgent", s.urgent()}}},
      {"place", s.place},
      {"sex", s.sex},
      {"interface_language", s.interface_language},
      {"interpreter_language", s.interpreter_language ? Json(*s.interpreter_language) : Json()}};
}

InterviewSetup parse_interview(const Json& j, bool child, bool interpreter_used) {
  JsonObject o(j, "interview.");
  o.only({"consent", "safety", "place", "sex", "interface_language", "interpreter_language"});
  InterviewSetup s;

  const Json& consent = o.object("consent");
  JsonObject c(consent, "interview.consent.");
  c.only({"kind", "given", "confidentiality_explained", "right_to_stop_explained"});
  s.consent_kind = c.string("kind");
  if (s.consent_kind != "consent" && s.consent_kind != "assent")
    invalid("interview.consent.kind", "interview.consent.kind must be \"consent\" or \"assent\"");
  if (child && s.consent_kind != "assent")
    invalid("interview.consent.kind",
            "a child gives assent (with the guardian's or child protection's consent), not "
            "consent: interview.consent.kind must be \"assent\"");
  s.consent_given = c.boolean("given");
  s.confidentiality_explained = c.boolean("confidentiality_explained");
  s.right_to_stop_explained = c.boolean("right_to_stop_explained");
  if (!s.consent_given)
    invalid("interview.consent.given",
            "the person did not agree to the interview: no screening can be recorded (the "
            "danger check and a referral need no interview)");
  if (!s.confidentiality_explained)
    invalid("interview.consent.confidentiality_explained",
            "read out the limits of confidentiality before the questions");
  if (!s.right_to_stop_explained)
    invalid("interview.consent.right_to_stop_explained",
            "tell the person they may stop or not answer at any time before the questions");

  const Json& safety = o.object("safety");
  JsonObject d(safety, "interview.safety.");
  d.only({"someone_waiting", "family_at_risk"});
  for (auto [key, out] : {std::pair{"someone_waiting", &s.someone_waiting},
                          std::pair{"family_at_risk", &s.family_at_risk}}) {
    *out = d.string(key);
    if (!one_of(kSafetyAnswers, *out))
      invalid(d.field(key), d.field(key) + " must be one of " + core::joined(kSafetyAnswers));
  }

  s.place = o.optional_string("place", 120).value_or("");
  check_plain_text(s.place, "interview.place");
  s.sex = o.optional_string("sex").value_or("not_recorded");
  if (!one_of(kSexes, s.sex))
    invalid("interview.sex", "interview.sex must be one of " + core::joined(kSexes));
  s.interface_language = o.string("interface_language");
  check_language(s.interface_language, "interview.interface_language");
  s.interpreter_language = o.optional_string("interpreter_language", 3);
  if (s.interpreter_language) {
    const auto& l = *s.interpreter_language;
    if (l.size() < 2 ||
        !std::all_of(l.begin(), l.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; }))
      invalid("interview.interpreter_language",
              "interview.interpreter_language must be an ISO 639 code in lower case, such as ar");
  }
  if (interpreter_used && !s.interpreter_language)
    invalid("interview.interpreter_language",
            "an interpreter was used: interview.interpreter_language must name their language");
  if (!interpreter_used && s.interpreter_language)
    invalid("interview.interpreter_language",
            "interview.interpreter_language is given but interpreter_used is false");
  return s;
}

ScreeningRequest parse_screening_request(const Json& body, const std::string& today) {
  if (!body.is_object()) invalid("body", "the body must be a JSON object");
  Json rest = body;
  ScreeningRequest out;
  Json interview = rest.contains("interview") ? rest["interview"] : Json();
  JsonObject top(body);
  out.draft_id = top.optional_integer("draft_id");
  if (out.draft_id && *out.draft_id <= 0) invalid("draft_id", "draft_id must be a positive id");
  out.follows = top.optional_integer("follows");
  if (out.follows && *out.follows <= 0) invalid("follows", "follows must be a positive id");
  for (const char* key : {"interview", "draft_id", "follows"}) rest.erase(key);
  out.screening = parse_new_screening(rest, today);
  if (!interview.is_null()) {
    const auto& s = out.screening.screening;
    bool child = (s.age && *s.age < 18) || s.may_be_minor;
    out.interview = parse_interview(interview, child, s.interpreter_used);
  }
  return out;
}

DraftInput parse_draft(const Json& body) {
  JsonObject in(body);
  in.only({"state", "revision", "follows"});
  DraftInput out;
  const Json& state = in.object("state");
  if (state.dump().size() > kMaxDraftStateBytes)
    invalid("state", "state is larger than " + std::to_string(kMaxDraftStateBytes / 1024) + " KB");
  JsonObject s(state, "state.");
  s.only({"step", "setup", "consent", "safety", "answers", "screening_id"});
  std::string step = s.string("step");
  if (!one_of(kDraftSteps, step))
    invalid("state.step", "state.step must be one of " + core::joined(kDraftSteps));
  for (const char* key : {"setup", "consent", "safety"})
    if (s.has(key)) s.object(key);  // an object, whatever it holds
  if (s.has("setup")) {
    // The person reference, once typed, follows the same rules as a recorded one's characters
    // (no control or invisible characters); the deployment's pattern is checked on recording.
    const Json& setup = state["setup"];
    if (setup.contains("personRef") && setup["personRef"].is_string() &&
        !setup["personRef"].get<std::string>().empty()) {
      try {
        parse_person(Json{{"reference", setup["personRef"]}});
      } catch (const Error& e) {
        invalid("state.setup.personRef", e.what());
      }
    }
  }
  if (s.has("answers")) check_answer_words(state["answers"], "state.answers");
  if (s.has("screening_id")) s.integer("screening_id");
  out.state = state;
  out.revision = in.optional_integer("revision");
  out.follows = in.optional_integer("follows");
  if (out.follows && *out.follows <= 0) invalid("follows", "follows must be a positive id");
  return out;
}

CorrectionInput parse_correction(const Json& body) {
  JsonObject in(body);
  in.only({"answers", "reason"});
  CorrectionInput out;
  out.answers = in.object("answers");
  check_answer_words(out.answers, "answers");
  if (out.answers.empty()) invalid("answers", "answers must name at least one corrected answer");
  out.reason = in.string("reason", 500);
  if (out.reason.find_first_not_of(" \t") == std::string::npos)
    invalid("reason", "reason must say why the answers are corrected");
  check_plain_text(out.reason, "reason");
  return out;
}

}  // namespace ctip::screen
