#include "cases/services/provider_service.h"

#include <sstream>

#include "core/embedded.h"
#include "core/time.h"

namespace ctip::embedded {
const std::vector<File>& demo_providers();  // data/demo/providers.csv (CMakeLists.txt)
}  // namespace ctip::embedded

namespace ctip::cases::services {

Json reasons_json(const std::vector<Reason>& reasons) {
  Json out = Json::array();
  for (const auto& r : reasons)
    out.push_back({{"code", r.code}, {"text", r.text}, {"points", r.points}});
  return out;
}

Json provider_json(const Provider& p) {
  Json services = Json::array();
  for (auto t : p.services) services.push_back(to_string(t));
  const auto& e = p.eligibility;
  return {{"id", p.id},
          {"org_id", p.org_id ? Json(*p.org_id) : Json(nullptr)},
          {"name", p.name},
          {"services", services},
          {"languages", p.languages},
          {"interpreter", p.interpreter},
          {"region", p.region},
          {"location", p.location},
          {"eligibility",
           {{"sexes", e.sexes},
            {"min_age", e.min_age ? Json(*e.min_age) : Json(nullptr)},
            {"max_age", e.max_age ? Json(*e.max_age) : Json(nullptr)},
            {"nationalities", e.nationalities},
            {"documentation", e.documentation}}},
          {"capacity", p.capacity},
          {"occupancy", p.occupancy},
          {"free_places", p.free_places()},
          {"funding_this_year", p.funding_this_year},
          {"funding_baseline", p.funding_baseline}};
}

Json needs_json(const Needs& n) {
  Json services = Json::array();
  for (auto t : n.services) services.push_back(to_string(t));
  auto opt = [](const auto& v) { return v ? Json(*v) : Json(nullptr); };
  return {{"services", services},
          {"languages", n.languages},
          {"interpreter_needed", n.interpreter_needed},
          {"region", n.region},
          {"sex", opt(n.sex)},
          {"age", opt(n.age)},
          {"nationality", opt(n.nationality)},
          {"documentation_status", opt(n.documentation_status)}};
}

Json ranked_json(const RankedProvider& r, const Provider& p) {
  Json services = Json::array();
  for (auto t : r.services) services.push_back(to_string(t));
  return {{"rank", r.rank},
          {"score", r.score},
          {"provider",
           {{"id", p.id},
            {"name", p.name},
            {"region", p.region},
            {"location", p.location},
            {"free_places", p.free_places()},
            {"capacity", p.capacity}}},
          {"services", services},
          {"reasons", reasons_json(r.reasons)}};
}

repository::CasePerson case_for_referral(store::Connection& c, const auth::Actor& actor,
                                         int64_t case_id) {
  auto kase = repository::find_case_person(c, case_id);
  if (!kase || (actor.visible_org && *actor.visible_org != kase->org_id))
    throw Error(ErrorCode::not_found, "no such case", "case_id");
  return *kase;
}

Json ProviderService::import_csv(const auth::Actor& actor, std::istream& in) {
  auto csv = read_providers_csv(in);
  if (!csv.problems.empty()) {
    Json problems = Json::array();
    for (const auto& p : csv.problems)
      problems.push_back({{"line", p.line}, {"field", p.field}, {"message", p.message}});
    const auto& first = csv.problems.front();
    throw ProvidersRejected(
        std::to_string(csv.problems.size()) + " bad row(s), nothing was imported; first: line " +
            std::to_string(first.line) + ", " + first.field + ": " + first.message,
        "line " + std::to_string(first.line), std::move(problems));
  }
  Json ids = Json::array();
  store_.write([&](store::Connection& c) {
    auto now = now_iso();
    for (auto p : csv.providers) {
      if (p.org_id && !repository::organisation_exists(c, *p.org_id))
        invalid("org_id", "provider '" + p.name + "': no organisation " +
                              std::to_string(*p.org_id) + "; nothing was imported");
      if (!p.org_name.empty()) {
        p.org_id = repository::organisation_named(c, p.org_name);
        if (!p.org_id)
          invalid("organisation", "provider '" + p.name + "': no organisation named '" +
                                      p.org_name + "'; nothing was imported");
      }
      ids.push_back(repository::insert_provider(c, p, now));
    }
    auto e = actor.event("providers.import", "provider_list", std::to_string(ids.size()));
    audit_.append(c, e);
  });
  return {{"imported", ids.size()}, {"ids", ids}};
}

bool ProviderService::seed_demo(const auth::Actor& actor) {
  int64_t existing = 0;
  store_.read([&](store::Connection& c) { existing = repository::count_providers(c); });
  if (existing > 0) return false;
  for (const auto& f : embedded::demo_providers()) {
    std::istringstream in{std::string(f.contents)};
    import_csv(actor, in);
  }
  return true;
}

Json ProviderService::create(const auth::Actor& actor, const Provider& p) {
  validate(p);
  Json out;
  store_.write([&](store::Connection& c) {
    if (p.org_id && !repository::organisation_exists(c, *p.org_id))
      invalid("org_id", "no organisation " + std::to_string(*p.org_id));
    Provider saved = p;
    saved.id = repository::insert_provider(c, p, now_iso());
    audit_.append(c, actor.event("providers.create", "provider", std::to_string(saved.id)));
    out = provider_json(saved);
  });
  return out;
}

Json ProviderService::list(const repository::ProviderFilter& filter) {
  Json out = Json::array();
  store_.read([&](store::Connection& c) {
    for (const auto& p : repository::list_providers(c, filter)) out.push_back(provider_json(p));
  });
  return out;
}

Json ProviderService::get(int64_t id) {
  std::optional<Provider> p;
  store_.read([&](store::Connection& c) { p = repository::find_provider(c, id); });
  if (!p) throw Error(ErrorCode::not_found, "no such provider", "id");
  return provider_json(*p);
}

Json ProviderService::match(const auth::Actor& actor, const MatchRequest& request) {
  Needs needs = request.needs;
  std::vector<Provider> providers;
  auto load = [&](store::Connection& c) { providers = repository::list_providers(c); };
  if (request.case_id) {
    store_.write([&](store::Connection& c) {
      auto kase = case_for_referral(c, actor, *request.case_id);
      auto services = needs.services;
      bool interpreter = needs.interpreter_needed;
      auto region = needs.region;
      needs = kase.person;
      needs.services = services;
      needs.interpreter_needed = interpreter;
      if (!region.empty()) needs.region = region;  // where the person will be served
      if (!request.needs.languages.empty()) needs.languages = request.needs.languages;
      load(c);
      audit_.append(c, actor.event("referrals.match", "case", std::to_string(*request.case_id)));
    });
  } else {
    store_.read(load);
  }
  auto result = services::match(providers, needs, request.limit, request.include_excluded);
  Json ranked = Json::array();
  for (const auto& r : result.ranked) ranked.push_back(ranked_json(r, providers[r.index]));
  Json out = {{"needs", needs_json(needs)},
              {"ranked", ranked},
              {"eligible", providers.size() - result.excluded.size()},
              {"excluded_count", result.excluded.size()}};
  if (request.include_excluded) {
    Json excluded = Json::array();
    for (const auto& x : result.excluded) {
      const auto& p = providers[x.index];
      excluded.push_back({{"provider", {{"id", p.id}, {"name", p.name}, {"region", p.region}}},
                          {"reasons", reasons_json(x.reasons)}});
    }
    out["excluded"] = std::move(excluded);
  }
  return out;
}

}  // namespace ctip::cases::services
