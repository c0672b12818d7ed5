#include "flows/demo_data.h"

#include <array>
#include <string_view>

namespace ctip::flows {
namespace {

// splitmix64 (Steele, Lea & Flood 2014): small, seedable, the same on every machine.
struct DemoRandom {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
  bool chance(double p) { return uniform() < p; }
  size_t below(size_t n) { return static_cast<size_t>(next() % n); }
};

struct Corridor {
  std::string_view citizenship, exploitation;
  double weight;
};

// Domestic corridors (drawn more often from 2020) and cross-border ones.
constexpr std::array<Corridor, 9> kDomestic = {{{"UA", "UA", 30},
                                                {"PH", "PH", 20},
                                                {"US", "US", 40},
                                                {"ID", "ID", 10},
                                                {"NG", "NG", 8},
                                                {"MX", "MX", 8},
                                                {"TH", "TH", 6},
                                                {"IN", "IN", 8},
                                                {"BR", "BR", 5}}};
constexpr std::array<Corridor, 16> kCrossBorder = {{{"UA", "RU", 12},
                                                    {"UA", "PL", 8},
                                                    {"MD", "RU", 6},
                                                    {"PH", "MY", 5},
                                                    {"KH", "TH", 6},
                                                    {"MM", "TH", 5},
                                                    {"NG", "IT", 6},
                                                    {"MX", "US", 12},
                                                    {"ID", "MY", 6},
                                                    {"BY", "RU", 4},
                                                    {"VN", "GB", 3},
                                                    {"RO", "GB", 4},
                                                    {"NP", "IN", 5},
                                                    {"BD", "IN", 4},
                                                    {"VE", "CO", 5},
                                                    {"ET", "SA", 4}}};

// A long tail of rare corridors, as real data have: small cells for disclosure control to act on.
constexpr std::array<std::string_view, 12> kRareOrigins = {"AF", "ER", "SD", "SY", "CM", "GN",
                                                           "LK", "PK", "UZ", "KG", "HN", "PY"};
constexpr std::array<std::string_view, 8> kRareDestinations = {"DE", "FR", "ES", "NL",
                                                               "TR", "AE", "JP", "CA"};

template <size_t N>
const Corridor& pick(const std::array<Corridor, N>& list, DemoRandom& r) {
  double total = 0;
  for (const auto& c : list) total += c.weight;
  double x = r.uniform() * total;
  for (const auto& c : list) {
    if (x < c.weight) return c;
    x -= c.weight;
  }
  return list.back();
}

constexpr std::array<std::string_view, 9> kAges = {"0--8",   "9--17",  "18--20", "21--23", "24--26",
                                                   "27--29", "30--38", "39--47", "48+"};
constexpr std::array<std::string_view, 4> kLabour = {"Agriculture", "Construction", "DomesticWork",
                                                     "Manufacturing"};
constexpr std::array<std::string_view, 5> kControl = {
    "DebtBondage", "TakesEarnings", "RestrictsMovement", "PsychologicalAbuse", "Threats"};
constexpr std::array<std::string_view, 4> kRecruiter = {"IntimatePartner", "Friend", "Family",
                                                        "Other"};

std::string_view flag(bool set, DemoRandom& r) {
  if (set) return r.chance(0.1) ? "1.0" : "1";
  double x = r.uniform();
  return x < 0.8 ? "0" : (x < 0.9 ? "0.0" : "-99");
}

}  // namespace

std::string demo_ctdc_csv(size_t records, uint64_t seed) {
  DemoRandom r{seed};
  std::string out =
      "\"Terms of use: generated demonstration data, not real persons.\",yearOfRegistration,"
      "Datasource,gender,ageBroad,majorityStatus,citizenship,CountryOfExploitation,"
      "isForcedLabour,isSexualExploit,isOtherExploit";
  for (auto l : kLabour) out += ",typeOfLabour" + std::string(l);
  for (auto c : kControl) out += ",meansOfControl" + std::string(c);
  for (auto c : kRecruiter) out += ",recruiterRelation" + std::string(c);
  out += "\n";
  out.reserve(records * 110);
  for (size_t i = 0; i < records; ++i) {
    // More records each year, and a jump in 2020 as detection moved (a changepoint to find).
    int year = 2015 + static_cast<int>(r.below(9));
    if (year < 2020 && r.chance(0.25)) year = 2020 + static_cast<int>(r.below(4));
    const bool pandemic = year >= 2020;
    const Corridor& c =
        r.chance(pandemic ? 0.62 : 0.42) ? pick(kDomestic, r) : pick(kCrossBorder, r);
    std::string_view citizenship = c.citizenship, exploitation = c.exploitation;
    if (r.chance(0.02)) {
      citizenship = kRareOrigins[r.below(kRareOrigins.size())];
      exploitation = kRareDestinations[r.below(kRareDestinations.size())];
    }
    double u = r.uniform();
    if (u < 0.04)
      citizenship = "0";  // CTDC's "unknown" spellings
    else if (u < 0.06)
      citizenship = "-99";
    if (r.chance(0.03)) exploitation = "";
    const bool female = r.chance(0.68);
    const bool child = r.chance(0.22);
    std::string_view age = child ? kAges[r.below(2)] : kAges[2 + r.below(7)];
    if (r.chance(0.1)) age = "-99";
    const bool labour = r.chance(pandemic ? 0.55 : 0.38);
    const bool sexual = !labour || r.chance(0.08);
    out += ",";
    out += std::to_string(year);
    out += r.chance(0.8) ? ",Case Management," : ",Hotline,";
    out += r.chance(0.01) ? "Transgender" : (female ? "Female" : "Male");
    out += ",";
    out += age;
    out += child ? ",Minor," : ",Adult,";
    out += citizenship;
    out += ",";
    out += exploitation;
    out += ",";
    out += flag(labour, r);
    out += ",";
    out += flag(sexual, r);
    out += ",";
    out += flag(r.chance(0.03), r);
    const size_t labour_type = r.below(kLabour.size());
    for (size_t l = 0; l < kLabour.size(); ++l) {
      out += ",";
      out += flag(labour && l == labour_type, r);
    }
    for (size_t m = 0; m < kControl.size(); ++m) {
      out += ",";
      out += flag(r.chance(m == 0 && labour ? 0.5 : 0.25), r);
    }
    const size_t recruiter = r.below(kRecruiter.size());
    for (size_t k = 0; k < kRecruiter.size(); ++k) {
      out += ",";
      out += flag(r.chance(0.6) && k == recruiter, r);
    }
    out += "\n";
  }
  return out;
}

}  // namespace ctip::flows
