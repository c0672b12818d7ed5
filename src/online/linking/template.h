// The template of a cluster of near-duplicate ads (issue #10 item 4): the text its ads share
// and the slots where they differ (names, ages, cities, numbers), chosen by a description-length
// criterion as InfoShield does (Lee et al., "InfoShield: Generalizable Information-Theoretic
// Human-Trafficking Detection", ICDE 2021). See README.md, "Templates".
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ctip::online::linking {

// One ad of the cluster: its normalised tokens and its city (to name a slot that holds it).
struct TemplateAd {
  std::span<const std::string> tokens;
  std::string_view city;
};

enum class SlotKind { text, number, age, city };
std::string_view to_string(SlotKind kind);

// A template is a sequence of parts: a literal token, or a slot (a gap where ads differ).
struct TemplatePart {
  bool slot = false;
  std::string token;  // the literal token; empty for a slot
  int slot_index = -1;
  SlotKind kind = SlotKind::text;
};

// What one ad puts in each slot (its tokens joined by spaces; empty when it puts nothing), and
// how many of the template's tokens it lacks.
struct SlotFill {
  std::vector<std::string> values;  // one per slot, in slot order
  int missing_tokens = 0;
};

struct ClusterTemplate {
  std::vector<TemplatePart> parts;
  size_t slots = 0;
  std::vector<SlotFill> fills;  // one per ad given, in the order given
  // The description-length choice: the share of ads a reference token must be aligned in to
  // stay literal, the bits of the template plus every ad given it, and the bits of the ads
  // written out without one. compresses is false when the template does not pay for itself.
  double support = 1;
  double description_bits = 0;
  double raw_bits = 0;
  bool compresses = false;
  size_t ads_used = 0;  // the ads the template was chosen on (at most TemplateParams::max_ads)

  // The template as text: literal tokens, and slots as "{1:age}", "{2:city}", ...
  std::string text() const;
};

struct TemplateParams {
  size_t max_ads = 64;         // the template is chosen on the first max_ads ads (all are filled)
  size_t reference_pool = 16;  // the reference ad is the medoid of the first ads of the pool
  // The support levels tried; the one with the shortest description wins.
  std::vector<double> supports{1.0, 0.9, 0.75, 0.5, 0.3, 0.1};
};

// Builds the template of a cluster. Deterministic: the same ads in the same order give the same
// template. An empty input gives an empty template.
ClusterTemplate build_template(std::span<const TemplateAd> ads, const TemplateParams& params = {});

}  // namespace ctip::online::linking
