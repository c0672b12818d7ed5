#include "jobs/body_limits.h"

#include <charconv>

#include "core/json_input.h"

namespace ctip::jobs {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool is_parameter(std::string_view part) {
  return part.size() > 2 && part.front() == '{' && part.back() == '}';
}

std::string human_bytes(uint64_t n) {
  if (n >= (1ULL << 30) && n % (1ULL << 30) == 0) return std::to_string(n >> 30) + " GiB";
  if (n >= (1ULL << 20) && n % (1ULL << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n >= (1ULL << 10) && n % (1ULL << 10) == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

}  // namespace

void write_json_error(httplib::Response& res, int status, std::string_view code,
                      std::string_view message, std::string_view field) {
  Json e = {{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  res.status = status;
  res.set_content(Json{{"error", e}}.dump(-1, ' ', false, Json::error_handler_t::replace),
                  "application/json");
}

BodyLimits::BodyLimits(uint64_t default_max_bytes) : default_max_bytes_(default_max_bytes) {}

BodyLimits& BodyLimits::set(std::string method, const std::string& pattern, uint64_t max_bytes) {
  Rule r{std::move(method), {}, 0, max_bytes};
  for (auto s : segments(pattern)) {
    r.parts.emplace_back(s);
    if (!is_parameter(s)) ++r.literals;
  }
  rules_.push_back(std::move(r));
  return *this;
}

uint64_t BodyLimits::limit(std::string_view method, std::string_view path) const {
  auto segs = segments(path);
  const Rule* best = nullptr;
  for (const auto& r : rules_) {
    if (r.method != method || r.parts.size() != segs.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i)
      ok = is_parameter(r.parts[i]) || r.parts[i] == segs[i];
    if (ok && (!best || r.literals > best->literals)) best = &r;
  }
  return best ? best->max_bytes : default_max_bytes_;
}

uint64_t BodyLimits::largest() const {
  uint64_t m = default_max_bytes_;
  for (const auto& r : rules_) m = std::max(m, r.max_bytes);
  return m;
}

std::optional<BodyLimits::Refusal> BodyLimits::check(std::string_view method, std::string_view path,
                                                     std::optional<uint64_t> content_length,
                                                     bool chunked) const {
  uint64_t max = limit(method, path);
  if (content_length && *content_length > max)
    return Refusal{413, "payload_too_large",
                   "request body over the " + human_bytes(max) + " limit of this route"};
  if (chunked && !content_length && max <= default_max_bytes_)
    return Refusal{411, "invalid_argument",
                   "send this route's body with a Content-Length, not chunked"};
  return std::nullopt;
}

namespace {

std::optional<BodyLimits::Refusal> check_request(const BodyLimits& limits,
                                                 const httplib::Request& req) {
  std::optional<uint64_t> length;
  if (req.has_header("Content-Length")) {
    auto v = req.get_header_value("Content-Length");
    uint64_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    // A malformed length is left to httplib, which answers 400.
    if (ec == std::errc() && p == v.data() + v.size()) length = n;
  }
  bool chunked = req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
  return limits.check(req.method, req.path, length, chunked);
}

}  // namespace

httplib::Server::HandlerResponse BodyLimits::pre_routing(const httplib::Request& req,
                                                         httplib::Response& res) const {
  auto refusal = check_request(*this, req);
  if (!refusal) return httplib::Server::HandlerResponse::Unhandled;
  write_json_error(res, refusal->status, refusal->code, refusal->message);
  res.set_header("Connection", "close");
  return httplib::Server::HandlerResponse::Handled;
}

int BodyLimits::expect_continue(const httplib::Request& req, httplib::Response& res) const {
  auto refusal = check_request(*this, req);
  if (!refusal) return 100;
  write_json_error(res, refusal->status, refusal->code, refusal->message);
  res.set_header("Connection", "close");
  return refusal->status;
}

void BodyLimits::install(httplib::Server& server) const {
  server.set_payload_max_length(largest());
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return pre_routing(req, res);
  });
  server.set_expect_100_continue_handler(
      [this](const httplib::Request& req, httplib::Response& res) {
        return expect_continue(req, res);
      });
}

}  // namespace ctip::jobs
