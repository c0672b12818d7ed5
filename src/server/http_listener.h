// The HTTP/1.1 transport: an event-driven listener on Boost.Asio and Boost.Beast (Debian's
// libboost1.81-dev, header-only) that parses each request header within limits and hands it to
// a handler on a worker thread. The dispatcher (server.cpp) knows nothing of sockets.
//
// Why not cpp-httplib's thread-per-connection server (docs/architecture.md, issue #7 item 2):
// there a connection holds a thread from its first byte, so 40 connections sending one header
// every 2 s stalled every request, and a header had no size or count limit. Here a connection
// costs a socket and a buffer until its header is complete; only then does it take a worker.
// The limits follow nginx's and Envoy's defaults: a bounded header (431 past it), a deadline
// for the whole header, a cap on connections per client address.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ctip::server {

struct HttpRequest {
  std::string method;
  std::string path;                                          // percent-decoded, without the query
  std::multimap<std::string, std::string> query;             // percent-decoded; '+' is a space
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, in order
  std::string remote_addr;
  // The first value of header `name` (case-insensitive); empty when absent.
  std::string header(std::string_view name) const;
  // Every value of header `name`, in order.
  std::vector<std::string> header_values(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Replaces any header of that name.
  void set_header(std::string name, std::string value);
  std::string header(std::string_view name) const;
  void set_content(std::string content, std::string content_type);
};

// Reads the request body in pieces, calling `sink` with each as it arrives. Returns true when
// the whole body was read; false when the client went away or was too slow, the body was
// malformed, or `sink` returned false. Usable once.
using PieceSink = std::function<bool(const char* data, size_t size)>;
using RequestBody = std::function<bool(const PieceSink& sink)>;
// `body` is null when the request carries none, or for methods without one (GET, HEAD,
// OPTIONS): such a body is not read, and the connection closes after the answer. A handler that
// leaves a body unread (or half-read) gets the connection closed after its answer too, unless
// it sets no "Connection: close" and reads it whole.
using HttpHandler = std::function<void(const HttpRequest& request, HttpResponse& response,
                                       const RequestBody* body)>;

struct ListenerOptions {
  size_t max_header_bytes = size_t{16} * 1024;  // request line and headers together; 431 past it
  size_t max_header_count = 100;                // 431 past it
  // The whole header - or, on a kept-alive connection, the wait for the next one - must arrive
  // within this (slowloris); the connection is closed without an answer past it.
  std::chrono::milliseconds header_deadline{10'000};
  std::chrono::milliseconds body_idle{10'000};  // the longest wait for the next piece of a body
  std::chrono::milliseconds write_timeout{10'000};
  int max_connections_per_address = 64;  // past it a new connection gets 503 and is closed
  int max_connections = 10'000;          // all addresses together; the same
  int workers = 32;                      // requests handled at once (handlers may block)
  int io_threads = 2;                    // threads reading and writing sockets
  // Added to every answer, the listener's own (400, 431, 503) too.
  std::vector<std::pair<std::string, std::string>> default_headers;
  // Answers the listener gives itself: status, code, message (JSON for the API's shape).
  std::function<std::string(int status, std::string_view code, std::string_view message)>
      error_body;
};

class HttpListener {
 public:
  HttpListener(ListenerOptions options, HttpHandler handler);
  ~HttpListener();
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Binds and listens; returns the bound port (port 0 picks a free one). Throws Error (field
  // "port") when the address is taken - also by another ctip: no SO_REUSEPORT, so a second
  // server cannot share the port and split the requests between two stores.
  int bind(const std::string& address, int port);
  // Serves until stop(): then stops accepting, closes idle connections, lets requests in
  // progress finish and answer (up to 30 s), and returns.
  void run();
  // Asks run() to return; callable from any thread, a handler's too.
  void stop();

  // Open connections now (tests, diagnostics).
  int connections() const;

  struct Impl;  // http_listener.cpp's (public for its connections' sake)

 private:
  std::shared_ptr<Impl> impl_;
};

// Percent-decoding of a URL path or query component; '+' is a space when `plus_is_space`.
std::string url_decode(std::string_view text, bool plus_is_space);

}  // namespace ctip::server
