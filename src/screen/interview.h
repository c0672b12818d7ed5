// The interview around a screening (issue #8 items 7 and 8), pure: how it was set up — consent
// or a child's assent with the limits of confidentiality read out and the right to stop, the
// immediate-danger check, the place, sex or gender, the interface and interpreter languages —
// the drafts a screener's answers are saved in as they are given, and a correction of a stored
// screening's answers. Strict parsing; every error names the field. No store, no I/O: the
// repository (screening_repository.h) stores what this accepts.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>  // Json held by value
#include <optional>
#include <string>
#include <string_view>

#include "core/json_input.h"
#include "screen/intake.h"

namespace ctip::screen {

// Sex or gender as recorded for gendered translations (French and Arabic address a person by
// their grammatical gender); "not_recorded" when the person did not say.
inline constexpr std::array<std::string_view, 4> kSexes = {"female", "male", "other",
                                                           "not_recorded"};
// Answers to the two immediate-danger questions ("is someone waiting for you outside?", "is
// your family at risk?"). "declined": the person would not say; treated as a warning sign.
inline constexpr std::array<std::string_view, 3> kSafetyAnswers = {"yes", "no", "declined"};

// The interview's setup, as given in `interview` of POST /api/v1/screenings.
//
// Consent (adults) or assent (children, with the guardian's or child-protection worker's
// consent as national law asks) is recorded before any question, with the limits of
// confidentiality read out and the right to stop explained: a screening without them is refused
// (IOM, *Handbook on protection and assistance for migrants vulnerable to violence*, 2019,
// ch. 2: informed consent; UNICEF *Guidelines on the protection of child victims of
// trafficking*, 2006, 3.4: a child's views and assent).
struct InterviewSetup {
  std::string consent_kind;  // "consent" or "assent"
  bool consent_given = false;
  bool confidentiality_explained = false;
  bool right_to_stop_explained = false;
  std::string someone_waiting;     // kSafetyAnswers
  std::string family_at_risk;      // kSafetyAnswers
  std::string place;               // where the encounter took place, at most 120 characters
  std::string sex;                 // kSexes
  std::string interface_language;  // the screener's language (kLanguages)
  std::optional<std::string> interpreter_language;  // ISO 639-1, when an interpreter was used

  // Immediate danger: someone waits outside or the family is at risk; the screening then
  // recommends protection at once, whatever its outcome.
  bool urgent() const { return someone_waiting == "yes" || family_at_risk == "yes"; }
};

Json to_json(const InterviewSetup& s);

// Referrals recommended at once when the danger check is urgent, whatever the outcome: a safe
// place, medical care and legal aid (protection first; OSCE/ODIHR National Referral
// Mechanisms, 2nd ed. 2022, 2.2: immediate assistance before identification).
inline constexpr std::array<std::string_view, 3> kUrgentReferrals = {"shelter", "medical_care",
                                                                     "legal_aid"};

// Parses `interview`. `child` is true when the child rules apply (age under 18, or may be a
// minor): assent is then required, not consent. `interpreter_used` requires the interpreter's
// language. Throws invalid naming "interview.<field>".
InterviewSetup parse_interview(const Json& j, bool child, bool interpreter_used);

// POST /api/v1/screenings as the workflow takes it: the screening (intake.h), its interview
// setup when given (clients before issue #8 send none), the draft it completes, and the
// screening it follows (the full interview after a screener).
struct ScreeningRequest {
  NewScreening screening;
  std::optional<InterviewSetup> interview;
  std::optional<int64_t> draft_id;
  std::optional<int64_t> follows;
};
ScreeningRequest parse_screening_request(const Json& body, const std::string& today);

// A draft: what the screener has entered so far, saved as answers are given so that a reload
// or an expired session loses nothing. Its `state` is the page's: the step reached, the setup
// form, the consent and safety answers and the answers; it is validated for shape and size,
// not for completeness (a draft is partial by nature). Answers are checked when the screening
// is recorded.
inline constexpr std::array<std::string_view, 7> kDraftSteps = {
    "setup", "consent", "safety", "questions", "urgent", "result", "full_interview"};
// The largest draft state accepted: a fully answered 67-question interview with its setup is
// about 4 KB.
inline constexpr size_t kMaxDraftStateBytes = size_t{64} * 1024;
struct DraftInput {
  Json state;                       // validated (parse_draft)
  std::optional<int64_t> revision;  // the revision the client saw (409 when another was saved)
  std::optional<int64_t> follows;   // a screening this draft completes (full interview)
};
// Body of POST /api/v1/screenings/drafts and POST /api/v1/screenings/drafts/{id}: {"state":
// {...}, "revision": n, "follows": id}. Throws invalid naming "state.<field>".
DraftInput parse_draft(const Json& body);

// A correction of a stored screening: the answers that change and why (POST
// /api/v1/screenings/{id}/corrections). Throws invalid naming the field.
struct CorrectionInput {
  Json answers;  // {"<question id>": answer}; checked by the engine on re-evaluation
  std::string reason;
};
CorrectionInput parse_correction(const Json& body);

}  // namespace ctip::screen
