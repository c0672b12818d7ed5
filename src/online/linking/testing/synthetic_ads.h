// Small synthetic corpora for the linking engine's tests (not the benchmark's generator,
// bench/gen_ads.py): templated ads with slots and edits, and shared boilerplate.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ctip::online::linking::testing {

class SyntheticText {
 public:
  explicit SyntheticText(uint32_t seed) : rng_(seed) {}

  // n words from a vocabulary of `vocabulary` words.
  std::vector<std::string> words(size_t n, size_t vocabulary = 2000) {
    std::vector<std::string> out;
    for (size_t i = 0; i < n; ++i) out.push_back("w" + std::to_string(rng_() % vocabulary));
    return out;
  }

  // A variant of a template: the words at `slots` replaced by a name, an age or a city, and
  // `edits` random edits (a word dropped, a word inserted, a word replaced).
  std::vector<std::string> variant(std::vector<std::string> text, const std::vector<size_t>& slots,
                                   int edits) {
    static const char* names[] = {"anna", "bella", "cora", "dina", "ella", "fay", "gina", "hana"};
    static const char* cities[] = {"boston", "denver", "austin", "miami", "tulsa", "reno"};
    for (size_t k = 0; k < slots.size(); ++k) {
      const size_t at = slots[k];
      if (at >= text.size()) continue;
      switch (k % 3) {
        case 0:
          text[at] = names[rng_() % 8];
          break;
        case 1:
          text[at] = std::to_string(19 + rng_() % 15);
          break;
        default:
          text[at] = cities[rng_() % 6];
          break;
      }
    }
    for (int e = 0; e < edits && text.size() > 2; ++e) {
      const size_t at = rng_() % text.size();
      switch (rng_() % 3) {
        case 0:
          text.erase(text.begin() + static_cast<ptrdiff_t>(at));
          break;
        case 1:
          text.insert(text.begin() + static_cast<ptrdiff_t>(at),
                      "e" + std::to_string(rng_() % 5000));
          break;
        default:
          text[at] = "e" + std::to_string(rng_() % 5000);
          break;
      }
    }
    return text;
  }

  uint32_t next() { return rng_(); }

 private:
  std::mt19937 rng_;
};

}  // namespace ctip::online::linking::testing
