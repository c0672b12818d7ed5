#include "cases/services/matching.h"

#include <algorithm>
#include <cstdio>

#include "core/error.h"
#include "core/text.h"

namespace ctip::cases::services {
namespace {

// The points of the score (matching.h); named so that the reasons quote them.
constexpr double kPerService = 10;
constexpr double kSameRegion = 20;
constexpr double kSpeaksLanguage = 5;
constexpr double kInterpreter = 3;
constexpr double kFreeShare = 5;

bool contains(const std::vector<std::string>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

std::string points_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", p);
  return buf;
}

// The first of the person's languages the provider's staff speak, if any.
std::optional<std::string> shared_language(const Provider& p, const Needs& n) {
  for (const auto& l : n.languages)
    if (contains(p.languages, l)) return l;
  return std::nullopt;
}

}  // namespace

void validate(const Needs& n) {
  if (n.services.empty()) invalid("services", "name at least one needed service");
  if (n.sex && !std::ranges::any_of(kSexes, [&](auto s) { return s == *n.sex; }))
    invalid("sex", "sex is one of " + core::joined(kSexes));
  if (n.documentation_status && !std::ranges::any_of(kDocumentationStatuses, [&](auto s) {
        return s == *n.documentation_status;
      }))
    invalid("documentation_status",
            "documentation_status is one of " + core::joined(kDocumentationStatuses));
  if (n.age && (*n.age < 0 || *n.age > 130)) invalid("age", "age is between 0 and 130");
  if (n.interpreter_needed && n.languages.empty())
    invalid("languages", "an interpreter is needed: name the person's languages");
}

std::vector<Reason> exclusion_reasons(const Provider& p, const Needs& n) {
  std::vector<Reason> out;
  if (!std::ranges::any_of(n.services, [&](ServiceType t) { return p.offers(t); })) {
    std::vector<std::string_view> names;
    names.reserve(n.services.size());
    for (auto t : n.services) names.push_back(to_string(t));
    out.push_back({"service", "offers none of the needed services (" + core::joined(names) + ")"});
  }
  if (p.free_places() <= 0)
    out.push_back({"capacity", "no free place (" + std::to_string(p.occupancy) + " of " +
                                   std::to_string(p.capacity) + " in use)"});
  const auto& e = p.eligibility;
  if (!e.sexes.empty()) {
    if (!n.sex || *n.sex == "unknown")
      out.push_back({"sex", "admits only " + core::joined(e.sexes) +
                                " and the person's sex is "
                                "not recorded"});
    else if (!contains(e.sexes, *n.sex))
      out.push_back({"sex", "admits only " + core::joined(e.sexes) + ", not " + *n.sex});
  }
  if (e.min_age || e.max_age) {
    std::string range = (e.min_age ? std::to_string(*e.min_age) : "any") + " to " +
                        (e.max_age ? std::to_string(*e.max_age) : "any");
    if (!n.age)
      out.push_back({"age", "admits ages " + range + " and the person's age is not recorded"});
    else if ((e.min_age && *n.age < *e.min_age) || (e.max_age && *n.age > *e.max_age))
      out.push_back({"age", "admits ages " + range + ", not " + std::to_string(*n.age)});
  }
  if (!e.nationalities.empty()) {
    if (!n.nationality)
      out.push_back({"nationality", "admits only nationals of " + core::joined(e.nationalities) +
                                        " and the person's nationality is not recorded"});
    else if (!contains(e.nationalities, *n.nationality))
      out.push_back({"nationality", "admits only nationals of " + core::joined(e.nationalities) +
                                        ", not " + *n.nationality});
  }
  if (!e.documentation.empty()) {
    auto status = n.documentation_status.value_or("unknown");
    if (!contains(e.documentation, status))
      out.push_back({"documentation", "admits documentation status " +
                                          core::joined(e.documentation) + ", not " + status});
  }
  if (n.interpreter_needed && !shared_language(p, n) && !p.interpreter)
    out.push_back(
        {"language", "speaks none of " + core::joined(n.languages) + " and brings no interpreter"});
  return out;
}

namespace {

// exclusion_reasons(p, n).empty(), without building a message: the common case of a directory
// of thousands, most of which a person's needs rule out.
bool admits(const Provider& p, const Needs& n) {
  if (p.free_places() <= 0) return false;
  if (!std::ranges::any_of(n.services, [&](ServiceType t) { return p.offers(t); })) return false;
  const auto& e = p.eligibility;
  if (!e.sexes.empty() && (!n.sex || !contains(e.sexes, *n.sex))) return false;
  if ((e.min_age || e.max_age) &&
      (!n.age || (e.min_age && *n.age < *e.min_age) || (e.max_age && *n.age > *e.max_age)))
    return false;
  if (!e.nationalities.empty() && (!n.nationality || !contains(e.nationalities, *n.nationality)))
    return false;
  if (!e.documentation.empty() &&
      !contains(e.documentation, n.documentation_status.value_or("unknown")))
    return false;
  if (n.interpreter_needed && !shared_language(p, n) && !p.interpreter) return false;
  return true;
}

double free_share(const Provider& p) {
  return p.capacity > 0 ? static_cast<double>(p.free_places()) / static_cast<double>(p.capacity)
                        : 0;
}

// The score of a provider that admits the person: the sum of the points reasons() lists.
double score_of(const Provider& p, const Needs& n) {
  double score = 0;
  for (auto t : n.services)
    if (p.offers(t)) score += kPerService;
  if (!n.region.empty() && core::iequals(p.region, n.region)) score += kSameRegion;
  if (shared_language(p, n))
    score += kSpeaksLanguage;
  else if (!n.languages.empty() && p.interpreter)
    score += kInterpreter;
  return score + kFreeShare * free_share(p);
}

// The explanation of a ranked provider's score, one reason per point awarded or withheld.
void explain(RankedProvider& r, const Provider& p, const Needs& n) {
  for (auto t : n.services)
    if (p.offers(t)) {
      r.services.push_back(t);
      r.reasons.push_back({"service", "offers " + std::string(to_string(t)), kPerService});
    }
  if (!n.region.empty()) {
    if (core::iequals(p.region, n.region))
      r.reasons.push_back({"region", "in the person's region (" + p.region + ")", kSameRegion});
    else
      r.reasons.push_back({"region",
                           "in " +
                               (p.region.empty() ? std::string("an unknown region") : p.region) +
                               ", not the person's region " + n.region,
                           0});
  }
  if (auto l = shared_language(p, n))
    r.reasons.push_back({"language", "staff speak " + *l, kSpeaksLanguage});
  else if (!n.languages.empty() && p.interpreter)
    r.reasons.push_back({"interpreter", "brings an interpreter", kInterpreter});
  r.reasons.push_back(
      {"capacity",
       std::to_string(r.free_places) + " of " + std::to_string(p.capacity) + " places free",
       kFreeShare * free_share(p)});
  for (auto& reason : r.reasons)
    if (reason.points != 0) reason.text += " (" + points_text(reason.points) + ")";
}

}  // namespace

MatchResult match(std::span<const Provider> providers, const Needs& n, size_t limit,
                  bool explain_excluded) {
  validate(n);
  MatchResult out;
  out.ranked.reserve(providers.size());
  for (size_t i = 0; i < providers.size(); ++i) {
    const auto& p = providers[i];
    if (!admits(p, n)) {
      ExcludedProvider x{i, p.id, {}};
      if (explain_excluded) x.reasons = exclusion_reasons(p, n);
      out.excluded.push_back(std::move(x));
      continue;
    }
    RankedProvider r;
    r.index = i;
    r.provider_id = p.id;
    r.free_places = p.free_places();
    r.score = score_of(p, n);
    out.ranked.push_back(std::move(r));
  }
  auto before = [](const RankedProvider& a, const RankedProvider& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.free_places != b.free_places) return a.free_places > b.free_places;
    return a.provider_id < b.provider_id;
  };
  if (limit > 0 && limit < out.ranked.size()) {
    std::partial_sort(out.ranked.begin(), out.ranked.begin() + static_cast<ptrdiff_t>(limit),
                      out.ranked.end(), before);
    out.ranked.resize(limit);
  } else {
    std::sort(out.ranked.begin(), out.ranked.end(), before);
  }
  // Only the providers shown are explained.
  for (size_t i = 0; i < out.ranked.size(); ++i) {
    out.ranked[i].rank = static_cast<int>(i + 1);
    explain(out.ranked[i], providers[out.ranked[i].index], n);
  }
  return out;
}

}  // namespace ctip::cases::services
