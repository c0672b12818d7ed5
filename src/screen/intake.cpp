#include "screen/intake.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/country.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"
#include "screen/catalogue.h"
#include "screen/screening.h"

namespace ctip::screen {
namespace {

bool one_of(const auto& list, const std::string& v) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

// The first code point of `s` at `i` (advancing i), or -1 when the bytes are not UTF-8.
int32_t next_code_point(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || i + len > s.size()) return -1;
  int32_t cp = len == 1 ? b : b & (0x7f >> len);
  for (int k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return -1;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;  // overlong
  i += len;
  return cp;
}

// Control characters, and the invisible format and bidirectional controls of Unicode that can
// hide or reorder text (Unicode TR #9; CVE-2021-42574, "Trojan Source").
bool hidden_or_control(int32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x180e ||
         (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
         (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff;
}

// The compiled pattern, kept per thread: a request compiles it once per change.
const std::regex& compiled(const std::string& pattern) {
  thread_local std::string source;
  thread_local std::regex re;
  if (source != pattern || source.empty()) {
    re = std::regex(pattern, std::regex::ECMAScript);
    source = pattern;
  }
  return re;
}

}  // namespace

void check_reference_pattern(const std::string& pattern) {
  if (pattern.empty() || pattern.size() > 200)
    invalid("reference_pattern", "reference_pattern must be 1 to 200 characters");
  try {
    if (std::regex_match(std::string(), compiled(pattern)))
      invalid("reference_pattern", "reference_pattern must not accept an empty reference");
  } catch (const std::regex_error& e) {
    invalid("reference_pattern",
            "reference_pattern is not an ECMAScript regular expression: " + std::string(e.what()));
  }
}

void check_reference(const std::string& reference, const std::string& pattern) {
  bool ok = false;
  try {
    ok = std::regex_match(reference, compiled(pattern));
  } catch (const std::regex_error&) {
    ok = false;  // a stored pattern that no longer compiles accepts nothing
  }
  if (!ok)
    invalid("person.reference",
            "person.reference must be a pseudonymous reference matching the pattern '" + pattern +
                "' (by default letters, digits and '-', 4 to 32 characters); never a name");
}

void check_date(const std::string& date, const std::string& field) {
  using namespace std::chrono;
  int y = 0;
  unsigned m = 0, d = 0;
  bool shape = date.size() == 10 && date[4] == '-' && date[7] == '-' &&
               std::all_of(date.begin(), date.end(), [](char ch) {
                 return std::isdigit(static_cast<unsigned char>(ch)) || ch == '-';
               });
  if (shape) {
    y = std::stoi(date.substr(0, 4));
    m = static_cast<unsigned>(std::stoi(date.substr(5, 2)));
    d = static_cast<unsigned>(std::stoi(date.substr(8, 2)));
  }
  if (!shape || !year_month_day{year{y}, month{m}, day{d}}.ok() || y < 1990)
    invalid(field, "'" + field + "' must be a calendar date YYYY-MM-DD (from 1990)");
}

PersonInput parse_person(const Json& j) {
  JsonObject o(j, "person.");
  o.only({"reference", "nationality"});
  PersonInput p;
  p.reference = o.string("reference");
  if (p.reference.empty() || p.reference.size() > 64)
    invalid("person.reference", "person.reference must be 1 to 64 characters");
  for (size_t i = 0; i < p.reference.size();) {
    int32_t cp = next_code_point(p.reference, i);
    if (cp < 0) invalid("person.reference", "person.reference is not valid UTF-8");
    if (hidden_or_control(cp))
      invalid("person.reference",
              "person.reference must not contain control, invisible or bidirectional "
              "formatting characters");
  }
  if (auto n = o.optional_string("nationality")) {
    auto c = find_country(*n);
    if (!c || n->size() != 2)
      invalid("person.nationality",
              "person.nationality must be an ISO 3166-1 alpha-2 code such as NG, or null");
    p.nationality = c->alpha2;
  }
  return p;
}

EncounterInput parse_encounter(const Json& j, const std::string& today) {
  JsonObject o(j, "encounter.");
  o.only({"source", "date"});
  EncounterInput e;
  e.source = o.string("source");
  if (!one_of(kEncounterSources, e.source))
    invalid("encounter.source",
            "encounter.source must be one of " + core::joined(kEncounterSources));
  e.date = o.optional_string("date").value_or(today);
  check_date(e.date, "encounter.date");
  if (e.date > today) invalid("encounter.date", "encounter.date is in the future");
  return e;
}

std::vector<std::string> recommended_referrals(const Json& result) {
  std::vector<std::string> out;
  if (!result.is_object() || !result.contains("referrals") || !result["referrals"].is_array())
    return out;
  for (const auto& k : result["referrals"])
    if (k.is_string() && one_of(kReferralKinds, k.get<std::string>()))
      out.push_back(k.get<std::string>());
  return out;
}

std::optional<std::string> case_status(const Json& result) {
  if (!result.is_object()) return std::nullopt;
  std::string outcome = result.value("outcome", "");
  if (outcome == "presumed_trafficking") return "presumed";
  if (outcome == "possible_trafficking") return "possible";
  if (result.value("action", "") == "refer_now") return "indicators";
  return std::nullopt;
}

void check_referral_kind(const std::string& kind) {
  if (!one_of(kReferralKinds, kind))
    invalid("kind", "kind must be one of " + core::joined(kReferralKinds));
}

NewEncounter parse_new_encounter(const Json& body, const std::string& today) {
  JsonObject in(body);
  in.only({"person", "encounter"});
  return {parse_person(in.object("person")), parse_encounter(in.object("encounter"), today)};
}

NewScreening parse_new_screening(const Json& body, const std::string& today) {
  JsonObject in(body);
  in.only({"person", "encounter", "language", "interpreter_used", "instrument", "profile", "age",
           "may_be_minor", "answers"});
  NewScreening out;
  out.person = parse_person(in.object("person"));
  out.encounter = parse_encounter(in.object("encounter"), today);
  ScreeningInput& s = out.screening;
  s.language = in.string("language");
  check_language(s.language, "language");
  s.interpreter_used = in.optional_boolean("interpreter_used").value_or(false);
  s.instrument = in.optional_string("instrument").value_or("full");
  // The engine validates profile, age, may_be_minor and answers, naming the field.
  Json evaluation = Json::object();
  for (const char* key : {"profile", "age", "may_be_minor", "answers"})
    if (body.contains(key)) evaluation[key] = body[key];
  evaluation["lang"] = s.language;
  if (s.instrument == "full")
    s.result = to_json(evaluate(parse_evaluation_input(evaluation)));
  else if (s.instrument == "screener")
    s.result = to_json(evaluate(parse_screener_input(evaluation)));
  else
    invalid("instrument", "instrument must be \"full\" or \"screener\"");
  s.profile = s.result.value("profile", "");
  if (body.contains("profile") && body["profile"].is_string())
    s.requested_profile = body["profile"].get<std::string>();
  if (body["age"].is_number_integer()) s.age = body["age"].get<int64_t>();
  s.may_be_minor = body.value("may_be_minor", false);
  s.answers = body["answers"];
  return out;
}

}  // namespace ctip::screen
