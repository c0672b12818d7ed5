#include "flows/flows_service.h"

#include <sodium.h>

#include <array>
#include <atomic>
#include <cmath>
#include <list>
#include <mutex>
#include <nlohmann/json.hpp>
#include <streambuf>

#include "auth/accounts.h"
#include "core/country.h"
#include "core/crypto.h"
#include "core/hashing_reader.h"
#include "core/time.h"
#include "flows/capability.h"
#include "flows/chunk.h"
#include "flows/flows_repository.h"
#include "flows/glotip.h"
#include "flows/publish.h"
#include "flows/report.h"
#include "flows/shifts.h"
#include "flows/stats/private_release.h"
#include "flows/stats/suppression.h"
#include "jobs/job_repository.h"
#include "jobs/job_service.h"

namespace ctip::flows {
namespace {

// Where an import writes: inside one transaction (the CLI), or in a job's staged batches.
// finish() runs the last step, which returns the import's id, with the summary at hand (a job
// records it as its result in the same transaction).
struct Writer {
  std::function<void(const std::function<void(store::Connection&)>&)> stage;
  std::function<void(const std::function<int64_t(store::Connection&)>&, const Json& summary)>
      finish;
};

constexpr size_t kErrorsInMessage = 5;

std::string rejection_message(uint64_t count, const std::vector<RowError>& errors) {
  std::string m = std::to_string(count) + " row" + (count == 1 ? "" : "s") +
                  " with errors; nothing was imported (give --skip-bad-rows, or skip_bad_rows, "
                  "to import the other rows). ";
  for (size_t i = 0; i < errors.size() && i < kErrorsInMessage; ++i)
    m += (i ? "; " : "") + to_string(errors[i]);
  if (count > kErrorsInMessage) m += "; ...";
  return m;
}

int64_t to_micro(double epsilon) { return static_cast<int64_t>(std::ceil(epsilon * 1e6 - 1e-6)); }

void check_budget(double epsilon_budget) {
  if (!(epsilon_budget > 0) || !std::isfinite(epsilon_budget) || epsilon_budget > 1000)
    invalid("epsilon_budget", "the epsilon budget must be a number above 0 (and at most 1000)");
}

ImportResult run_import(const auth::Actor& actor, audit::AuditLog& audit, std::istream& raw,
                        const ImportRequest& req, std::optional<int64_t> job_id, const Writer& w) {
  check_budget(req.epsilon_budget);
  HashingReader hashing(raw);
  std::istream in(&hashing);
  std::optional<int64_t> id;
  auto ensure_import = [&](store::Connection& c) {
    if (!id)
      id = repository::insert_import(
          c, {req.format, req.file_name, job_id, actor.name, actor.user_id, now_iso()});
    return *id;
  };
  auto finish = [&](store::Connection& c) {
    const int64_t import_id = ensure_import(c);
    repository::ensure_budget(c, "import:" + std::to_string(import_id),
                              to_micro(req.epsilon_budget));
    audit.append(c, actor.event("flows.import", "flow_import", std::to_string(import_id)));
    return import_id;
  };
  ImportOptions options;
  options.progress = [&](uint64_t rows) {
    if (req.progress) req.progress(hashing.bytes(), rows);
  };

  if (req.format == Format::glotip) {
    GlotipData data = read_glotip(in, CitizenshipMap::builtin(), options);
    Json summary = to_json(data.summary);
    if (!data.summary.ok() && !req.skip_bad_rows)
      throw ImportRejected(rejection_message(data.summary.error_count, data.summary.errors),
                           "line " + std::to_string(data.summary.errors.front().line), summary);
    if (req.dry_run) return {std::nullopt, summary};
    const std::string sha = hashing.hex_digest();
    w.finish(
        [&](store::Connection& c) {
          const int64_t import_id = ensure_import(c);
          repository::insert_glotip_values(c, import_id, data);
          repository::complete_glotip_import(c, import_id, data.summary, summary.dump(), sha);
          return finish(c);
        },
        summary);
    return {id, summary};
  }

  RecordTable pending;
  int64_t chunk = 0;
  auto flush = [&](store::Connection& c) {
    if (pending.size() == 0) return;
    const int64_t import_id = ensure_import(c);
    repository::insert_chunk(c, import_id, chunk++, static_cast<int64_t>(pending.size()),
                             pack_chunk(pending, 0, pending.size()));
    pending = RecordTable();
  };
  RecordSink sink = [&](std::span<const CaseRecord> batch, std::span<const std::string>) {
    if (req.dry_run) return;
    for (const auto& r : batch) {
      // Sources stay the import's indexes (its list only grows): the chunk is read back through
      // the import's final list.
      pending.push_back(r);
      if (pending.size() == kChunkRecords) w.stage(flush);
    }
  };
  ImportSummary s = import_records(in, req.format, sink, options);
  Json summary = to_json(s);
  if (!s.ok() && !req.skip_bad_rows)
    throw ImportRejected(rejection_message(s.error_count, s.errors),
                         "line " + std::to_string(s.errors.front().line), summary);
  if (req.dry_run) return {std::nullopt, summary};
  const std::string sha = hashing.hex_digest();
  w.finish(
      [&](store::Connection& c) {
        flush(c);
        repository::complete_import(c, ensure_import(c), s, summary.dump(), sha);
        return finish(c);
      },
      summary);
  return {id, summary};
}

AgeGroup age_band(std::optional<int64_t> age, bool may_be_minor) {
  if (!age) return may_be_minor ? AgeGroup::minor : AgeGroup::unknown;
  const int64_t a = *age;
  if (a < 0) return AgeGroup::unknown;
  if (a <= 8) return AgeGroup::age_0_8;
  if (a <= 17) return AgeGroup::age_9_17;
  if (a <= 20) return AgeGroup::age_18_20;
  if (a <= 23) return AgeGroup::age_21_23;
  if (a <= 26) return AgeGroup::age_24_26;
  if (a <= 29) return AgeGroup::age_27_29;
  if (a <= 38) return AgeGroup::age_30_38;
  if (a <= 47) return AgeGroup::age_39_47;
  return AgeGroup::age_48_plus;
}

Sex sex_of(const std::optional<std::string>& interview) {
  if (!interview) return Sex::unknown;
  auto j = Json::parse(*interview, nullptr, false);
  if (!j.is_object() || !j.contains("sex") || !j["sex"].is_string()) return Sex::unknown;
  const auto s = j["sex"].get<std::string>();
  if (s == "female") return Sex::female;
  if (s == "male") return Sex::male;
  return Sex::unknown;
}

// The process's cache of the imported records: one entry, replaced when the imports change.
struct RecordCache {
  std::mutex mutex;
  std::string fingerprint;
  std::shared_ptr<const RecordTable> table;
};
RecordCache& record_cache() {
  static RecordCache cache;
  return cache;
}

// Results of k-suppression, newest first (FlowsService::suppressed).
constexpr size_t kSuppressionCacheEntries = 16;
struct SuppressionCache {
  std::mutex mutex;
  std::list<std::pair<std::string, Json>> entries;
};
SuppressionCache& suppression_cache() {
  static SuppressionCache cache;
  return cache;
}

std::string filter_key(const Filter& f) {
  std::string k;
  auto opt = [&](const char* name, const auto& v) {
    if (v) k += std::string(name) + "=" + std::to_string(static_cast<int64_t>(*v)) + ";";
  };
  opt("from", f.year_from);
  opt("to", f.year_to);
  opt("country", f.country);
  if (f.region) k += "region=" + *f.region + ";";
  if (f.source) k += "source=" + *f.source + ";";
  if (f.sex) k += "sex=" + std::to_string(static_cast<int>(*f.sex)) + ";";
  if (f.age) k += "age=" + std::to_string(static_cast<int>(*f.age)) + ";";
  return k;
}

// The dataset names a release reads, for the epsilon ledger.
std::vector<std::string> datasets_of(store::Connection& c, bool with_cases) {
  std::vector<std::string> out;
  for (const auto& i : repository::complete_imports(c))
    if (i.format != Format::glotip && i.imported > 0)
      out.push_back("import:" + std::to_string(i.id));
  if (with_cases) out.push_back("ctip");
  return out;
}

Json release_json(const repository::ReleaseRow& r, bool with_table) {
  Json j = {{"id", r.id},
            {"created_at", r.created_at},
            {"created_by", r.created_by},
            {"method", r.method},
            {"parameters", Json::parse(r.parameters)},
            {"dataset", Json::parse(r.dataset)}};
  if (with_table) j["table"] = Json::parse(r.published);
  return j;
}

// The epsilon left for a release reading `datasets`: the least of theirs.
std::optional<double> remaining(store::Connection& c, const std::vector<std::string>& datasets) {
  std::optional<double> least;
  for (const auto& d : datasets) {
    auto b = repository::find_budget(c, d);
    if (!b) continue;
    double left = static_cast<double>(b->total_micro - b->spent_micro) / 1e6;
    if (!least || left < *least) least = left;
  }
  return least;
}

}  // namespace

ImportResult FlowsService::import(const auth::Actor& actor, std::istream& in,
                                  const ImportRequest& request) {
  ImportResult result;
  if (request.dry_run) {
    Writer none{[](const auto&) {}, [](const auto&, const Json&) {}};
    return run_import(actor, audit_, in, request, std::nullopt, none);
  }
  store_.write([&](store::Connection& c) {
    Writer here{[&c](const auto& fn) { fn(c); }, [&c](const auto& fn, const Json&) { fn(c); }};
    result = run_import(actor, audit_, in, request, std::nullopt, here);
  });
  return result;
}

ImportResult FlowsService::import(const auth::Actor& actor, jobs::JobContext& job,
                                  const ImportRequest& request) {
  Writer staged{[&job](const auto& fn) { job.stage(fn); },
                [&job](const auto& fn, const Json& summary) {
                  job.commit([&](store::Connection& c) {
                    const int64_t id = fn(c);
                    job.set_result({{"import_id", id}, {"summary", summary}});
                  });
                }};
  ImportRequest req = request;
  req.progress = [&job, &request](uint64_t bytes, uint64_t rows) {
    job.throw_if_cancelled();
    job.report_progress(static_cast<int64_t>(bytes), job.input_size(),
                        std::to_string(rows) + " rows");
    if (request.progress) request.progress(bytes, rows);
  };
  return run_import(actor, audit_, job.input(), req, job.job_id(), staged);
}

void FlowsService::discard_job(store::Connection& c, int64_t job_id) {
  repository::delete_import_of_job(c, job_id);
}

FlowsService::Loaded FlowsService::load() {
  std::string fingerprint;
  std::vector<repository::CaseBasis> cases;
  store_.read([&](store::Connection& c) {
    fingerprint = repository::records_fingerprint(c);
    cases = repository::case_basis(c);
  });
  std::shared_ptr<const RecordTable> imported;
  {
    auto& cache = record_cache();
    std::lock_guard lock(cache.mutex);
    if (!cache.table || cache.fingerprint != fingerprint) {
      auto table = std::make_shared<RecordTable>();
      store_.read([&](store::Connection& c) {
        fingerprint = repository::records_fingerprint(c);
        *table = repository::load_records(c);
      });
      cache.table = std::move(table);
      cache.fingerprint = fingerprint;
    }
    imported = cache.table;
    fingerprint = cache.fingerprint;
  }
  if (cases.empty()) return {imported, fingerprint};
  // ctip's own cases, as data source "ctip", appended to a copy (the cached table stays as the
  // imports made it). The key covers what they contribute, so cached results follow them.
  auto all = std::make_shared<RecordTable>(*imported);
  const uint8_t ctip = all->source_index("ctip");
  std::string basis;
  for (const auto& b : cases) {
    CaseRecord r;
    r.year = static_cast<int16_t>(b.year >= kFirstYear && b.year <= kLastYear ? b.year : 0);
    r.source = ctip;
    r.sex = sex_of(b.interview);
    r.age = age_band(b.age, b.may_be_minor);
    if (b.nationality) r.citizenship = country_code(*b.nationality).value_or(kUnknownCountry);
    all->push_back(r);
    basis += std::to_string(r.year) + ":" + std::to_string(r.citizenship) + ":" +
             std::to_string(static_cast<int>(r.sex)) + ":" +
             std::to_string(static_cast<int>(r.age)) + ";";
  }
  return {all, fingerprint + "/ctip:" + to_hex(sha256(basis))};
}

std::shared_ptr<const RecordTable> FlowsService::records() { return load().table; }

Json FlowsService::suppressed(const Loaded& loaded, const Filter& filter, int64_t k) {
  if (k < 2) invalid("k", "k must be at least 2: a threshold of 1 suppresses nothing");
  auto counts = corridor_table(*loaded.table, filter);
  const size_t cells = counts.rows.size() * counts.columns.size();
  if (cells > kMaxReleaseCells)
    invalid("region", "the corridor table has " + std::to_string(counts.rows.size()) + " x " +
                          std::to_string(counts.columns.size()) +
                          " countries; proving every suppressed cell safe takes too long above " +
                          std::to_string(kMaxReleaseCells) +
                          " cells: narrow it with region, country or years");
  // Proving a large table safe takes seconds (linear programs per suppressed cell): the same
  // table is answered from memory while the data do not change.
  const std::string key = loaded.key + "|" + filter_key(filter) + "|k=" + std::to_string(k);
  auto& cache = suppression_cache();
  {
    std::lock_guard lock(cache.mutex);
    for (const auto& [cached_key, value] : cache.entries)
      if (cached_key == key) return value;
  }
  Json out = published_json(stats::suppress(counts, {k}));
  std::lock_guard lock(cache.mutex);
  cache.entries.emplace_front(key, out);
  if (cache.entries.size() > kSuppressionCacheEntries) cache.entries.pop_back();
  return out;
}

Json FlowsService::overview() {
  auto table = records();
  std::vector<repository::ImportRow> imports;
  int64_t glotip_values = 0;
  Json out;
  out["imports"] = Json::array();
  store_.read([&](store::Connection& c) {
    imports = repository::complete_imports(c);
    glotip_values = repository::count_glotip_values(c);
    for (const auto& i : imports) {
      auto b = repository::find_budget(c, "import:" + std::to_string(i.id));
      out["imports"].push_back(
          {{"id", i.id},
           {"format", to_string(i.format)},
           {"file_name", i.file_name},
           {"created_at", i.created_at},
           {"created_by", i.created_by},
           {"rows_read", i.rows_read},
           {"imported", i.imported},
           {"skipped", i.skipped},
           {"epsilon_budget", b ? static_cast<double>(b->total_micro) / 1e6 : 0.0},
           {"epsilon_spent", b ? static_cast<double>(b->spent_micro) / 1e6 : 0.0}});
    }
  });
  int first = 0, last = 0;
  for (int16_t y : table->year) {
    if (y == 0) continue;
    if (first == 0 || y < first) first = y;
    if (y > last) last = y;
  }
  Json countries = Json::array();
  for (const auto& c : all_countries())
    countries.push_back({{"alpha3", c.alpha3}, {"numeric", c.numeric}, {"name", c.name}});
  out["records"] = table->size();
  out["glotip_values"] = glotip_values;
  out["years"] = {{"first", first ? Json(first) : Json(nullptr)},
                  {"last", last ? Json(last) : Json(nullptr)}};
  Json sources = Json::array();
  for (size_t i = 1; i < table->sources().size(); ++i) sources.push_back(table->sources()[i]);
  out["sources"] = std::move(sources);
  out["countries"] = std::move(countries);
  return out;
}

Json FlowsService::corridors(const Filter& filter) {
  auto m = flows::corridors(*records(), filter);
  Json out = corridors_basis_json(m);
  out["corridors"] = corridors_json(m);
  return out;
}

Json FlowsService::domestic(DomesticBy by, const Filter& filter) {
  auto d = domestic_share(*records(), by, filter);
  return {{"by", by == DomesticBy::year ? "year" : "country"},
          {"rows", domestic_json(d)},
          {"records", d.records},
          {"unknown", d.unknown}};
}

Json FlowsService::categories(FlagGroup group, const Filter& filter) {
  return to_json(categories_by_year(*records(), group, filter));
}

Json FlowsService::shifts(const Filter& filter, const stats::ShiftCriteria& criteria) {
  // This year's registrations are still coming in: its count is not a level to compare.
  const int this_year = std::stoi(now_iso().substr(0, 4));
  return to_json(find_shifts(*records(), filter, criteria, this_year));
}

Json FlowsService::glotip(DomesticBy by, const Filter& filter) {
  GlotipData data;
  store_.read([&](store::Connection& c) { data = repository::load_glotip(c); });
  auto rows = glotip_domestic_share(data);
  std::vector<GlotipDomesticRow> kept;
  for (auto& r : rows) {
    if (filter.year_from && r.year < *filter.year_from) continue;
    if (filter.year_to && r.year > *filter.year_to) continue;
    if (filter.country && r.country != *filter.country) continue;
    kept.push_back(r);
  }
  Json out_rows;
  if (by == DomesticBy::country) {
    out_rows = to_json(kept);
  } else {
    std::map<int, GlotipDomesticRow> per_year;
    for (const auto& r : kept) {
      auto& y = per_year[r.year];
      y.year = r.year;
      y.domestic += r.domestic;
      y.foreign += r.foreign;
      y.total_known += r.total_known;
      y.unknown += r.unknown;
      y.unmapped += r.unmapped;
      y.malformed += r.malformed;
    }
    out_rows = Json::array();
    for (auto& [year, r] : per_year) {
      // The share's bounds over every count in the intervals: least domestic against most
      // foreign, and the reverse.
      auto bound = [](uint64_t d, uint64_t f) {
        return d + f == 0 ? 0.0 : static_cast<double>(d) / static_cast<double>(d + f);
      };
      r.share_lo = bound(r.domestic.lo, r.foreign.hi);
      r.share_hi = bound(r.domestic.hi, r.foreign.lo);
      Json j = to_json(std::vector<GlotipDomesticRow>{r}).at(0);
      j.erase("country");
      out_rows.push_back(std::move(j));
    }
  }
  return {{"by", by == DomesticBy::year ? "year" : "country"}, {"rows", std::move(out_rows)}};
}

Json FlowsService::preview(const Filter& filter, int64_t k) {
  return suppressed(load(), filter, k);
}

Json FlowsService::release(const auth::Actor& actor, const ReleaseRequest& req) {
  if (req.k.has_value() == req.epsilon.has_value())
    invalid("method", "give either k (suppression) or epsilon (differential privacy)");
  // One load for the whole release: the table and the suppression's cache key come from it.
  const Loaded loaded = load();
  const auto& table = loaded.table;
  const bool with_cases =
      std::find(table->sources().begin(), table->sources().end(), "ctip") != table->sources().end();
  Json parameters = req.filter_json;
  Json published;
  std::optional<double> spent;
  if (req.k) {
    if (*req.k < 2) invalid("k", "k must be at least 2: a threshold of 1 suppresses nothing");
    parameters["k"] = *req.k;
    published = suppressed(loaded, req.filter, *req.k);
  } else {
    const double eps = *req.epsilon;
    if (!(eps > 0) || !std::isfinite(eps)) invalid("epsilon", "epsilon must be above 0");
    if (req.max_records_per_person < 1)
      invalid("max_records_per_person", "max_records_per_person must be at least 1");
    parameters["epsilon"] = eps;
    parameters["max_records_per_person"] = req.max_records_per_person;
    // The noise is drawn against a one-off ledger; the store's ledgers are spent below, in the
    // transaction that records the release.
    stats::PrivacyBudget once("release", eps);
    published = published_json(stats::release_private(
        corridor_table(*table, req.filter), {eps, req.max_records_per_person}, once, "release"));
    spent = eps;
  }
  Json result;
  store_.write([&](store::Connection& c) {
    std::vector<std::string> datasets = datasets_of(c, with_cases);
    Json files = Json::array();
    std::vector<int64_t> import_ids;
    for (const auto& i : repository::complete_imports(c)) {
      if (i.format == Format::glotip) continue;
      import_ids.push_back(i.id);
      files.push_back({{"import", i.id}, {"file_name", i.file_name}, {"sha256", i.file_sha256}});
    }
    if (spent) {
      if (with_cases) repository::ensure_budget(c, "ctip", to_micro(1.0));
      for (const auto& d : datasets) {
        if (!repository::spend_budget(c, d, to_micro(*spent))) {
          auto b = repository::find_budget(c, d);
          double left = b ? static_cast<double>(b->total_micro - b->spent_micro) / 1e6 : 0.0;
          throw Error(ErrorCode::conflict,
                      "epsilon " + Json(*spent).dump() + " is more than the budget of dataset " +
                          d + " has left (" + Json(left).dump() + "); nothing was released",
                      "epsilon");
        }
      }
    }
    repository::ReleaseRow row;
    row.created_at = now_iso();
    row.created_by = actor.name;
    row.method = req.k ? "k" : "epsilon";
    row.parameters = parameters.dump();
    row.dataset = Json{
        {"imports", import_ids},
        {"records", table->size()},
        {"files", files},
        {"ctip_cases",
         with_cases}}.dump();
    row.published = published.dump();
    row.epsilon_spent = spent;
    row.id = repository::insert_release(c, row, actor.user_id);
    audit_.append(c, actor.event("flows.release", "flow_release", std::to_string(row.id)));
    result = {{"release", release_json(row, true)}};
    result["release"]["epsilon_remaining"] =
        datasets.empty() ? Json(nullptr) : Json(remaining(c, datasets).value_or(0.0));
  });
  return result;
}

Json FlowsService::releases(int64_t limit) {
  Json out = Json::array();
  store_.read([&](store::Connection& c) {
    for (const auto& r : repository::list_releases(c, limit)) out.push_back(release_json(r, false));
  });
  return {{"releases", std::move(out)}};
}

std::string FlowsService::release_csv(int64_t id) {
  std::optional<repository::ReleaseRow> r;
  store_.read([&](store::Connection& c) { r = repository::find_release(c, id); });
  if (!r) throw Error(ErrorCode::not_found, "no release " + std::to_string(id), "id");
  return published_csv(Json::parse(r->published));
}

void add_job_kinds(jobs::KindRegistry& kinds) {
  for (Format f : {Format::ctdc, Format::ctdc_synthetic, Format::htcds, Format::glotip}) {
    jobs::Kind k;
    k.name = "flows.import." + std::string(to_string(f));
    k.unit = "bytes";
    k.summary =
        "Imports a " + std::string(to_string(f)) + " file into the flows dataset (all or nothing)";
    k.action = "flows.import";
    k.run = [f](jobs::JobContext& ctx) {
      // The job imports for the user who created it, under their name in the audit log.
      auth::Actor actor = auth::Actor::operator_named("cli");
      if (auto uid = ctx.created_by()) {
        std::optional<auth::User> user;
        ctx.store().read([&](store::Connection& c) { user = auth::find_user(c, *uid); });
        if (!user) throw Error(ErrorCode::not_found, "the job's user no longer exists");
        auto scope = auth::PermissionMatrix::builtin().grant(user->role, "flows.import");
        if (!scope) throw Error(ErrorCode::permission_denied, "the job's user may not import");
        actor = auth::Actor::user(*user, *scope);
      }
      FlowsService svc(ctx.store(), ctx.audit());
      ImportRequest req;
      req.format = f;
      req.file_name = "job " + std::to_string(ctx.job_id());
      svc.import(actor, ctx, req);  // the result is set as the import commits
    };
    k.discard = [](store::Connection& c, int64_t job_id) { FlowsService::discard_job(c, job_id); };
    kinds.add(std::move(k));
  }
}

}  // namespace ctip::flows
