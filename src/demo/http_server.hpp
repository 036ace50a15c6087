#pragma once
// A small HTTP/1.1 server on plain POSIX sockets, enough to be scraped: one poll() loop on a
// background thread serves every connection, so a slow or silent client never holds up another.
// Each request gets one response and the connection closes (`Connection: close`).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace e2e3d::demo {

struct HttpRequest {
  std::string method;
  std::string target;  // as sent, e.g. "/metrics?x=1"
  std::string path;    // the target without its query
  std::string accept;  // every Accept header, joined with ","
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Allow
  // Set instead of body: one buffer that several connections send without copying it.
  std::shared_ptr<const std::string> shared_body;
};

// Called on the server's thread for every complete request (HEAD included: the server drops
// the body but keeps its Content-Length). An exception becomes a 500.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// Clients that connect and say nothing, trickle a request byte by byte, or never read their
// response must not hold the server's memory or its connection slots: a scraper always gets in.
struct HttpServerLimits {
  std::size_t max_request_bytes = 16 * 1024;         // request line and headers: larger gets 431
  std::chrono::milliseconds idle_timeout{2'000};     // for the first byte of the request
  std::chrono::milliseconds request_timeout{5'000};  // for the whole request to arrive: 408
  std::chrono::milliseconds write_timeout{5'000};    // without any progress while sending
  std::chrono::milliseconds linger_timeout{1'000};   // reading what a client still sends
  // At this many connections a new one takes the place of the one that has waited longest
  // for its request (or is lingering), so a crowd of idle clients cannot lock scrapers out.
  std::size_t max_connections = 256;
  // Response bytes held for clients that have not read them yet. Past it, the connections
  // that made the least progress are closed to make room for the new response: a dozen
  // clients that never read a big response cannot multiply it in memory.
  std::size_t max_pending_bytes = 64 * 1024 * 1024;
};

class HttpServer {
 public:
  // Binds and listens before returning; `bind` is an IPv4 or IPv6 address (brackets allowed)
  // or a host name, `port` 0 an ephemeral port. Throws Error when it cannot listen.
  HttpServer(const std::string& bind, uint16_t port, HttpHandler handler,
             HttpServerLimits limits = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  // The numeric address bound, without brackets ("127.0.0.1", "::1", "0.0.0.0").
  const std::string& address() const;
  bool ipv6() const;
  // Stops accepting, closes every connection and joins the thread. Idempotent; prompt.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The reason phrase of a status code ("Not Found").
const char* http_reason(int status);

}  // namespace e2e3d::demo
