#include "jobs/job_service.h"

#include <fcntl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <stop_token>
#include <thread>

#include "core/crypto.h"
#include "core/error.h"
#include "core/time.h"
#include "jobs/job_repository.h"

namespace ctip::jobs {
namespace {

constexpr std::string_view kInputSuffix = ".input";
constexpr std::string_view kPartPrefix = ".upload-";
constexpr const char* kInterrupted =
    "interrupted: the server stopped before the job finished; submit it again";

std::string input_name(int64_t id) { return std::to_string(id) + std::string(kInputSuffix); }

// Makes a rename or unlink in `dir` durable (POSIX: the directory entry lives in the directory).
void sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void remove_quietly(const std::filesystem::path& p) {
  std::error_code ec;
  std::filesystem::remove(p, ec);
}

// The message a failed job shows its owner: a kind's input error says which line is wrong;
// anything else may quote internals, so it is logged by code only and shown generically.
std::string failure_message(const std::exception& e, int64_t id) {
  if (const auto* err = dynamic_cast<const Error*>(&e); err && http_status(err->code()) < 500)
    return err->field().empty() ? err->what() : err->field() + ": " + err->what();
  std::string code = "internal";
  if (const auto* err = dynamic_cast<const Error*>(&e)) code = std::string(to_string(err->code()));
  spdlog::error(R"({{"event":"job_failed","job_id":{},"code":"{}"}})", id, code);
  return "internal error (" + code + ")";
}

bool visible(const Job& job, const Caller& caller) {
  if (caller.all_organisations) return true;
  return job.org_id && caller.org_id && *job.org_id == *caller.org_id;
}

audit::Event event(const Caller& caller, std::string action, int64_t job_id) {
  return {caller.user_id, caller.actor,           caller.org_id, std::move(action),
          "job",          std::to_string(job_id), "success"};
}

}  // namespace

Caller Caller::cli() { return {std::nullopt, "cli", std::nullopt, true}; }

// ---- KindRegistry -----------------------------------------------------------------------

KindRegistry& KindRegistry::add(Kind kind) {
  if (kind.name.empty() || !kind.run)
    throw Error(ErrorCode::internal, "a job kind needs a name and a function");
  std::string name = kind.name;
  if (!kinds_.emplace(name, std::move(kind)).second)
    throw Error(ErrorCode::internal, "job kind '" + name + "' registered twice");
  return *this;
}

const Kind* KindRegistry::find(std::string_view name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<std::string> KindRegistry::names() const {
  std::vector<std::string> out;
  out.reserve(kinds_.size());
  for (const auto& [name, kind] : kinds_) out.push_back(name);
  return out;
}

// ---- Impl -------------------------------------------------------------------------------

// What the service knows of a job running in this process.
struct RunState {
  std::atomic<bool> cancel{false};  // the owner cancelled (here or, seen via the store, elsewhere)
  std::atomic<bool> stopping{false};  // the service is stopping
};

struct JobService::Impl {
  Impl(store::Store& s, audit::AuditLog& a, KindRegistry k, ServiceOptions o)
      : store(s), audit(a), kinds(std::move(k)), options(std::move(o)) {
    if (!options.clock) options.clock = now_ms;
    if (options.workers < 1) options.workers = 1;
    if (options.jobs_dir.empty())
      throw Error(ErrorCode::internal, "the job service needs a jobs directory");
    // Inputs may hold personal data: only the server's own account may read them.
    std::filesystem::create_directories(options.jobs_dir);
    std::filesystem::permissions(options.jobs_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace);
  }

  store::Store& store;
  audit::AuditLog& audit;
  KindRegistry kinds;
  ServiceOptions options;

  std::mutex mu;
  std::condition_variable_any queue_cv;
  std::deque<int64_t> queue;
  std::map<int64_t, std::shared_ptr<RunState>> running;
  bool stopping = false;
  std::condition_variable finished_cv;  // a job reached a final state here
  std::vector<std::jthread> workers;

  std::string now() const { return format_time(options.clock()); }

  void enqueue(int64_t id) {
    {
      std::lock_guard lock(mu);
      queue.push_back(id);
    }
    queue_cv.notify_one();
  }

  void work(const std::stop_token& st) {
    for (;;) {
      int64_t id = 0;
      {
        std::unique_lock lock(mu);
        // A stopping service leaves queued jobs queued, for the next start.
        if (!queue_cv.wait(lock, st, [&] { return !queue.empty(); }) || st.stop_requested()) return;
        id = queue.front();
        queue.pop_front();
      }
      try {
        run(id);
      } catch (const std::exception&) {
        // The store failed while recording the outcome; the job stays as last stored and is
        // marked interrupted at the next start. Nothing more a worker can do.
        spdlog::error(R"({{"event":"job_runner_failed","job_id":{}}})", id);
      }
      finished_cv.notify_all();
    }
  }

  void run(int64_t id);

  // Deletes what a job that did not succeed staged, in the caller's transaction.
  void discard(store::Connection& c, int64_t id, const std::string& kind_name) {
    const Kind* kind = kinds.find(kind_name);
    if (kind && kind->discard) kind->discard(c, id);
  }
};

// ---- JobContext -------------------------------------------------------------------------

namespace {

class RunningJob final : public JobContext {
 public:
  RunningJob(JobService::Impl& svc, const Job& job, const Kind& kind,
             std::shared_ptr<RunState> state)
      : svc_(svc), job_(job), kind_(kind), state_(std::move(state)) {
    in_.rdbuf()->pubsetbuf(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    in_.open(svc_.options.jobs_dir / job.input_path, std::ios::binary);
    if (!in_) throw Error(ErrorCode::internal, "the job's input file is missing");
    last_store_ = std::chrono::steady_clock::now();
  }

  int64_t job_id() const override { return job_.id; }
  std::istream& input() override { return in_; }
  int64_t input_size() const override { return job_.input_size; }

  void report_progress(int64_t done, int64_t total, std::string message) override {
    progress_ = advance(progress_, done, total, std::move(message));
    auto now = std::chrono::steady_clock::now();
    if (now - last_store_ < svc_.options.progress_interval) return;
    last_store_ = now;
    store_progress();
  }

  bool cancelled() const override { return state_->cancel || state_->stopping; }
  void throw_if_cancelled() const override {
    if (cancelled()) throw JobStopped();
  }
  void set_result(Json result) override { result_ = std::move(result); }
  store::Store& store() override { return svc_.store; }
  audit::AuditLog& audit() override { return svc_.audit; }
  std::optional<int64_t> created_by() const override { return job_.created_by; }

  void commit(const std::function<void(store::Connection&)>& write) override {
    if (committed_) throw Error(ErrorCode::internal, "a job committed its output twice");
    throw_if_cancelled();
    svc_.store.write([&](store::Connection& c) {
      write(c);
      // The same transaction marks the job succeeded; if a cancellation committed first, the
      // job is no longer running, and throwing rolls back everything `write` did.
      if (!repository::succeed(c, job_.id, result_json(), progress_, svc_.now()))
        throw JobStopped();
    });
    committed_ = true;
  }

  void stage(const std::function<void(store::Connection&)>& write) override {
    if (!kind_.discard)
      throw Error(ErrorCode::internal, "job kind '" + kind_.name + "' stages without a discard");
    throw_if_cancelled();
    svc_.store.write([&](store::Connection& c) {
      if (!repository::lock_if_running(c, job_.id)) throw JobStopped();
      write(c);
    });
  }

  // The kind returned without commit(): record success unless it stopped because asked to.
  void finish_without_output() {
    if (committed_) return;
    if (cancelled()) throw JobStopped();
    svc_.store.write([&](store::Connection& c) {
      repository::succeed(c, job_.id, result_json(), progress_, svc_.now());
    });
  }

 private:
  void store_progress() {
    bool still_running = false;
    svc_.store.write([&](store::Connection& c) {
      still_running = repository::record_progress(c, job_.id, progress_);
    });
    // Cancelled through the store (by another process, or before this process learnt of it).
    if (!still_running) state_->cancel = true;
  }

  std::string result_json() const {
    return result_.dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  JobService::Impl& svc_;
  Job job_;
  const Kind& kind_;
  std::shared_ptr<RunState> state_;
  std::array<char, 1 << 16> buffer_{};
  std::ifstream in_;
  Progress progress_;
  Json result_ = Json::object();
  bool committed_ = false;
  std::chrono::steady_clock::time_point last_store_;
};

}  // namespace

void JobService::Impl::run(int64_t id) {
  std::optional<Job> job;
  bool claimed = false;
  store.write([&](store::Connection& c) {
    claimed = repository::claim(c, id, now());
    job = repository::find(c, id);
  });
  if (!claimed || !job) {
    // Cancelled while queued: its input is no longer needed.
    if (job && is_final(job->status)) remove_quietly(options.jobs_dir / input_name(id));
    return;
  }
  auto state = std::make_shared<RunState>();
  {
    std::lock_guard lock(mu);
    if (stopping) state->stopping = true;
    running[id] = state;
  }
  const Kind* kind = kinds.find(job->kind);
  std::optional<std::string> error;
  bool stopped = false;
  try {
    if (!kind) throw Error(ErrorCode::internal, "no job kind '" + job->kind + "' in this server");
    RunningJob ctx(*this, *job, *kind, state);
    kind->run(ctx);
    ctx.finish_without_output();
  } catch (const JobStopped&) {
    stopped = true;
  } catch (const std::exception& e) {
    error = failure_message(e, id);
  }
  // The outcome, unless the output's commit already recorded success (then these find the job
  // no longer running and change nothing).
  store.write([&](store::Connection& c) {
    bool ended = false;
    if (error)
      ended = repository::fail(c, id, *error, now());
    else if (stopped && state->cancel)
      ended = repository::cancel(c, id, now());
    else if (stopped)
      ended = repository::fail(c, id, kInterrupted, now());
    if (ended) discard(c, id, job->kind);
  });
  {
    std::lock_guard lock(mu);
    running.erase(id);
  }
  // The input served its purpose; it may hold personal data, so it is not kept.
  remove_quietly(options.jobs_dir / input_name(id));
}

// ---- Upload -----------------------------------------------------------------------------

struct Upload::State {
  std::shared_ptr<JobService::Impl> svc;
  Caller caller;
  std::string kind;
  std::filesystem::path part;
  int fd = -1;
  int64_t size = 0;
  crypto_hash_sha256_state sha{};
  bool finished = false;

  ~State() {
    if (fd >= 0) ::close(fd);
    if (!finished && !part.empty()) remove_quietly(part);
  }
};

Upload::Upload(std::unique_ptr<State> state) : state_(std::move(state)) {}
Upload::Upload(Upload&&) noexcept = default;
Upload& Upload::operator=(Upload&&) noexcept = default;
Upload::~Upload() = default;

int64_t Upload::size() const { return state_->size; }

void Upload::append(std::string_view bytes) {
  auto& s = *state_;
  if (s.finished || s.fd < 0) throw Error(ErrorCode::internal, "append to a closed upload");
  if (s.size + static_cast<int64_t>(bytes.size()) > s.svc->options.max_input_bytes) {
    ::close(s.fd);
    s.fd = -1;
    remove_quietly(s.part);
    throw Error(ErrorCode::payload_too_large,
                "the input is larger than this server accepts (" +
                    std::to_string(s.svc->options.max_input_bytes) + " bytes)",
                "body");
  }
  crypto_hash_sha256_update(&s.sha, reinterpret_cast<const unsigned char*>(bytes.data()),
                            bytes.size());
  const char* p = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    ssize_t n = ::write(s.fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw Error(ErrorCode::internal, "cannot write the job's input (disk full?)", "body");
    p += n;
    left -= static_cast<size_t>(n);
  }
  s.size += static_cast<int64_t>(bytes.size());
}

Job Upload::finish() {
  auto& s = *state_;
  if (s.finished || s.fd < 0) throw Error(ErrorCode::internal, "finish of a closed upload");
  // The bytes reach the disk before the job that names them is committed.
  if (::fsync(s.fd) != 0 || ::close(s.fd) != 0) {
    s.fd = -1;
    throw Error(ErrorCode::internal, "cannot write the job's input (disk full?)", "body");
  }
  s.fd = -1;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&s.sha, digest);
  auto& svc = *s.svc;
  repository::NewJob nj{s.caller.org_id,
                        s.kind,
                        s.caller.user_id,
                        svc.now(),
                        "",
                        s.size,
                        to_hex(std::span<const uint8_t>(digest, sizeof digest))};
  std::optional<Job> job;
  std::filesystem::path input;
  try {
    svc.store.write([&](store::Connection& c) {
      int64_t id = repository::insert(c, nj);
      repository::set_input_path(c, id, input_name(id));
      input = svc.options.jobs_dir / input_name(id);
      // Renamed inside the transaction: if the commit fails the file is removed below; if the
      // process dies in between, start() removes an input without a queued job.
      std::filesystem::rename(s.part, input);
      sync_directory(svc.options.jobs_dir);
      svc.audit.append(c, event(s.caller, "jobs.create", id));
      job = repository::find(c, id);
    });
  } catch (...) {
    if (!input.empty()) remove_quietly(input);
    throw;
  }
  s.finished = true;
  if (!job) throw Error(ErrorCode::internal, "a created job could not be read back");
  svc.enqueue(job->id);
  return *job;
}

// ---- JobService -------------------------------------------------------------------------

JobService::JobService(store::Store& store, audit::AuditLog& audit, KindRegistry kinds,
                       ServiceOptions options)
    : impl_(std::make_shared<Impl>(store, audit, std::move(kinds), std::move(options))) {}

JobService::~JobService() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
    for (auto& [id, state] : impl_->running) state->stopping = true;
  }
  for (auto& w : impl_->workers) w.request_stop();
  impl_->workers.clear();  // joins: each worker finishes recording its job's outcome
}

void JobService::start(Recovery recovery) {
  auto& s = *impl_;
  if (recovery == Recovery::none) {
    for (int i = 0; i < s.options.workers; ++i)
      s.workers.emplace_back([impl = impl_](const std::stop_token& st) { impl->work(st); });
    return;
  }
  std::vector<int64_t> queued;
  s.store.write([&](store::Connection& c) {
    auto interrupted = repository::ids_with_status(c, Status::running);
    for (int64_t id : interrupted) {
      auto job = repository::find(c, id);
      if (job && repository::fail(c, id, kInterrupted, s.now())) s.discard(c, id, job->kind);
    }
    if (!interrupted.empty())
      spdlog::warn(R"({{"event":"jobs_interrupted","count":{}}})", interrupted.size());
    queued = repository::ids_with_status(c, Status::queued);
  });
  // Files that no queued job needs: uploads cut off by a kill, inputs of finished jobs.
  std::set<std::string> keep;
  for (int64_t id : queued) keep.insert(input_name(id));
  for (const auto& entry : std::filesystem::directory_iterator(s.options.jobs_dir)) {
    std::string name = entry.path().filename().string();
    bool ours = name.starts_with(kPartPrefix) || name.ends_with(kInputSuffix);
    if (ours && !keep.contains(name)) remove_quietly(entry.path());
  }
  for (int64_t id : queued) s.enqueue(id);
  for (int i = 0; i < s.options.workers; ++i)
    s.workers.emplace_back([impl = impl_](const std::stop_token& st) { impl->work(st); });
}

Upload JobService::begin_upload(const Caller& caller, std::string_view kind) {
  if (!impl_->kinds.find(kind))
    invalid(
        "kind", "no job kind '" + std::string(kind) + "'; known kinds: " + [&] {
          std::string names;
          for (const auto& n : impl_->kinds.names()) names += (names.empty() ? "" : ", ") + n;
          return names;
        }());
  crypto_init();
  auto state = std::make_unique<Upload::State>();
  state->svc = impl_;
  state->caller = caller;
  state->kind = std::string(kind);
  state->part = impl_->options.jobs_dir / (std::string(kPartPrefix) + random_token(12) + ".part");
  state->fd = ::open(state->part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (state->fd < 0) {
    state->part.clear();
    throw Error(ErrorCode::internal, "cannot create a file in the jobs directory");
  }
  crypto_hash_sha256_init(&state->sha);
  return Upload(std::move(state));
}

Job JobService::submit(const Caller& caller, std::string_view kind, std::istream& input) {
  Upload upload = begin_upload(caller, kind);
  std::array<char, 1 << 16> buf{};
  while (input) {
    input.read(buf.data(), buf.size());
    if (input.gcount() > 0) upload.append({buf.data(), static_cast<size_t>(input.gcount())});
  }
  if (input.bad()) invalid("input", "cannot read the job's input");
  return upload.finish();
}

Job JobService::submit_file(const Caller& caller, std::string_view kind,
                            const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) invalid("file", "cannot open " + file.string());
  return submit(caller, kind, in);
}

Job JobService::get(const Caller& caller, int64_t id) {
  std::optional<Job> job;
  impl_->store.read([&](store::Connection& c) { job = repository::find(c, id); });
  if (!job || !visible(*job, caller)) throw Error(ErrorCode::not_found, "no such job", "id");
  // A result may summarise personal data (an import's rows): reading it is audited.
  if (job->status == Status::succeeded) impl_->audit.record(event(caller, "jobs.read", id));
  return *job;
}

std::vector<Job> JobService::list(const Caller& caller, int64_t limit) {
  if (!caller.all_organisations && !caller.org_id) return {};
  std::vector<Job> jobs;
  impl_->store.read([&](store::Connection& c) {
    jobs = repository::list(c, caller.all_organisations ? std::nullopt : caller.org_id, limit);
  });
  return jobs;
}

Job JobService::cancel(const Caller& caller, int64_t id) {
  std::optional<Job> job;
  impl_->store.write([&](store::Connection& c) {
    job = repository::find(c, id);
    if (!job || !visible(*job, caller)) throw Error(ErrorCode::not_found, "no such job", "id");
    require_transition(job->status, Status::cancelled);
    if (!repository::cancel(c, id, impl_->now()))
      throw Error(ErrorCode::internal, "job changed during its cancellation");
    impl_->discard(c, id, job->kind);
    impl_->audit.append(c, event(caller, "jobs.cancel", id));
    job = repository::find(c, id);
  });
  {
    std::lock_guard lock(impl_->mu);
    if (auto it = impl_->running.find(id); it != impl_->running.end()) it->second->cancel = true;
  }
  if (!job) throw Error(ErrorCode::internal, "a cancelled job could not be read back");
  return *job;
}

Job JobService::wait(int64_t id, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::optional<Job> job;
    impl_->store.read([&](store::Connection& c) { job = repository::find(c, id); });
    if (!job) throw Error(ErrorCode::not_found, "no such job", "id");
    if (is_final(job->status) || std::chrono::steady_clock::now() >= deadline) return *job;
    std::unique_lock lock(impl_->mu);
    // Woken when a worker here finishes a job; the timeout covers jobs finished elsewhere.
    impl_->finished_cv.wait_for(lock, std::chrono::milliseconds(50));
  }
}

const KindRegistry& JobService::kinds() const { return impl_->kinds; }
const ServiceOptions& JobService::options() const { return impl_->options; }

Json job_json(const JobService& service, const Job& job, bool with_result) {
  Json j = to_json(job, with_result);
  const Kind* kind = service.kinds().find(job.kind);
  j["progress"]["unit"] = kind ? kind->unit : "";
  return j;
}

}  // namespace ctip::jobs
