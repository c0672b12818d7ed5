#include "server/http_listener.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <future>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "core/error.h"
#include "core/text.h"

namespace ctip::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool may_carry_body(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// How long a closing connection keeps reading (and dropping) what the client still sends, so
// that closing with unread data does not reset the connection before the client has read the
// answer (nginx's lingering_close, there 5 s between reads and 30 s in all).
constexpr std::chrono::seconds kLinger{2};
constexpr size_t kPieceBytes = size_t{64} * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// A best-effort socket call (shutdown, close, an option) whose failure changes nothing: the
// connection is being closed, or works without the option.
void best_effort(const beast::error_code& /*ignored: see above*/) {}

}  // namespace

std::string url_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::string HttpRequest::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (core::iequals(k, name)) return v;
  return {};
}

std::vector<std::string> HttpRequest::header_values(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : headers)
    if (core::iequals(k, name)) out.push_back(v);
  return out;
}

void HttpResponse::set_header(std::string name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return core::iequals(h.first, name); });
  headers.emplace_back(std::move(name), std::move(value));
}

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (core::iequals(k, name)) return v;
  return {};
}

void HttpResponse::set_content(std::string content, std::string content_type) {
  body = std::move(content);
  set_header("Content-Type", std::move(content_type));
}

class Session;

// Members that sessions use while they are destroyed (the counts, the registry) are declared
// before the io_context, whose destruction destroys the handlers that hold the last sessions.
struct HttpListener::Impl {
  Impl(ListenerOptions o, HttpHandler h)
      : opt(std::move(o)),
        handler(std::move(h)),
        guard(net::make_work_guard(ioc)),
        accept_strand(net::make_strand(ioc)),
        acceptor(accept_strand),
        accept_retry(accept_strand),
        workers(static_cast<size_t>(std::max(1, opt.workers))) {}
  ~Impl() {
    workers.stop();
    workers.join();
    ioc.stop();
  }

  ListenerOptions opt;
  HttpHandler handler;

  mutable std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  int open = 0;
  std::unordered_map<std::string, int> per_address;
  std::unordered_map<Session*, std::weak_ptr<Session>> live;

  net::io_context ioc;
  net::executor_work_guard<net::io_context::executor_type> guard;
  net::strand<net::io_context::executor_type> accept_strand;  // the acceptor's and its timer's
  tcp::acceptor acceptor;
  net::steady_timer accept_retry;
  net::thread_pool workers;

  std::string error_text(int status, std::string_view code, std::string_view message) const {
    return opt.error_body ? opt.error_body(status, code, message) : std::string(message);
  }
  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void refuse_connection(tcp::socket socket, std::string_view why);
  void released(Session* s, const std::string& address) {
    std::lock_guard lock(mu);
    live.erase(s);
    if (auto it = per_address.find(address); it != per_address.end() && --it->second <= 0)
      per_address.erase(it);
    --open;
    cv.notify_all();
  }
};

