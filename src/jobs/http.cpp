#include "jobs/http.h"

#include <charconv>

#include "core/error.h"

namespace ctip::jobs::http {
namespace {

Json job_json(const JobService& service, const Job& job, bool with_result) {
  Json j = to_json(job, with_result);
  const Kind* kind = service.kinds().find(job.kind);
  j["progress"]["unit"] = kind ? kind->unit : "";
  return j;
}

void write_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
  res.set_header("Cache-Control", "no-store");
}

// Runs a route body, turning thrown errors into the API's JSON error shape. Messages of 5xx
// errors may quote internals and are not sent.
template <typename F>
void answer(httplib::Response& res, F&& body) {
  try {
    body();
  } catch (const Error& e) {
    int status = http_status(e.code());
    write_json_error(res, status, to_string(e.code()), status >= 500 ? "internal error" : e.what(),
                     e.field());
  } catch (const std::exception&) {
    write_json_error(res, 500, "internal", "internal error");
  }
}

int64_t parse_id(std::string_view text) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v <= 0)
    throw Error(ErrorCode::not_found, "no such job", "id");
  return v;
}

}  // namespace

void create_job(const JobRoutes& routes, const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader& body) {
  bool body_read = false;
  answer(res, [&] {
    std::string kind = req.get_param_value("kind");
    // A kind may need its own permission (flows.import); unknown kinds are named only to
    // callers who passed the check.
    const Kind* known = routes.service.kinds().find(kind);
    Caller caller = routes.authenticate(
        req, known && !known->action.empty() ? std::string_view(known->action) : kCreateAction);
    if (kind.empty()) invalid("kind", "name the job's kind: POST /api/v1/jobs?kind=...");
    if (req.get_header_value("Content-Type").starts_with("multipart/"))
      throw Error(ErrorCode::unsupported_media,
                  "send the file itself as the request body, not as a multipart form",
                  "Content-Type");
    Upload upload = routes.service.begin_upload(caller, kind);
    std::optional<Error> refused;
    bool complete = body([&](const char* data, size_t n) {
      try {
        upload.append({data, n});
        return true;
      } catch (const Error& e) {
        refused = e;
        return false;
      }
    });
    body_read = complete;
    if (refused) throw *refused;
    if (!complete)
      invalid("body", "the upload ended before the whole file arrived; nothing was kept");
    Job job = upload.finish();
    res.set_header("Location", "/api/v1/jobs/" + std::to_string(job.id));
    write_json(res, 201, job_json(routes.service, job, false));
  });
  // An answer sent before the body was read: the rest of the body must not be taken for the
  // next request on this connection.
  if (!body_read) res.set_header("Connection", "close");
}

void list_jobs(const JobRoutes& routes, const httplib::Request& req, httplib::Response& res) {
  answer(res, [&] {
    Caller caller = routes.authenticate(req, kReadAction);
    int64_t limit = 100;
    if (req.has_param("limit")) {
      auto v = req.get_param_value("limit");
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), limit);
      if (ec != std::errc() || p != v.data() + v.size() || limit < 1 || limit > 500)
        invalid("limit", "query parameter 'limit' must be an integer from 1 to 500");
    }
    Json jobs = Json::array();
    for (const auto& job : routes.service.list(caller, limit))
      jobs.push_back(job_json(routes.service, job, false));
    write_json(res, 200, {{"jobs", jobs}});
  });
}

void read_job(const JobRoutes& routes, const httplib::Request& req, httplib::Response& res,
              std::string_view id) {
  answer(res, [&] {
    Caller caller = routes.authenticate(req, kReadAction);
    Job job = routes.service.get(caller, parse_id(id));
    write_json(res, 200, job_json(routes.service, job, true));
  });
}

void cancel_job(const JobRoutes& routes, const httplib::Request& req, httplib::Response& res,
                std::string_view id) {
  answer(res, [&] {
    Caller caller = routes.authenticate(req, kCancelAction);
    Job job = routes.service.cancel(caller, parse_id(id));
    write_json(res, 200, job_json(routes.service, job, false));
  });
}

void register_routes(httplib::Server& server, const JobRoutes& routes) {
  const JobRoutes* r = &routes;
  server.Post("/api/v1/jobs",
              [r](const httplib::Request& req, httplib::Response& res,
                  const httplib::ContentReader& body) { create_job(*r, req, res, body); });
  server.Get("/api/v1/jobs",
             [r](const httplib::Request& req, httplib::Response& res) { list_jobs(*r, req, res); });
  server.Get(R"(/api/v1/jobs/([^/]+))", [r](const httplib::Request& req, httplib::Response& res) {
    read_job(*r, req, res, req.matches[1].str());
  });
  server.Post(R"(/api/v1/jobs/([^/]+)/cancel)",
              [r](const httplib::Request& req, httplib::Response& res) {
                cancel_job(*r, req, res, req.matches[1].str());
              });
}

void add_body_limits(BodyLimits& limits, uint64_t max_upload_bytes) {
  limits.set("POST", "/api/v1/jobs", max_upload_bytes);
}

}  // namespace ctip::jobs::http
