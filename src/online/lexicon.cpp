#include "online/lexicon.h"

#include <hs/hs.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/csv.h"
#include "core/embedded.h"
#include "core/error.h"

namespace ctip::embedded {
const std::vector<File>& online_lexicons();  // data/lexicons/*.json, src/online/CMakeLists.txt
}

namespace ctip::online {
namespace {

constexpr size_t kMaxIndicators = 10000;
constexpr size_t kMaxPattern = 512;

std::string entry_name(size_t i) {
  std::string s = "indicators[" + std::to_string(i) + "]";
  return s;
}

[[noreturn]] void bad_entry(size_t i, const Json& e, std::string_view key, const std::string& msg) {
  std::string id = e.is_object() && e.contains("id") && e["id"].is_string()
                       ? " (" + quote(e["id"].get<std::string>()) + ")"
                       : "";
  std::string field = entry_name(i) + (key.empty() ? "" : "." + std::string(key));
  invalid(field, field + id + ": " + msg);
}

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

// A phrase as a Hyperscan expression over the normalised text: the words in order, separated by
// up to three non-word characters ("new in town", "new-in-town", "new  in\ntown"), with word
// boundaries at the ends so that "new in towns" still matches but "renew in town" does not.
std::string phrase_regex(std::string_view normalised) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < normalised.size()) {
    while (i < normalised.size() && normalised[i] == ' ') ++i;
    size_t j = i;
    while (j < normalised.size() && normalised[j] != ' ') ++j;
    if (j > i) words.push_back(normalised.substr(i, j - i));
    i = j;
  }
  auto escape = [](std::string_view w) {
    std::string out;
    for (char c : w) {
      auto u = static_cast<unsigned char>(c);
      bool plain = u >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ';
      if (!plain) out += '\\';
      out += c;
    }
    return out;
  };
  // Hyperscan's \b is ASCII's (it refuses \b in UCP mode): a boundary only at an ASCII letter or
  // digit; a phrase that starts or ends with "é" or an emoji gets none there.
  auto is_word_byte = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  std::string re;
  if (!words.empty() && is_word_byte(words.front().front())) re += "\\b";
  for (size_t k = 0; k < words.size(); ++k) {
    if (k) re += "\\W{1,3}";
    re += escape(words[k]);
  }
  if (!words.empty() && is_word_byte(words.back().back())) re += "\\b";
  return re;
}

std::string literal_regex(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

struct Compiled {
  std::vector<std::string> expressions;
  std::vector<unsigned> flags, ids;
};

hs_database* compile(const std::vector<Indicator>& indicators) {
  Compiled c;
  c.expressions.reserve(indicators.size());
  c.flags.reserve(indicators.size());
  c.ids.reserve(indicators.size());
  for (size_t i = 0; i < indicators.size(); ++i) {
    const Indicator& ind = indicators[i];
    switch (ind.kind) {
      case IndicatorKind::phrase:
        c.expressions.push_back(phrase_regex(normalize_string(ind.pattern)));
        break;
      case IndicatorKind::emoji:
        c.expressions.push_back(literal_regex(normalize_string(ind.pattern)));
        break;
      case IndicatorKind::regex:
        c.expressions.push_back(ind.pattern);
        break;
    }
    c.flags.push_back(HS_FLAG_UTF8 | HS_FLAG_SOM_LEFTMOST);
    c.ids.push_back(static_cast<unsigned>(i));
  }
  std::vector<const char*> ptrs;
  ptrs.reserve(c.expressions.size());
  for (const auto& e : c.expressions) ptrs.push_back(e.c_str());
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(ptrs.data(), c.flags.data(), c.ids.data(),
                       static_cast<unsigned>(ptrs.size()), HS_MODE_BLOCK, nullptr, &db,
                       &err) != HS_SUCCESS) {
    std::string msg = err && err->message ? err->message : "unknown error";
    int expr = err ? err->expression : -1;
    hs_free_compile_error(err);
    if (expr >= 0 && static_cast<size_t>(expr) < indicators.size())
      invalid("indicators[" + std::to_string(expr) + "].pattern",
              "indicators[" + std::to_string(expr) + "] (" +
                  quote(indicators[static_cast<size_t>(expr)].id) +
                  "): Hyperscan refuses the pattern: " + msg);
    throw Error(ErrorCode::invalid_argument, "the lexicon does not compile: " + msg, "indicators");
  }
  return db;
}

struct MatchContext {
  std::vector<IndicatorHit>* hits;
};

int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) {
  auto* m = static_cast<MatchContext*>(ctx);
  IndicatorHit h;
  h.indicator = static_cast<uint16_t>(id);
  h.norm_begin = static_cast<uint32_t>(from);
  h.norm_end = static_cast<uint32_t>(to);
  m->hits->push_back(h);
  return 0;
}

}  // namespace