// One connection: reads a header within the limits and the deadline, hands the request to a
// worker, writes the answer, and reads the next header (keep-alive) or closes. Every operation
// on the socket runs on the connection's strand; a worker reading the body posts each read to
// it and waits for the result.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpListener::Impl& listener, tcp::socket socket, std::string address)
      : l_(listener), stream_(std::move(socket)), address_(std::move(address)) {}
  ~Session() { l_.released(this, address_); }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }
  // The listener stops: a connection waiting for a request closes now; one with a request in
  // progress answers it and then closes.
  void shut() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      self->closing_ = true;
      if (self->waiting_header_) self->close_now();
    });
  }
  void force_close() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->close_now(); });
  }

 private:
  void read_header() {
    if (closing_) return close_now();
    parser_ = std::make_unique<http::request_parser<http::buffer_body>>();
    parser_->header_limit(static_cast<std::uint32_t>(l_.opt.max_header_bytes));
    // Each route's own limit is the dispatcher's. Not boost::none: Boost 1.74's parser (Debian
    // 12's libboost-dev) compares the content length with the optional limit as `len > none`,
    // which is always true, and refuses every body ("body limit exceeded").
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    body_used_ = false;
    broken_ = false;
    waiting_header_ = true;
    stream_.expires_after(l_.opt.header_deadline);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, size_t) {
    waiting_header_ = false;
    if (ec == http::error::header_limit)
      return refuse(
          431, "header_too_large",
          "request line and headers over " + std::to_string(l_.opt.max_header_bytes) + " bytes");
    // A client that went away, was too slow with its header (slowloris) or was told to stop:
    // closed without an answer.
    if (ec == beast::error::timeout || ec == http::error::end_of_stream ||
        ec == http::error::partial_message || ec == net::error::eof ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        ec == net::error::bad_descriptor)
      return close_now();
    if (ec) return refuse(400, "invalid_argument", "malformed HTTP request: " + ec.message());
    const auto& h = parser_->get();
    size_t count = static_cast<size_t>(std::distance(h.begin(), h.end()));
    if (count > l_.opt.max_header_count)
      return refuse(431, "header_too_large",
                    std::to_string(count) + " header fields, over the limit of " +
                        std::to_string(l_.opt.max_header_count));
    if (closing_) return close_now();

    request_ = HttpRequest{};
    request_.method = std::string(h.method_string());
    std::string_view target(h.target().data(), h.target().size());
    size_t q = target.find('?');
    request_.path = url_decode(target.substr(0, q), false);
    if (q != std::string_view::npos) {
      std::string_view rest = target.substr(q + 1);
      while (!rest.empty()) {
        size_t amp = rest.find('&');
        std::string_view part = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (part.empty()) continue;
        size_t eq = part.find('=');
        request_.query.emplace(
            url_decode(part.substr(0, eq), true),
            eq == std::string_view::npos ? std::string{} : url_decode(part.substr(eq + 1), true));
      }
    }
    for (const auto& f : h)
      request_.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    request_.remote_addr = address_;
    keep_alive_ = h.keep_alive();
    expect_continue_ = core::iequals(request_.header("Expect"), "100-continue");
    net::post(l_.workers, [self = shared_from_this()] { self->handle(); });
  }

  // On a worker thread: no operation on the socket is in flight until the answer is posted.
  void handle() {
    HttpResponse res;
    RequestBody reader = [this](const PieceSink& sink) { return read_body(sink); };
    try {
      l_.handler(request_, res, may_carry_body(request_.method) ? &reader : nullptr);
    } catch (...) {  // the dispatcher answers its own errors: this is a bug, not a crash
      res = HttpResponse{};
      res.status = 500;
      res.set_content(l_.error_text(500, "internal", "internal error"), "application/json");
    }
    net::post(stream_.get_executor(), [self = shared_from_this(), res = std::move(res)]() mutable {
      self->write(std::move(res), false);
    });
  }

  // Runs `start(done)` on the strand and waits for `done(ec)`.
  beast::error_code on_strand(std::function<void(std::function<void(beast::error_code)>)> start) {
    auto promise = std::make_shared<std::promise<beast::error_code>>();
    auto result = promise->get_future();
    net::post(stream_.get_executor(), [start = std::move(start), promise] {
      start([promise](beast::error_code ec) { promise->set_value(ec); });
    });
    return result.get();
  }

  bool read_body(const PieceSink& sink) {
    if (body_used_) return false;
    body_used_ = true;
    if (expect_continue_ && !parser_->is_done()) {
      expect_continue_ = false;
      auto ec = on_strand([this](const auto& done) {
        stream_.expires_after(l_.opt.write_timeout);
        net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                         [done](beast::error_code e, size_t) { done(e); });
      });
      if (ec) return fail_body();
    }
    piece_.resize(kPieceBytes);
    // Beast reads at most the buffer's free capacity (at least 512 bytes) per read: without
    // room for a whole piece a 200 MiB upload took hundreds of thousands of reads.
    buffer_.reserve(kPieceBytes);
    while (!parser_->is_done()) {
      auto ec = on_strand([this](const auto& done) {
        auto& b = parser_->get().body();
        b.data = piece_.data();
        b.size = piece_.size();
        stream_.expires_after(l_.opt.body_idle);
        http::async_read_some(stream_, buffer_, *parser_,
                              [done](beast::error_code e, size_t) { done(e); });
      });
      if (ec == http::error::need_buffer) ec = {};
      if (ec) return fail_body();
      size_t got = piece_.size() - parser_->get().body().size;
      if (got > 0 && !sink(piece_.data(), got)) return false;
    }
    return true;
  }
  bool fail_body() {
    broken_ = true;
    return false;
  }

  void write(HttpResponse res, bool must_close) {
    auto r = std::make_shared<http::response<http::string_body>>();
    r->version(11);
    r->result(static_cast<unsigned>(res.status));
    for (const auto& [k, v] : l_.opt.default_headers) r->set(k, v);
    bool close_asked = false;
    for (const auto& [k, v] : res.headers) {
      if (core::iequals(k, "Connection")) {
        close_asked = close_asked || core::iequals(v, "close");
      } else if (core::iequals(k, "Set-Cookie")) {
        r->insert(k, v);
      } else {
        r->set(k, v);
      }
    }
    const bool head = request_.method == "HEAD";
    size_t length = res.body.size();
    r->body() = head ? std::string() : std::move(res.body);
    // A body left unread (or cut off) cannot be told apart from the next request: close.
    const bool body_done = parser_ && parser_->is_done() && !broken_;
    const bool keep = !must_close && !close_asked && !closing_ && keep_alive_ && body_done;
    r->keep_alive(keep);
    r->prepare_payload();
    if (head && res.status != 204 && res.status != 304) r->content_length(length);
    response_ = r;
    stream_.expires_after(l_.opt.write_timeout);
    http::async_write(stream_, *r,
                      [self = shared_from_this(), keep, body_done](beast::error_code ec, size_t) {
                        self->response_.reset();
                        if (ec) return self->close_now();
                        if (keep) return self->read_header();
                        if (body_done) return self->close_now();
                        self->linger();
                      });
  }

  void refuse(int status, std::string_view code, const std::string& message) {
    HttpResponse res;
    res.status = status;
    res.set_content(l_.error_text(status, code, message), "application/json");
    keep_alive_ = false;
    write(std::move(res), true);
  }

  void linger() {
    beast::error_code ec;
    ec = stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close_now();
    piece_.resize(kPieceBytes);
    stream_.expires_after(kLinger);
    drop_rest();
  }
  void drop_rest() {
    stream_.async_read_some(net::buffer(piece_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->close_now();
                              self->drop_rest();
                            });
  }

  void close_now() {
    beast::error_code ec;
    best_effort(stream_.socket().shutdown(tcp::socket::shutdown_both, ec));
    stream_.close();
  }

  HttpListener::Impl& l_;
  beast::tcp_stream stream_;
  std::string address_;
  beast::flat_buffer buffer_;
  std::unique_ptr<http::request_parser<http::buffer_body>> parser_;
  HttpRequest request_;
  std::shared_ptr<http::response<http::string_body>> response_;
  std::vector<char> piece_;
  bool waiting_header_ = false;
  bool closing_ = false;
  bool keep_alive_ = false;
  bool expect_continue_ = false;
  bool body_used_ = false;
  bool broken_ = false;
};

