// The HTTP server on its own, with short limits: malformed, oversized, slow and silent clients,
// HEAD, failures of the handler, IPv6, and a prompt stop.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "demo/http_server.hpp"
#include "e2e3d/error.hpp"
#include "raw_http.hpp"

using namespace std::chrono_literals;
using e2e3d::demo::HttpRequest;
using e2e3d::demo::HttpResponse;
using e2e3d::demo::HttpServer;
using e2e3d::demo::HttpServerLimits;
using Clock = std::chrono::steady_clock;

namespace {

// Echoes what the server understood of the request.
HttpResponse echo(const HttpRequest& request) {
  if (request.path == "/fail") throw std::runtime_error("handler failed");
  HttpResponse response;
  response.body =
      request.method + " " + request.target + " " + request.path + " accept=" + request.accept;
  return response;
}

HttpServerLimits short_limits() {
  HttpServerLimits limits;
  limits.idle_timeout = 300ms;
  limits.request_timeout = 300ms;
  limits.write_timeout = 2s;
  limits.linger_timeout = 300ms;
  limits.max_request_bytes = 1024;
  return limits;
}

class Socket {
 public:
  explicit Socket(uint16_t port, const std::string& host = "127.0.0.1")
      : fd_(e2e3d::test::connect_to(host, port)) {}
  ~Socket() { ::close(fd_); }
  int fd() const { return fd_; }
  void send(const std::string& data) {
    REQUIRE(::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(data.size()));
  }

