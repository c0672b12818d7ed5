#include "online/analyze.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <iterator>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "core/text.h"
#include "online/ad_text.h"
#include "online/linking/cluster.h"

namespace ctip::online {
namespace {

linking::SelectorKind link_kind(SelectorKind k) {
  switch (k) {
    case SelectorKind::phone:
      return linking::SelectorKind::phone;
    case SelectorKind::email:
      return linking::SelectorKind::email;
    case SelectorKind::handle:
      return linking::SelectorKind::handle;
    case SelectorKind::url:
      return linking::SelectorKind::url;
    case SelectorKind::bitcoin:
    case SelectorKind::ethereum:
      return linking::SelectorKind::wallet;
    case SelectorKind::image_hash:
      return linking::SelectorKind::image;
  }
  return linking::SelectorKind::url;
}

// Whether the ad speaks as "I" rather than about "her" or "the girls": an independent
// advertiser's mark (issue #10 item 5), counted over the normalised words. Called for every
// word of every ad, so the words are told apart by length first.
int person_of(std::string_view w) {
  // Compared byte by byte: the lengths are known, so no call to memcmp.
  auto is = [&](const char* word) {
    for (size_t i = 0; i < w.size(); ++i)
      if (w[i] != word[i]) return false;
    return true;
  };
  switch (w.size()) {
    case 1:
      return w[0] == 'i' ? 1 : 0;
    case 2:
      if (is("me") || is("my") || is("im") || is("yo") || is("mi")) return 1;
      return is("we") ? -1 : 0;
    case 3:
      return is("she") || is("her") || is("our") ? -1 : 0;
    case 4:
      return is("they") ? -1 : 0;
    case 5:
      return is("girls") ? -1 : 0;
    case 6:
      return is("chicas") ? -1 : 0;
    default:
      return 0;
  }
}

template <typename Words>
bool written_in_first_person(const Words& words) {
  int first = 0, third = 0;
  for (const auto& w : words) {
    const int p = person_of(w);
    first += p > 0;
    third += p < 0;
  }
  return first > third;
}

// What the linking engine keeps of an ad, without its words or its id. The selectors' values
// are moved out of `text`.
linking::AdFeatures features_without_words(const Ad& ad, AdText& text, const Lexicon& lexicon) {
  linking::AdFeatures f;
  for (auto& s : text.selectors) {
    linking::Selector sel{link_kind(s.kind), std::move(s.value)};
    if (std::find(f.selectors.begin(), f.selectors.end(), sel) == f.selectors.end())
      f.selectors.push_back(std::move(sel));
  }
  f.city = core::ascii_lower(ad.location);
  f.site = core::ascii_lower(ad.site);
  f.posted_at = ad.posted_ms ? *ad.posted_ms / 1000 : 0;
  for (uint16_t i : text.indicators.indicators) f.indicators.push_back(lexicon.indicators()[i].id);
  f.indicator_weight = text.indicators.score;
  return f;
}

// One batch of ads on its way through the pass: read on the main thread, its text pass and
// sketches computed by a worker, then added to the index in file order.
struct Batch {
  std::vector<Ad> ads;
  std::vector<linking::AdFeatures> features;
  linking::ClusterIndex::Sketches sketches;
  std::exception_ptr failed;
  bool done = false;
};

}  // namespace

linking::AdFeatures ad_features(const Ad& ad, const Lexicon& lexicon, Lexicon::Scratch& scratch,
                                const SelectorOptions& options) {
  AdText text = analyze_ad_text(ad, lexicon, scratch, options);
  linking::AdFeatures f = features_without_words(ad, text, lexicon);
  f.id = ad.id;
  f.tokens.reserve(text.body.tokens.size());
  for (const auto& t : text.body.tokens) f.tokens.emplace_back(text.body.token_text(t));
  f.first_person = written_in_first_person(f.tokens);
  return f;
}

AnalyzeResult analyze_ads(std::istream& in, const AnalyzeOptions& options) {
  // The lexicon's Hyperscan database is compiled (some 0.1 s, once per process) on a thread of
  // its own while the first batch is read: only the workers need it.
  std::shared_future<const Lexicon*> lexicon_ready =
      std::async(std::launch::async, [] { return &Lexicon::builtin(); }).share();
  const unsigned threads =
      std::clamp(options.threads ? options.threads : std::thread::hardware_concurrency(), 1u, 8u);
  SelectorOptions selector_options;
  selector_options.default_region = options.region;

  AnalyzeResult out;
  std::optional<linking::ClusterIndex> index(std::in_place);
  // The pass is a pipeline: the main thread reads and parses the file and hands each batch to
  // the workers, which run the text pass and sketch the ads (everything that is per ad); the
  // joiner thread adds the finished batches to the index in file order (the LSH join), so the
  // result does not depend on the number of threads. At most 2 batches per worker are in
  // flight, which bounds the memory held by ads not yet reduced to their features; 16 more until
  // the joiner has added its first batch, since it first reserves the index's room for all ads
  // (a third of a second of page clearing for a million), which left the reader and the workers
  // waiting with a core idle. (The join on
  // the reading thread made that thread the pass's bottleneck on 2 cores: with three threads
  // sharing them it got two thirds of a core for a third of the CPU time.)
  std::mutex mutex;
  std::condition_variable work_ready, batch_done;
  std::deque<std::shared_ptr<Batch>> queue;    // read, waiting for a worker
  std::deque<std::shared_ptr<Batch>> pending;  // in file order, waiting to be added
  // Added batches, kept for reuse: their ads go back to the reader (see `sink`), so that ads are
  // neither allocated on this thread and freed on a worker, nor copied.
  std::vector<std::shared_ptr<Batch>> spare;
  bool closing = false;
  const size_t max_in_flight = size_t{2} * threads;
  bool joined_one = false;  // the joiner has added a batch

  auto worker = [&] {
    // A failure to compile the lexicon or to allocate its scratch fails each batch this worker
    // takes, which stops the pass with that error.
    const Lexicon* lexicon = nullptr;
    Lexicon::Scratch scratch;
    std::exception_ptr no_lexicon;
    try {
      lexicon = lexicon_ready.get();
      scratch = lexicon->make_scratch();
    } catch (...) {
      no_lexicon = std::current_exception();
    }
    std::vector<uint64_t> hashes;
    AdText text;
    const uint64_t seed = index->params().minhash.seed;
    for (;;) {
      std::shared_ptr<Batch> b;
      {
        std::unique_lock lock(mutex);
        work_ready.wait(lock, [&] { return closing || !queue.empty(); });
        if (queue.empty()) return;
        b = std::move(queue.front());
        queue.pop_front();
      }
      try {
        if (no_lexicon) std::rethrow_exception(no_lexicon);
        b->features.resize(b->ads.size());
        for (size_t i = 0; i < b->ads.size(); ++i) {
          Ad& ad = b->ads[i];
          analyze_ad_text_into(ad, *lexicon, scratch, selector_options, text);
          auto& f = b->features[i];
          f = features_without_words(ad, text, *lexicon);
          f.id = std::move(ad.id);
          hashes.clear();
          int first = 0, third = 0;
          const char* text_end = text.body.text.data() + text.body.text.size();
          for (const auto& t : text.body.tokens) {
            const std::string_view w = text.body.token_text(t);
            hashes.push_back(linking::token_hash_in(w, text_end, seed));
            const int p = person_of(w);
            first += p > 0;
            third += p < 0;
          }
          f.first_person = first > third;
          index->sketch(hashes, b->sketches);
        }
      } catch (...) {
        b->failed = std::current_exception();
      }
      {
        std::lock_guard lock(mutex);
        b->done = true;
      }
      batch_done.notify_all();
    }
  };
  std::vector<std::jthread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  auto stop_workers = [&] {
    {
      std::lock_guard lock(mutex);
      closing = true;
      queue.clear();
    }
    work_ready.notify_all();
    batch_done.notify_all();
    pool.clear();  // joins
  };

  // The joiner: adds the batch at the front of `pending` once its worker is done, until the
  // reader is done and nothing is pending, or the pass is closing. A failure (a worker's or its
  // own) is kept for the reader, which stops.
  bool reading_done = false;
  std::exception_ptr join_failed;
  std::condition_variable room;  // a batch was added: the reader may read another
  // The room to reserve for all ads, estimated by the reader from the first batch, and reserved
  // by the joiner before it adds that batch: hundreds of megabytes whose allocation, on the
  // reading thread, kept the workers waiting for their first batch.
  size_t reserve_ads = 0, reserve_shingles_per_ad = 0;
  auto joiner = [&] {
    for (;;) {
      std::shared_ptr<Batch> b;
      {
        std::unique_lock lock(mutex);
        batch_done.wait(lock, [&] {
          return closing || (!pending.empty() && pending.front()->done) ||
                 (reading_done && pending.empty());
        });
        if (closing || pending.empty()) return;
        b = std::move(pending.front());
        pending.pop_front();
      }
      try {
        if (b->failed) std::rethrow_exception(b->failed);
        if (reserve_ads > 0) {  // set before the first batch was queued
          out.ads.reserve(reserve_ads);
          index->reserve(reserve_ads, reserve_shingles_per_ad);
          reserve_ads = 0;
        }
        index->add_sketched(b->sketches);
        std::move(b->features.begin(), b->features.end(), std::back_inserter(out.ads));
        b->features.clear();
        b->sketches.clear();
        b->done = false;
        std::lock_guard lock(mutex);
        // Beyond the batches in flight in the steady state, the extra ones of the start are
        // freed (their memory goes to the ads' features), not kept for the rest of the pass.
        if (spare.size() < max_in_flight) spare.push_back(std::move(b));
        joined_one = true;
      } catch (...) {
        std::lock_guard lock(mutex);
        join_failed = std::current_exception();
      }
      room.notify_one();
      std::lock_guard lock(mutex);
      if (join_failed) return;
    }
  };
  IngestOptions ingest = options.ingest;
  ingest.progress = options.progress;
  ingest.input_bytes = options.input_bytes;
  // After the first batch: the ads to come, estimated from the bytes read so far.
  bool reserved = false;
  auto reserve = [&](const Batch& first) {
    reserved = true;
    const auto at = in.tellg();
    if (options.input_bytes == 0 || at <= 0 || first.ads.empty()) return;
    const double per_ad = static_cast<double>(at) / static_cast<double>(first.ads.size());
    // A first batch of unusually short rows must not reserve gigabytes: no more ads than one
    // per 32 bytes of input are reserved for (beyond that the arrays grow as they fill).
    const auto ads = std::min<size_t>(
        static_cast<size_t>(static_cast<double>(options.input_bytes) / per_ad * 1.02),
        static_cast<size_t>(options.input_bytes / 32));
    if (ads > (size_t{1} << 31)) return;
    size_t body_bytes = 0;
    for (const Ad& ad : first.ads) body_bytes += ad.body.size();
    reserve_ads = ads;
    // Some 6 bytes of ad text per word shingle.
    reserve_shingles_per_ad = body_bytes / first.ads.size() / 6 + 1;
  };
  auto sink = [&](std::span<Ad> batch) {
    std::shared_ptr<Batch> b;
    {
      std::unique_lock lock(mutex);
      room.wait(lock, [&] {
        return join_failed || pending.size() < max_in_flight + (joined_one ? 0 : 16);
      });
      if (join_failed) std::rethrow_exception(join_failed);
      if (!spare.empty()) {
        b = std::move(spare.back());
        spare.pop_back();
      }
    }
    if (!b) b = std::make_shared<Batch>();
    // Swapped, not copied: the reader gets this batch's earlier ads back, and refills their
    // strings, which keep their capacity, so that no row allocates once the first batches are
    // read. (The reader assigns every field of each ad it reuses.)
    b->ads.resize(batch.size());
    std::swap_ranges(batch.begin(), batch.end(), b->ads.begin());
    // Before the first batch is queued (the joiner reads the estimate when it adds it).
    if (!reserved) reserve(*b);
    {
      std::lock_guard lock(mutex);
      queue.push_back(b);
      pending.push_back(b);
    }
    work_ready.notify_one();
  };
  using Clock = std::chrono::steady_clock;
  auto since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  const auto started = Clock::now();
  std::jthread joining(joiner);
  try {
    out.summary = ingest_ads(in, options.format, sink, ingest);
    {
      std::lock_guard lock(mutex);
      reading_done = true;
    }
    batch_done.notify_all();
    joining.join();  // the pending batches added
    if (join_failed) std::rethrow_exception(join_failed);
  } catch (...) {
    stop_workers();
    if (joining.joinable()) joining.join();
    throw;
  }
  stop_workers();
  out.pass_seconds = since(started);

  const auto clustering = Clock::now();
  // Memory the stages after the pass can reuse, where fresh pages cost this machine's kernel
  // more than anything else in the run (some 2 ms a megabyte to clear): the LSH buckets are freed
  // once the pass is done, and the whole index once the clusters are out.
  index->close();
  // The ads of each selector value do not depend on the clusters: indexed on a thread of their
  // own while the candidates are verified (which is sequential).
  auto selectors = std::async(std::launch::async, [&] { return linking::SelectorIndex(out.ads); });
  out.cluster_of = index->cluster_of();
  index.reset();
  out.cluster_seconds = since(clustering);
  out.cluster_size.assign(out.ads.size(), 0);
  std::vector<uint32_t> size_of(out.ads.size(), 0);
  for (uint32_t c : out.cluster_of) ++size_of[c];
  for (size_t i = 0; i < out.ads.size(); ++i) out.cluster_size[i] = size_of[out.cluster_of[i]];
  const auto linking_started = Clock::now();
  out.networks = linking::link_networks(out.ads, out.cluster_of, selectors.get());
  out.network_seconds = since(linking_started);
  return out;
}

void write_ads_csv(const AnalyzeResult& r, std::ostream& out) {
  // A million lines: written through a buffer of about a megabyte, no string copied per field.
  std::string text;
  text.reserve(1 << 20);
  auto field = [&](const std::string& s) {
    // Ids come from the file: quoted when they hold a separator, a quote or a line break.
    bool plain = true;
    for (char c : s) plain &= c != ',' && c != '"' && c != '\r' && c != '\n';
    if (plain) {
      text += s;
      return;
    }
    text += '"';
    for (char c : s) {
      if (c == '"') text += '"';
      text += c;
    }
    text += '"';
  };
  // The id of the ad's cluster and of its network's first ad: an earlier ad anywhere in the
  // file, so the features holding it are fetched some ads ahead (each was a cache miss).
  auto cluster_first = [&](size_t i) -> const linking::AdFeatures* {
    return r.cluster_size[i] >= 2 ? &r.ads[r.cluster_of[i]] : nullptr;
  };
  auto network_first = [&](size_t i) -> const linking::AdFeatures* {
    const int32_t n = r.networks.network_of[i];
    return n >= 0 ? &r.ads[r.networks.networks[static_cast<size_t>(n)].id] : nullptr;
  };
  constexpr size_t kAhead = 8;
  text += "id,cluster,network\n";
  for (size_t i = 0; i < r.ads.size(); ++i) {
    if (i + kAhead < r.ads.size()) {
      if (const auto* c = cluster_first(i + kAhead)) __builtin_prefetch(&c->id);
      if (const auto* n = network_first(i + kAhead)) __builtin_prefetch(&n->id);
    }
    field(r.ads[i].id);
    text += ',';
    if (const auto* c = cluster_first(i)) field(c->id);
    text += ',';
    if (const auto* n = network_first(i)) field(n->id);
    text += '\n';
    if (text.size() >= (1 << 20) - 1024) {
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      text.clear();
    }
  }
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

namespace {

// JSON text written directly: `ctip ads analyze` writes some 100,000 networks for a million
// ads, and building each as an nlohmann::json value to dump it took longer than the analysis.
// Strings are valid UTF-8 (the ingest checks them), escaped as nlohmann::json::dump escapes.
void append_string(std::string& out, std::string_view s) {
  out += '"';
  size_t plain = 0;  // the start of the characters not yet written that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
}

template <typename Int>
void append_int(std::string& out, Int v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// The shortest text that reads back as the same double, with ".0" on whole numbers, as
// nlohmann::json writes them.
void append_double(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string_view text(buf, static_cast<size_t>(r.ptr - buf));
  out += text;
  if (text.find_first_of(".e") == std::string_view::npos) out += ".0";
}

// Appends `"key":`, with a comma before it unless it is the first of its object. Keys are this
// file's literals, which need no escaping: one append.
template <size_t N>
void key(std::string& out, const char (&name)[N], bool first = false) {
  char text[N + 3];
  size_t n = 0;
  if (!first) text[n++] = ',';
  text[n++] = '"';
  for (size_t i = 0; i + 1 < N; ++i) text[n++] = name[i];
  text[n++] = '"';
  text[n++] = ':';
  out.append(text, n);
}

// A link's evidence: {"kind":"phone","value":"+1...","ads":4} or {"kind":"template",...}.
void append_via_json(std::string& out, const linking::Evidence& e, const AppendId& id_of) {
  out += '{';
  key(out, "kind", true);
  if (e.via == linking::Evidence::Via::selector) {
    append_string(out, linking::to_string(e.selector.kind));
    key(out, "value");
    append_string(out, e.selector.value);
  } else {
    append_string(out, "template");
    key(out, "cluster");
    id_of(out, e.cluster);
  }
  key(out, "ads");
  append_int(out, e.ads);
  out += '}';
}

// Many short JSON texts in one buffer: piece i is text[at[i], at[i + 1]).
struct JsonPieces {
  std::string text;
  std::vector<size_t> at{0};
  void close_piece() { at.push_back(text.size()); }
  void append_to(std::string& out, size_t i) const { out.append(text, at[i], at[i + 1] - at[i]); }
};

}  // namespace

void append_network_json(std::string& out, const linking::Network& n, size_t rank,
                         const linking::NetworkAnalysis& na, const AppendId& id_of,
                         size_t max_links, const AppendId& via_of) {
  auto list = [&](auto&& items, auto&& each) {
    out += '[';
    bool first = true;
    for (const auto& item : items) {
      if (!first) out += ',';
      first = false;
      each(item);
    }
    out += ']';
  };
  out += '{';
  key(out, "id", true);
  id_of(out, n.id);
  key(out, "rank");
  append_int(out, rank + 1);
  key(out, "organised");
  out += n.organised ? "true" : "false";
  key(out, "risk");
  append_double(out, n.risk);
  key(out, "reasons");
  list(n.reasons, [&](const linking::RiskReason& why) {
    out += '{';
    key(out, "code", true);
    append_string(out, why.code);
    key(out, "text");
    append_string(out, why.text);
    key(out, "points");
    append_double(out, why.points);
    out += '}';
  });
  key(out, "ads");
  list(n.ads, [&](uint32_t a) { id_of(out, a); });
  key(out, "selectors");
  list(n.selectors, [&](const auto& sc) {
    out += '{';
    key(out, "kind", true);
    append_string(out, linking::to_string(sc.first.kind));
    key(out, "value");
    append_string(out, sc.first.value);
    key(out, "ads");
    append_int(out, sc.second);
    out += '}';
  });
  key(out, "sites");
  list(n.sites, [&](const std::string& v) { append_string(out, v); });
  key(out, "cities");
  list(n.cities, [&](const std::string& v) { append_string(out, v); });
  key(out, "path");
  list(n.path, [&](const linking::CityVisit& v) {
    out += '{';
    key(out, "city", true);
    append_string(out, v.city);
    key(out, "first_posted");
    append_int(out, v.first_posted);
    key(out, "last_posted");
    append_int(out, v.last_posted);
    key(out, "ads");
    append_int(out, v.ads);
    out += '}';
  });
  key(out, "first_posted");
  append_int(out, n.first_posted);
  key(out, "last_posted");
  append_int(out, n.last_posted);
  key(out, "ads_per_day");
  append_double(out, n.ads_per_day);
  key(out, "indicators");
  list(n.indicators, [&](const auto& ic) {
    out += '{';
    key(out, "id", true);
    append_string(out, ic.first);
    key(out, "ads");
    append_int(out, ic.second);
    out += '}';
  });
  key(out, "first_person_share");
  append_double(out, n.first_person_share);
  key(out, "templates");
  list(n.clusters, [&](uint32_t c) { id_of(out, c); });
  key(out, "links");
  out += '[';
  for (size_t i = 0; i < n.links.size() && i < max_links; ++i) {
    const auto& l = na.links[n.links[i]];
    const auto& e = na.evidence[l.evidence];
    if (i) out += ',';
    out += '{';
    key(out, "a", true);
    id_of(out, l.a);
    key(out, "b");
    id_of(out, l.b);
    key(out, "via");
    if (via_of)
      via_of(out, l.evidence);
    else
      append_via_json(out, e, id_of);
    out += '}';
  }
  out += ']';
  key(out, "links_total");
  append_int(out, n.links.size());
  out += '}';
}

void write_networks_json(const AnalyzeResult& r, std::ostream& out, size_t max_links) {
  const auto& na = r.networks;
  // Each ad's id as a JSON string, escaped once: the networks name their ads some 4 million times
  // (ads, links, templates).
  JsonPieces ids;
  ids.text.reserve(r.ads.size() * 12);
  ids.at.reserve(r.ads.size() + 1);
  for (const auto& ad : r.ads) {
    append_string(ids.text, ad.id);
    ids.close_piece();
  }
  const AppendId id_of = [&](std::string& text, uint32_t ad) { ids.append_to(text, ad); };
  // And each link's evidence, which the links of a network repeat (one phone, one template).
  JsonPieces via;
  via.at.reserve(na.evidence.size() + 1);
  for (const auto& e : na.evidence) {
    append_via_json(via.text, e, id_of);
    via.close_piece();
  }
  const AppendId via_of = [&](std::string& text, uint32_t e) { via.append_to(text, e); };
  const auto& s = r.summary;
  Json issues = Json::array();
  for (const auto& i : s.issues)
    issues.push_back(
        {{"line", i.line}, {"field", i.field}, {"message", i.message}, {"skipped", i.skipped}});
  const Json summary = {{"rows_read", s.rows_read},
                        {"ingested", s.ingested},
                        {"skipped", s.skipped},
                        {"warnings", s.warnings},
                        {"issues", std::move(issues)},
                        {"issue_count", s.issue_count},
                        {"ignored_columns", s.ignored_columns}};
  // One network at a time: a million ads make some 100,000 networks, whose document held whole
  // would take more memory than the analysis itself. They are serialised in slices of 64 by a
  // pool of threads, each taking the next slice when done with one (the networks come largest
  // first: fixed shares left one thread serialising while the others waited), and this thread
  // writes the slices in rank order as they are done. At most kWindow slices are held.
  out << "{\"summary\": " << summary.dump() << ",\n\"networks\": [";
  constexpr size_t kSlice = 64, kWindow = 128;
  const size_t slices = (na.networks.size() + kSlice - 1) / kSlice;
  struct Slot {
    std::string text;
    bool ready = false;
  };
  std::vector<Slot> ring(std::min(kWindow, std::max<size_t>(slices, 1)));
  std::mutex mutex;
  std::condition_variable done_one, written_one;
  size_t next_slice = 0, written = 0;
  bool stop = false;
  auto serialise = [&] {
    for (;;) {
      size_t s = 0;
      {
        std::unique_lock lock(mutex);
        written_one.wait(lock, [&] {
          return stop || next_slice >= slices || next_slice < written + ring.size();
        });
        if (stop || next_slice >= slices) return;
        s = next_slice++;
      }
      std::string& text = ring[s % ring.size()].text;  // this thread's alone until ready
      text.clear();
      const size_t to = std::min(na.networks.size(), (s + 1) * kSlice);
      for (size_t rank = s * kSlice; rank < to; ++rank) {
        text += rank ? ",\n" : "\n";
        append_network_json(text, na.networks[rank], rank, na, id_of, max_links, via_of);
      }
      {
        std::lock_guard lock(mutex);
        ring[s % ring.size()].ready = true;
      }
      done_one.notify_all();
    }
  };
  {
    std::vector<std::jthread> pool;
    auto stop_pool = [&] {
      {
        std::lock_guard lock(mutex);
        stop = true;
      }
      written_one.notify_all();
      pool.clear();  // joins
    };
    const size_t threads =
        std::min<size_t>(slices, std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8));
    pool.reserve(threads);
    try {
      for (size_t t = 0; t < threads; ++t) pool.emplace_back(serialise);
      for (size_t s = 0; s < slices; ++s) {
        Slot& slot = ring[s % ring.size()];
        {
          std::unique_lock lock(mutex);
          done_one.wait(lock, [&] { return slot.ready; });
        }
        out << slot.text;  // no thread writes a slot that is ready
        {
          std::lock_guard lock(mutex);
          slot.ready = false;
          written = s + 1;
        }
        written_one.notify_all();
      }
    } catch (...) {
      stop_pool();
      throw;
    }
    stop_pool();
  }
  Json common = Json::array();
  for (const auto& c : na.too_common)
    common.push_back({{"kind", linking::to_string(c.selector.kind)},
                      {"value", c.selector.value},
                      {"ads", c.ads},
                      {"groups", c.groups},
                      {"cities", c.cities}});
  out << "\n],\n\"too_common\": " << common.dump() << "}\n";
}

}  // namespace ctip::online