void HttpListener::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void HttpListener::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
  if (ec) {
    // Out of file descriptors, most likely: try again shortly rather than spin.
    spdlog::warn(R"({{"event":"accept_failed","error":"{}"}})", ec.message());
    accept_retry.expires_after(std::chrono::milliseconds(50));
    accept_retry.async_wait([this](beast::error_code e) {
      if (!e) accept();
    });
    return;
  }
  beast::error_code e;
  auto remote = socket.remote_endpoint(e);
  if (e) return accept();
  std::string address = remote.address().to_string();
  // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to every answer after
  // the first on a kept-alive connection.
  best_effort(socket.set_option(tcp::no_delay(true), e));
  std::string refused;
  {
    std::lock_guard lock(mu);
    int& mine = per_address[address];
    if (stopping)
      refused = "the server is stopping";
    else if (mine >= opt.max_connections_per_address)
      refused = "too many connections from this address";
    else if (open >= opt.max_connections)
      refused = "too many connections";
    if (refused.empty()) {
      ++mine;
      ++open;
    } else if (mine == 0) {
      per_address.erase(address);
    }
  }
  if (refused.empty()) {
    auto session = std::make_shared<Session>(*this, std::move(socket), address);
    {
      std::lock_guard lock(mu);
      live.emplace(session.get(), session);
    }
    session->start();
  } else {
    refuse_connection(std::move(socket), refused);
  }
  accept();
}

