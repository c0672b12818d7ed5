// What the linking engine knows about one online ad (issue #10, items 4 and 5): its normalised
// words, its selectors (phone, e-mail, handle, URL, wallet, image), where and when it was posted,
// and the risk indicators the lexicon found in it. The ingest and normalisation stage
// (src/online) fills these; the engine never sees raw text, files or the store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::online::linking {

enum class SelectorKind { phone, email, handle, url, wallet, image };

// "phone", "email", "handle", "url", "wallet", "image".
std::string_view to_string(SelectorKind kind);

// A normalised selector: a phone in E.164 ("+15555550123"), a lower-cased e-mail address, a
// handle with its platform ("instagram:@name"), a URL, a wallet address, an image hash.
struct Selector {
  SelectorKind kind = SelectorKind::phone;
  std::string value;

  friend bool operator==(const Selector&, const Selector&) = default;
};

struct AdFeatures {
  std::string id;
  std::vector<std::string> tokens;  // normalised words, in order
  std::vector<Selector> selectors;
  std::string city;  // normalised; empty when unknown
  std::string site;
  int64_t posted_at = 0;                // unix seconds; 0 when unknown
  std::vector<std::string> indicators;  // lexicon indicator ids found in the ad
  double indicator_weight = 0;          // sum of the found indicators' weights
  bool first_person = false;            // written as "I", "me", "my" rather than "she", "they"
};

}  // namespace ctip::online::linking
