#include "jobs/job_client.h"

#include <httplib.h>

#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/error.h"

namespace ctip::jobs {
namespace {

ErrorCode code_of(std::string_view code) {
  for (auto c :
       {ErrorCode::invalid_argument, ErrorCode::unauthenticated, ErrorCode::permission_denied,
        ErrorCode::not_found, ErrorCode::conflict, ErrorCode::payload_too_large,
        ErrorCode::unsupported_media, ErrorCode::too_many_requests, ErrorCode::integrity})
    if (to_string(c) == code) return c;
  return ErrorCode::internal;
}

// The server's JSON reply, or its error as ctip::Error.
Json reply_json(const httplib::Result& r, std::string_view what) {
  if (!r)
    throw Error(ErrorCode::internal, std::string(what) + ": no answer from the server (" +
                                         httplib::to_string(r.error()) + ")");
  Json body;
  try {
    body = Json::parse(r->body);
  } catch (const Json::exception&) {
    throw Error(ErrorCode::internal, std::string(what) + ": the server answered " +
                                         std::to_string(r->status) + " without JSON");
  }
  if (r->status >= 400) {
    auto e = body.value("error", Json::object());
    throw Error(code_of(e.value("code", "internal")),
                std::string(what) + ": " + e.value("message", "error " + std::to_string(r->status)),
                e.value("field", ""));
  }
  return body;
}

httplib::Headers session_headers(const ServerSession& s) {
  return {{"Cookie", "ctip_session=" + s.session_token}, {"X-CSRF-Token", s.csrf_token}};
}

Progress progress_of(const Json& job) {
  const auto& p = job.at("progress");
  return {p.value("done", int64_t{0}), p.value("total", int64_t{0}), p.value("message", "")};
}

std::string final_line(std::string_view status, const std::string& error) {
  std::string line = "job " + std::string(status);
  if (!error.empty()) line += ": " + error;
  return line;
}

}  // namespace

ServerSession login(const std::string& base_url, const std::string& username,
                    const std::string& password) {
  httplib::Client client(base_url);
  Json req = {{"username", username}, {"password", password}};
  auto r = client.Post("/api/v1/session", req.dump(), "application/json");
  Json body = reply_json(r, "login");
  ServerSession s{base_url, {}, body.value("csrf_token", "")};
  // Set-Cookie: ctip_session=TOKEN; Path=/; HttpOnly; ...
  std::string cookie = r->get_header_value("Set-Cookie");
  const std::string name = "ctip_session=";
  if (auto at = cookie.find(name); at != std::string::npos) {
    auto end = cookie.find(';', at);
    s.session_token = cookie.substr(
        at + name.size(), end == std::string::npos ? std::string::npos : end - at - name.size());
  }
  if (s.session_token.empty() || s.csrf_token.empty())
    throw Error(ErrorCode::internal, "login: the server set no session");
  return s;
}

Json run_on_server(const ServerSession& session, std::string_view kind,
                   const std::filesystem::path& file, ProgressBar& bar,
                   std::chrono::milliseconds poll) {
  std::ifstream in(file, std::ios::binary);
  if (!in) invalid("file", "cannot open " + file.string());
  auto size = static_cast<size_t>(std::filesystem::file_size(file));
  httplib::Client client(session.base_url);
  client.set_read_timeout(120, 0);  // the server syncs the file to disk before answering
  client.set_write_timeout(60, 0);
  bar.set_unit("bytes");
  std::array<char, 1 << 16> buf{};
  auto provider = [&](size_t offset, size_t length, httplib::DataSink& sink) {
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(buf.data(), static_cast<std::streamsize>(std::min(length, buf.size())));
    auto n = static_cast<size_t>(in.gcount());
    if (n == 0) return false;  // the file shrank while being sent
    if (!sink.write(buf.data(), n)) return false;
    bar.update({static_cast<int64_t>(offset + n), static_cast<int64_t>(size), "uploading"});
    return true;
  };
  auto r =
      client.Post("/api/v1/jobs?kind=" + httplib::detail::encode_query_param(std::string(kind)),
                  session_headers(session), size, provider, "application/octet-stream");
  Json job = reply_json(r, "upload");
  bar.finish({static_cast<int64_t>(size), static_cast<int64_t>(size), "uploaded"});
  std::string path = "/api/v1/jobs/" + std::to_string(job.at("id").get<int64_t>());
  bar.set_unit(job.at("progress").value("unit", ""));
  for (;;) {
    auto status = job.at("status").get<std::string>();
    if (status == "succeeded" || status == "failed" || status == "cancelled") {
      bar.finish(progress_of(job), final_line(status, job.value("error", Json()).is_string()
                                                          ? job.at("error").get<std::string>()
                                                          : ""));
      return job;
    }
    bar.update(progress_of(job));
    std::this_thread::sleep_for(poll);
    job = reply_json(client.Get(path, session_headers(session)), "job status");
  }
}

Job run_locally(JobService& service, const Caller& caller, std::string_view kind,
                const std::filesystem::path& file, ProgressBar& bar,
                std::chrono::milliseconds poll) {
  Job job = service.submit_file(caller, kind, file);
  if (const Kind* k = service.kinds().find(kind)) bar.set_unit(k->unit);
  while (!is_final(job.status)) {
    bar.update(job.progress);
    job = service.wait(job.id, poll);
  }
  bar.finish(job.progress, final_line(to_string(job.status), job.error.value_or("")));
  return service.get(caller, job.id);  // the result, audited as read
}

}  // namespace ctip::jobs