 private:
  int fd_;
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE("a request is parsed and answered with Content-Length and Connection: close",
          "[demo][http]") {
  HttpServer server("127.0.0.1", 0, echo, short_limits());
  REQUIRE(server.port() != 0);
  CHECK(server.address() == "127.0.0.1");
  auto reply = e2e3d::test::http_request(server.port(), "GET", "/metrics?name[]=x",
                                         {"Accept: text/plain", "ACCEPT: application/json"});
  CHECK(reply.status == 200);
  CHECK(reply.body == "GET /metrics?name[]=x /metrics accept=text/plain,application/json");
  CHECK(reply.headers["content-length"] == std::to_string(reply.body.size()));
  CHECK(reply.headers["connection"] == "close");
  CHECK(reply.headers["content-type"] == "text/plain; charset=utf-8");
}

TEST_CASE("HEAD gets the headers of GET and no body", "[demo][http]") {
  HttpServer server("127.0.0.1", 0, echo, short_limits());
  auto get = e2e3d::test::http_request(server.port(), "GET", "/x");
  auto head = e2e3d::test::http_request(server.port(), "HEAD", "/x");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.headers["content-length"] == std::to_string(get.body.size() + 1));  // "HEAD" vs "GET"
}

TEST_CASE("bad requests get 400, 431 and 500 and never stop the server", "[demo][http]") {
  HttpServer server("127.0.0.1", 0, echo, short_limits());
  auto port = server.port();
  CHECK(e2e3d::test::exchange("127.0.0.1", port, "NONSENSE\r\n\r\n").status == 400);
  CHECK(e2e3d::test::exchange("127.0.0.1", port, "GET / SPDY/3\r\n\r\n").status == 400);
  CHECK(e2e3d::test::exchange("127.0.0.1", port, "GET / HTTP/1.1\r\nno colon\r\n\r\n").status ==
        400);
  std::string huge = "GET / HTTP/1.1\r\nX-Padding: " + std::string(4000, 'a') + "\r\n\r\n";
  CHECK(e2e3d::test::exchange("127.0.0.1", port, huge).status == 431);
  std::string endless = "GET / HTTP/1.1\r\n" + std::string(2000, 'a');  // no end of head
  CHECK(e2e3d::test::exchange("127.0.0.1", port, endless).status == 431);
  auto failed = e2e3d::test::http_request(port, "GET", "/fail");
  CHECK(failed.status == 500);
  CHECK(failed.body == "internal error: handler failed\n");
  // Bare LF line ends, as some hand-written clients send them.
  CHECK(e2e3d::test::exchange("127.0.0.1", port, "GET /lf HTTP/1.0\n\n").status == 200);
  CHECK(e2e3d::test::http_request(port, "GET", "/still-up").status == 200);
}

TEST_CASE("a request that stops halfway gets 408, a silent client is closed", "[demo][http]") {
  HttpServer server("127.0.0.1", 0, echo, short_limits());
  Socket partial(server.port());
  partial.send("GET /metrics HTTP/1.1\r\nHost: x\r\n");
  Socket silent(server.port());
  auto start = Clock::now();
  auto [partial_reply, partial_closed] = e2e3d::test::read_until_closed(partial.fd(), 3s);
  CHECK(partial_closed);
  CHECK(e2e3d::test::parse_reply(partial_reply).status == 408);
  auto [silent_reply, silent_closed] = e2e3d::test::read_until_closed(silent.fd(), 3s);
  CHECK(silent_closed);
  CHECK(silent_reply.empty());
  CHECK(seconds_since(start) < 2.0);  // the limit is 0.3 s
}

TEST_CASE("silent and half-sent clients do not delay anyone else", "[demo][http]") {
  HttpServer server("127.0.0.1", 0, echo);  // default limits: a 5 s request timeout
  std::vector<std::unique_ptr<Socket>> idle;
  for (int i = 0; i < 20; ++i) {
    idle.push_back(std::make_unique<Socket>(server.port()));
    if (i % 2) idle.back()->send("GET /metrics HTTP/1.1\r\n");
  }
  auto start = Clock::now();
  CHECK(e2e3d::test::http_request(server.port(), "GET", "/metrics").status == 200);
  CHECK(seconds_since(start) < 1.0);
}

TEST_CASE("a large body reaches a slow reader while others are served", "[demo][http]") {
  const std::string big(8 << 20, 'x');
  HttpServer server(
      "127.0.0.1", 0,
      [&](const HttpRequest& request) {
        HttpResponse response;
        response.body = request.path == "/big" ? big : "small";
        return response;
      },
      short_limits());
  Socket slow(server.port());
  slow.send("GET /big HTTP/1.1\r\n\r\n");
  std::this_thread::sleep_for(100ms);  // the big response is now stuck in full buffers
  auto small = e2e3d::test::http_request(server.port(), "GET", "/small");
  CHECK(small.body == "small");
  auto [raw, closed] = e2e3d::test::read_until_closed(slow.fd(), 10s);
  CHECK(closed);
  auto reply = e2e3d::test::parse_reply(raw);
  CHECK(reply.status == 200);
  CHECK(reply.body.size() == big.size());
  CHECK(reply.body == big);
}

TEST_CASE("a body the client sends along does not reset the connection", "[demo][http]") {
  // The response goes out before the body is read; closing with unread input would reset
  // the connection and could destroy the response.
  HttpServer server("127.0.0.1", 0, echo, short_limits());
  std::string body(200'000, 'b');
  std::string request = "POST /metrics HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) +
                        "\r\n\r\n" + body;
  auto reply = e2e3d::test::exchange("127.0.0.1", server.port(), request);
  CHECK(reply.status == 200);
  CHECK(reply.body.starts_with("POST /metrics"));
}

TEST_CASE("IPv6 loopback and bracketed addresses", "[demo][http]") {
  std::unique_ptr<HttpServer> server;
  try {
    server = std::make_unique<HttpServer>("[::1]", 0, echo, short_limits());
  } catch (const e2e3d::Error& e) {
    // Some containers have no IPv6 at all; the message must still say what happened.
    CHECK(std::string(e.what()).find("[::1]:0") != std::string::npos);
    return;
  }
  CHECK(server->ipv6());
  CHECK(server->address() == "::1");
  CHECK(e2e3d::test::http_request(server->port(), "GET", "/v6", {}, "::1").status == 200);
}

TEST_CASE("a port in use is one clear error", "[demo][http]") {
  HttpServer first("127.0.0.1", 0, echo, short_limits());
  try {
    HttpServer second("127.0.0.1", first.port(), echo, short_limits());
    FAIL("a second server bound the same port");
  } catch (const e2e3d::Error& e) {
    std::string message = e.what();
    CHECK(message.find("127.0.0.1:" + std::to_string(first.port())) != std::string::npos);
    CHECK(message.find("Address already in use") != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
  }
  CHECK_THROWS_AS(HttpServer("not an address!", 0, echo), e2e3d::Error);
  CHECK_THROWS_AS(HttpServer("192.0.2.1", 0, echo), e2e3d::Error);  // not this machine's
}

TEST_CASE("stop is prompt and closes open connections", "[demo][http]") {
  auto server = std::make_unique<HttpServer>("127.0.0.1", 0, echo);
  Socket silent(server->port());
  Socket partial(server->port());
  partial.send("GET / HTTP/1.1\r\n");
  std::this_thread::sleep_for(50ms);
  auto start = Clock::now();
  server->stop();
  double took = seconds_since(start);
  CHECK(took < 0.2);
  auto [data, closed] = e2e3d::test::read_until_closed(silent.fd(), 1s);
  CHECK(closed);
  server->stop();  // idempotent
  start = Clock::now();
  server.reset();
  CHECK(seconds_since(start) < 0.2);
}

TEST_CASE("many concurrent clients are all answered", "[demo][http]") {
  HttpServer server("127.0.0.1", 0, echo, short_limits());
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 50; ++i) {
    clients.emplace_back([&, i] {
      auto reply = e2e3d::test::http_request(server.port(), "GET", "/c" + std::to_string(i));
      if (reply.status == 200 && reply.body.starts_with("GET /c" + std::to_string(i) + " ")) ++ok;
    });
  }
  for (auto& t : clients)
    t.join();
  CHECK(ok == 50);
}

namespace {

// Resident memory of this process, in bytes (the server runs on one of its threads).
std::size_t resident_bytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  REQUIRE(f);
  unsigned long pages = 0, resident = 0;
  REQUIRE(std::fscanf(f, "%lu %lu", &pages, &resident) == 2);
  std::fclose(f);
  return resident * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

TEST_CASE("more idle clients than connection slots do not lock a scraper out", "[demo][http]") {
  HttpServer server("127.0.0.1", 0, echo);  // default limits: 256 slots, 2 s to say anything
  std::vector<std::unique_ptr<Socket>> idle;
  for (int i = 0; i < 300; ++i)
    idle.push_back(std::make_unique<Socket>(server.port()));
  auto start = Clock::now();
  CHECK(e2e3d::test::http_request(server.port(), "GET", "/metrics").status == 200);
  CHECK(seconds_since(start) < 1.0);
}

TEST_CASE("slowloris clients that trickle their requests do not lock a scraper out",
          "[demo][http]") {
  HttpServer server("127.0.0.1", 0, echo);
  std::vector<std::unique_ptr<Socket>> slow;
  for (int i = 0; i < 256; ++i) {
    slow.push_back(std::make_unique<Socket>(server.port()));
    slow.back()->send("GET /metrics HTTP/1.1\r\n");
  }
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(200ms);
    for (auto& s : slow)
      (void)::send(s->fd(), "X", 1, MSG_NOSIGNAL);  // each byte keeps it "active"
    auto start = Clock::now();
    CHECK(e2e3d::test::http_request(server.port(), "GET", "/metrics").status == 200);
    CHECK(seconds_since(start) < 1.0);
  }
}

TEST_CASE("clients that never read a big response do not multiply it in memory", "[demo][http]") {
  constexpr std::size_t kBody = 24u << 20;
  HttpServerLimits limits;
  limits.max_pending_bytes = 32u << 20;
  HttpServer server(
      "127.0.0.1", 0,
      [&](const HttpRequest&) {
        HttpResponse response;
        response.body.assign(kBody, 'x');
        return response;
      },
      limits);
  std::size_t before = resident_bytes();
  std::vector<std::unique_ptr<Socket>> stalled;
  for (int i = 0; i < 12; ++i) {
    stalled.push_back(std::make_unique<Socket>(server.port()));
    int small = 4096;
    ::setsockopt(stalled.back()->fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    stalled.back()->send("GET /big HTTP/1.1\r\n\r\n");
    std::this_thread::sleep_for(20ms);
  }
  std::this_thread::sleep_for(200ms);
  // Twelve copies would be 288 MB; at most the limit and one response are held.
#ifdef __SANITIZE_ADDRESS__
  // ASan keeps freed blocks in its quarantine (256 MB by default), so resident memory counts
  // every response the server built and let go: the number says nothing about what it holds.
  WARN(fmt::format("under ASan resident memory grew {} MB; the 80 MB bound is for real builds",
                   (resident_bytes() - before) >> 20));
#else
  CHECK(resident_bytes() - before < std::size_t{80} << 20);
#endif
  // A client that reads still gets all of it.
  auto start = Clock::now();
  auto reply = e2e3d::test::http_request(server.port(), "GET", "/big");
  CHECK(reply.status == 200);
  CHECK(reply.body.size() == kBody);
  CHECK(seconds_since(start) < 5.0);
}
