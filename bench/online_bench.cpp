// Micro-benchmarks of the online ads' text engine (src/online, issue #10): what one ad costs in
// normalisation, selectors and the indicator lexicon. The ads are generated (deterministic seed)
// in the shapes the issue names: templated text with a city, a name and an age, a phone written
// plainly or obfuscated, emoji, and boilerplate.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "online/ingest.h"
#include "online/lexicon.h"
#include "online/linking/minhash.h"
#include "online/normalize.h"
#include "online/selectors.h"

namespace {

using namespace ctip::online;

std::vector<Ad> generated_ads(size_t n) {
  std::mt19937 rng(42);
  const char* names[] = {"Bella", "Candy", "Lola", "Mia", "Sofia", "Anna", "Valentina", "Jade"};
  const char* cities[] = {"Houston, TX", "Dallas, TX",  "Miami, FL",     "Atlanta, GA",
                          "Madrid",      "Chicago, IL", "Las Vegas, NV", "Denver, CO"};
  const char* openers[] = {
      "Hi gentlemen 💋 I'm {name}, {age}, NEW IN TOWN and just arrived in {city}! ",
      "Sweet and classy {name} here ✨ visiting {city} for a few days only. ",
      "Hola 🌹 soy {name}, {age} años, recién llegada a {city}, nueva en la ciudad. ",
      "Independent provider {name}, {age}. I work from my own apartment by appointment. "};
  const char* middles[] = {
      "Sexy, discreet and fun. Available 24/7 for incall and outcall. ",
      "Our girls are young and ready, new girls every week, no english needed. ",
      "Upscale companion, well reviewed, respectful gentlemen only. No rush. ",
      "Disponible 24 horas, trato de novia, besos, sin límites, varias chicas. "};
  const char* phones[] = {"Call {p1}-{p2}-{p3}",   "Text five five five {p2} {p3}",
                          "⑤⑤⑤ {p2}.{p3}",         "{p1} 💋 {p2} 💋 {p3}",
                          "f1ve f1ve 5 {p2} {p3}", "llama {p1}*{p2}*{p3}"};
  auto fill = [&](std::string s, const std::string& key, const std::string& v) {
    for (size_t at = s.find(key); at != std::string::npos; at = s.find(key, at + v.size()))
      s.replace(at, key.size(), v);
    return s;
  };
  std::vector<Ad> ads;
  for (size_t i = 0; i < n; ++i) {
    Ad ad;
    ad.id = std::to_string(i);
    std::string body = std::string(openers[rng() % 4]) + middles[rng() % 4] + phones[rng() % 6] +
                       " insta: " + names[rng() % 8] + "_" + std::to_string(rng() % 100) +
                       " <3 xoxo";
    body = fill(body, "{name}", names[rng() % 8]);
    body = fill(body, "{age}", std::to_string(18 + rng() % 15));
    const char* city = cities[rng() % 8];
    body = fill(body, "{city}", city);
    body = fill(body, "{p1}", std::to_string(200 + rng() % 800));
    body = fill(body, "{p2}", std::to_string(200 + rng() % 800));
    body = fill(body, "{p3}", std::to_string(1000 + rng() % 9000));
    ad.body = body;
    ad.location = city;
    ad.title = std::string(names[rng() % 8]) + " - new in town";
    ads.push_back(std::move(ad));
  }
  return ads;
}

const std::vector<Ad>& ads() {
  static const std::vector<Ad> a = generated_ads(2000);
  return a;
}

void BM_OnlineNormalize(benchmark::State& state) {
  size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const Ad& ad = ads()[i++ % ads().size()];
    benchmark::DoNotOptimize(normalize(ad.body));
    bytes += ad.body.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_OnlineNormalize);

void BM_OnlineSelectors(benchmark::State& state) {
  std::vector<NormalizedText> norm;
  for (const auto& ad : ads()) norm.push_back(normalize(ad.body));
  size_t i = 0;
  for (auto _ : state) {
    size_t k = i++ % ads().size();
    benchmark::DoNotOptimize(ad_selectors(ads()[k], norm[k]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OnlineSelectors);

void BM_OnlineLexicon(benchmark::State& state) {
  const Lexicon& lex = Lexicon::builtin();
  auto scratch = lex.make_scratch();
  std::vector<NormalizedText> norm;
  for (const auto& ad : ads()) norm.push_back(normalize(ad.body));
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(lex.match(norm[i++ % norm.size()], scratch));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OnlineLexicon);

// The whole text stage of one ad: normalise, selectors (body, title, region from the location),
// indicators. items/s is ads/s on one core.
void BM_OnlineAdText(benchmark::State& state) {
  const Lexicon& lex = Lexicon::builtin();
  auto scratch = lex.make_scratch();
  size_t i = 0, phones = 0;
  for (auto _ : state) {
    const Ad& ad = ads()[i++ % ads().size()];
    NormalizedText n = normalize(ad.body);
    auto sel = ad_selectors(ad, n);
    auto profile = lex.match(n, scratch);
    for (const auto& s : sel) phones += s.kind == SelectorKind::phone;
    benchmark::DoNotOptimize(profile);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["phones_per_ad"] =
      benchmark::Counter(static_cast<double>(phones) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_OnlineAdText);

// The same with a phone number never seen before in every ad: the per-thread memo of phone
// answers never hits, so every number is parsed (the cost of a corpus of one-off posters).
void BM_OnlineAdTextUniquePhones(benchmark::State& state) {
  const Lexicon& lex = Lexicon::builtin();
  auto scratch = lex.make_scratch();
  size_t i = 0, phones = 0;
  for (auto _ : state) {
    Ad ad = ads()[i % ads().size()];
    ++i;
    // The ad's last four digits before " insta:" become a counter: a new number each time.
    size_t at = ad.body.find(" insta:");
    std::string tail = std::to_string(1000 + i % 9000) + std::to_string(200 + (i / 9000) % 800);
    if (at != std::string::npos && at >= 4) ad.body.replace(at - 4, 4, tail.substr(0, 4));
    if (at != std::string::npos && at >= 12) ad.body.replace(at - 8, 3, tail.substr(4, 3));
    NormalizedText n = normalize(ad.body);
    auto sel = ad_selectors(ad, n);
    auto profile = lex.match(n, scratch);
    for (const auto& s : sel) phones += s.kind == SelectorKind::phone;
    benchmark::DoNotOptimize(profile);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["phones_per_ad"] =
      benchmark::Counter(static_cast<double>(phones) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_OnlineAdTextUniquePhones);

// One ad's near-duplicate sketch from its words' hashes (shingles sorted and distinct, the
// MinHash signature), as `ctip ads analyze` computes it per ad: items/s is ads/s on one core.
void BM_OnlineSketch(benchmark::State& state) {
  std::vector<std::vector<uint64_t>> hashed;
  for (const auto& ad : ads()) {
    NormalizedText n = normalize(ad.body);
    std::vector<uint64_t> h;
    for (const auto& t : n.tokens) h.push_back(linking::token_hash(n.token_text(t), 0x5eed));
    // Ads of the corpus generator are some 80 words: the benchmark's ads repeated to that length.
    while (h.size() < 80)
      h.insert(h.end(), h.begin(), h.begin() + std::min<size_t>(h.size(), 80 - h.size()));
    for (size_t k = 0; k < h.size(); ++k) h[k] ^= k * 0x9e3779b97f4a7c15ULL;
    hashed.push_back(std::move(h));
  }
  std::vector<uint32_t> shingles, signature;
  size_t i = 0;
  for (auto _ : state) {
    linking::sketch_hashed_into(hashed[i++ % hashed.size()], {}, shingles, signature);
    benchmark::DoNotOptimize(signature.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OnlineSketch);

}  // namespace