// 503 and close, without reading the request: the client learns why (nginx's limit_conn
// answers 503 too), and what it sent is read and dropped for a moment so that the answer is not
// lost to a reset.
void HttpListener::Impl::refuse_connection(tcp::socket socket, std::string_view why) {
  struct Refusal {
    beast::tcp_stream stream;
    std::string text;
    std::array<char, 4096> scratch{};
    explicit Refusal(tcp::socket s) : stream(std::move(s)) {}
  };
  auto r = std::make_shared<Refusal>(std::move(socket));
  std::string body = error_text(503, "unavailable", why);
  r->text = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n";
  for (const auto& [k, v] : opt.default_headers) r->text += k + ": " + v + "\r\n";
  r->text +=
      "Retry-After: 1\r\nConnection: close\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  r->stream.expires_after(kLinger);
  net::async_write(r->stream, net::buffer(r->text), [r](beast::error_code ec, size_t) {
    if (ec) return r->stream.close();
    beast::error_code e;
    best_effort(r->stream.socket().shutdown(tcp::socket::shutdown_send, e));
    auto drop = std::make_shared<std::function<void()>>();
    *drop = [r, drop] {
      r->stream.async_read_some(net::buffer(r->scratch), [r, drop](beast::error_code e2, size_t) {
        if (e2) {
          r->stream.close();
          *drop = nullptr;  // breaks the cycle
          return;
        }
        (*drop)();
      });
    };
    (*drop)();
  });
}

HttpListener::HttpListener(ListenerOptions options, HttpHandler handler)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(handler))) {}

HttpListener::~HttpListener() = default;

int HttpListener::bind(const std::string& address, int port) {
  beast::error_code ec;
  auto ip = net::ip::make_address(address, ec);
  if (ec)
    throw Error(ErrorCode::invalid_argument,
                "cannot listen on '" + address + "': not an IP address", "bind");
  tcp::endpoint endpoint(ip, static_cast<unsigned short>(port));
  auto& a = impl_->acceptor;
  ec = a.open(endpoint.protocol(), ec);
  // SO_REUSEADDR only lets a restarted server bind while old connections linger in TIME_WAIT;
  // without SO_REUSEPORT a port another process listens on stays refused.
  if (!ec) ec = a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) ec = a.bind(endpoint, ec);
  if (!ec) ec = a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    beast::error_code ignored;
    best_effort(a.close(ignored));
    throw Error(ErrorCode::invalid_argument,
                "cannot listen on " + address + ":" + std::to_string(port) + ": " + ec.message() +
                    (ec == net::error::address_in_use ? " (is another ctip serving there?)" : ""),
                "port");
  }
  return a.local_endpoint().port();
}

void HttpListener::run() {
  Impl& l = *impl_;
  net::post(l.accept_strand, [&l] { l.accept(); });
  std::vector<std::thread> io;
  for (int i = 0; i < std::max(1, l.opt.io_threads); ++i) io.emplace_back([&l] { l.ioc.run(); });
  {
    std::unique_lock lock(l.mu);
    l.cv.wait(lock, [&] { return l.stopping; });
  }
  net::post(l.accept_strand, [&l] {
    beast::error_code ec;
    best_effort(l.acceptor.close(ec));
    l.accept_retry.cancel();
  });
  auto sessions = [&l] {
    std::vector<std::shared_ptr<Session>> out;
    std::lock_guard lock(l.mu);
    for (auto& [_, weak] : l.live)
      if (auto s = weak.lock()) out.push_back(std::move(s));
    return out;
  };
  for (auto& s : sessions()) s->shut();
  {
    // Requests in progress finish and answer.
    std::unique_lock lock(l.mu);
    l.cv.wait_for(lock, std::chrono::seconds(30), [&] { return l.open == 0; });
  }
  for (auto& s : sessions()) s->force_close();
  l.workers.join();
  l.guard.reset();
  l.ioc.stop();
  for (auto& t : io) t.join();
}

void HttpListener::stop() {
  std::lock_guard lock(impl_->mu);
  impl_->stopping = true;
  impl_->cv.notify_all();
}

int HttpListener::connections() const {
  std::lock_guard lock(impl_->mu);
  return impl_->open;
}

}  // namespace ctip::server