std::string_view to_string(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::phrase:
      return "phrase";
    case IndicatorKind::regex:
      return "regex";
    case IndicatorKind::emoji:
      return "emoji";
  }
  return "?";
}

void validate_lexicon(const Json& doc) {
  if (!doc.is_object()) invalid("lexicon", "a lexicon is a JSON object");
  for (auto it = doc.begin(); it != doc.end(); ++it)
    if (it.key() != "lexicon" && it.key() != "version" && it.key() != "updated" &&
        it.key() != "description" && it.key() != "categories" && it.key() != "sources" &&
        it.key() != "indicators")
      invalid(it.key(), "unknown key " + quote(it.key()));
  if (!doc.contains("version") || !doc["version"].is_string() ||
      doc["version"].get<std::string>().empty())
    invalid("version", "the lexicon needs a version string");
  if (!doc.contains("categories") || !doc["categories"].is_object() || doc["categories"].empty())
    invalid("categories", "categories must be an object of category -> description");
  std::set<std::string> categories, sources;
  for (auto it = doc["categories"].begin(); it != doc["categories"].end(); ++it) {
    if (!valid_id(it.key()) || !it->is_string())
      invalid("categories." + it.key(), "a category is a lower-case name with a description");
    categories.insert(it.key());
  }
  if (!doc.contains("sources") || !doc["sources"].is_array() || doc["sources"].empty())
    invalid("sources", "sources must be a non-empty array of {id, citation}");
  for (size_t i = 0; i < doc["sources"].size(); ++i) {
    const Json& s = doc["sources"][i];
    std::string f = "sources[" + std::to_string(i) + "]";
    if (!s.is_object() || !s.contains("id") || !s["id"].is_string() ||
        !valid_id(s["id"].get<std::string>()) || !s.contains("citation") ||
        !s["citation"].is_string() || s["citation"].get<std::string>().size() < 10)
      invalid(f, f + ": a source needs an id and a citation");
    if (!sources.insert(s["id"].get<std::string>()).second)
      invalid(f + ".id", f + ": source id " + quote(s["id"].get<std::string>()) + " given twice");
  }
  if (!doc.contains("indicators") || !doc["indicators"].is_array() || doc["indicators"].empty())
    invalid("indicators", "indicators must be a non-empty array");
  const Json& list = doc["indicators"];
  if (list.size() > kMaxIndicators)
    invalid("indicators", "more than " + std::to_string(kMaxIndicators) + " indicators");
  std::set<std::string> ids;
  for (size_t i = 0; i < list.size(); ++i) {
    const Json& e = list[i];
    if (!e.is_object()) bad_entry(i, e, "", "an indicator is an object");
    for (auto it = e.begin(); it != e.end(); ++it)
      if (it.key() != "id" && it.key() != "kind" && it.key() != "pattern" &&
          it.key() != "language" && it.key() != "weight" && it.key() != "category" &&
          it.key() != "source" && it.key() != "note")
        bad_entry(i, e, it.key(), "unknown key " + quote(it.key()));
    auto str = [&](std::string_view key) -> std::string {
      auto it = e.find(std::string(key));
      if (it == e.end() || !it->is_string() || it->get<std::string>().empty())
        bad_entry(i, e, key, "missing or not a non-empty string");
      return it->get<std::string>();
    };
    std::string id = str("id");
    if (!valid_id(id)) bad_entry(i, e, "id", "ids are [a-z0-9._-], at most 64 characters");
    if (!ids.insert(id).second) bad_entry(i, e, "id", "id given twice");
    std::string kind = str("kind");
    if (kind != "phrase" && kind != "regex" && kind != "emoji")
      bad_entry(i, e, "kind", "kind must be phrase, regex or emoji, not " + quote(kind));
    std::string pattern = str("pattern");
    if (pattern.size() > kMaxPattern)
      bad_entry(i, e, "pattern", "longer than " + std::to_string(kMaxPattern) + " bytes");
    if (csv::invalid_utf8_at(pattern)) bad_entry(i, e, "pattern", "invalid UTF-8");
    if (kind != "regex" && normalize_string(pattern).find_first_not_of(' ') == std::string::npos)
      bad_entry(i, e, "pattern", "empty once normalised");
    std::string lang = str("language");
    bool lang_ok = lang == "und" || (lang.size() == 2 && lang[0] >= 'a' && lang[0] <= 'z' &&
                                     lang[1] >= 'a' && lang[1] <= 'z');
    if (!lang_ok)
      bad_entry(i, e, "language", "an ISO 639-1 code (en, es) or und, not " + quote(lang));
    auto w = e.find("weight");
    if (w == e.end() || !w->is_number()) bad_entry(i, e, "weight", "missing or not a number");
    double weight = w->get<double>();
    if (!std::isfinite(weight) || weight <= 0 || weight > 10)
      bad_entry(i, e, "weight", "must be in (0, 10], not " + quote_value(*w));
    std::string category = str("category");
    if (!categories.count(category))
      bad_entry(i, e, "category", "unknown category " + quote(category));
    std::string source = str("source");
    if (!sources.count(source)) bad_entry(i, e, "source", "unknown source " + quote(source));
    if (e.contains("note") && !e["note"].is_string()) bad_entry(i, e, "note", "not a string");
  }
}

Lexicon Lexicon::from_json(std::string_view text) {
  JsonLimits limits;
  limits.max_depth = 8;
  Json doc = parse_json(text, "lexicon", limits);
  validate_lexicon(doc);
  Lexicon lex;
  lex.version_ = doc["version"].get<std::string>();
  for (const Json& e : doc["indicators"]) {
    Indicator ind;
    ind.id = e["id"].get<std::string>();
    std::string kind = e["kind"].get<std::string>();
    ind.kind = kind == "phrase"  ? IndicatorKind::phrase
               : kind == "regex" ? IndicatorKind::regex
                                 : IndicatorKind::emoji;
    ind.pattern = e["pattern"].get<std::string>();
    ind.language = e["language"].get<std::string>();
    ind.weight = e["weight"].get<double>();
    ind.category = e["category"].get<std::string>();
    ind.source = e["source"].get<std::string>();
    lex.indicators_.push_back(std::move(ind));
  }
  if (lex.indicators_.size() > UINT16_MAX) invalid("indicators", "too many indicators");
  lex.db_ = std::shared_ptr<hs_database>(compile(lex.indicators_),
                                         [](hs_database* d) { hs_free_database(d); });
  return lex;
}

const Lexicon& Lexicon::builtin() {
  static const Lexicon lex = [] {
    for (const auto& f : embedded::online_lexicons())
      if (f.path == "data/lexicons/indicators.json") return from_json(f.contents);
    throw Error(ErrorCode::internal, "data/lexicons/indicators.json is not compiled in");
  }();
  return lex;
}

int Lexicon::find(std::string_view id) const {
  for (size_t i = 0; i < indicators_.size(); ++i)
    if (indicators_[i].id == id) return static_cast<int>(i);
  return -1;
}

Lexicon::Scratch::Scratch(Scratch&& o) noexcept : s_(o.s_) { o.s_ = nullptr; }
Lexicon::Scratch& Lexicon::Scratch::operator=(Scratch&& o) noexcept {
  if (this != &o) {
    if (s_) hs_free_scratch(s_);
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}
Lexicon::Scratch::~Scratch() {
  if (s_) hs_free_scratch(s_);
}

Lexicon::Scratch Lexicon::make_scratch() const {
  Scratch s;
  if (hs_alloc_scratch(db_.get(), &s.s_) != HS_SUCCESS)
    throw Error(ErrorCode::internal, "Hyperscan could not allocate its scratch space");
  return s;
}

IndicatorProfile Lexicon::match(const NormalizedText& text, Scratch& scratch) const {
  IndicatorProfile p;
  if (!scratch.s_) scratch = make_scratch();
  MatchContext ctx{&p.hits};
  if (!text.text.empty() &&
      hs_scan(db_.get(), text.text.data(), static_cast<unsigned>(text.text.size()), 0, scratch.s_,
              on_match, &ctx) != HS_SUCCESS)
    throw Error(ErrorCode::internal, "Hyperscan failed to scan a text");
  // One hit per indicator and start: the longest.
  std::sort(p.hits.begin(), p.hits.end(), [](const IndicatorHit& a, const IndicatorHit& b) {
    if (a.norm_begin != b.norm_begin) return a.norm_begin < b.norm_begin;
    if (a.indicator != b.indicator) return a.indicator < b.indicator;
    return a.norm_end > b.norm_end;
  });
  p.hits.erase(std::unique(p.hits.begin(), p.hits.end(),
                           [](const IndicatorHit& a, const IndicatorHit& b) {
                             return a.norm_begin == b.norm_begin && a.indicator == b.indicator;
                           }),
               p.hits.end());
  for (auto& h : p.hits) {
    auto [b, e] = text.original_span(h.norm_begin, h.norm_end);
    h.begin = b, h.end = e;
    p.indicators.push_back(h.indicator);
  }
  std::sort(p.indicators.begin(), p.indicators.end());
  p.indicators.erase(std::unique(p.indicators.begin(), p.indicators.end()), p.indicators.end());
  for (uint16_t i : p.indicators) p.score += indicators_[i].weight;
  return p;
}

IndicatorProfile Lexicon::match(const NormalizedText& text) const {
  Scratch s = make_scratch();
  return match(text, s);
}

}  // namespace ctip::online
