// Servers that hang: every one is given up on within the timeout, and the message says which.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <thread>

#include "fetch/fetch_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::test;

TEST_CASE("a server that accepts and never answers hits the total timeout", "[fetch][timeout]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/no-answer"), 0.4));
  REQUIRE(a.failure() == FetchFailure::timeout);
  INFO(a.message());
  CHECK(a.message().find("connected to 127.0.0.1:") != std::string::npos);
  CHECK(a.message().find("no response came within 400 ms (--timeout)") != std::string::npos);
  CHECK(a.message().find("Raise --timeout") != std::string::npos);
  CHECK(a.seconds >= 0.39);
  CHECK(a.seconds < 0.9);
}

TEST_CASE("a server that accepts and never even reads hits the total timeout", "[fetch][timeout]") {
  auto silent = start_python_helper("misbehaving_server.py", {"--mode", "silent"});
  auto a = attempt_fetch(quick_options(silent.url("/metrics"), 0.3));
  REQUIRE(a.failure() == FetchFailure::timeout);
  INFO(a.message());
  CHECK(a.message().find("no response came within 300 ms") != std::string::npos);
  CHECK(a.seconds < 0.8);
}

TEST_CASE("a body dripping one byte a second hits the total timeout", "[fetch][timeout]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/drip"), 1.2));
  REQUIRE(a.failure() == FetchFailure::timeout);
  INFO(a.message());
  CHECK(a.message().find("the body did not finish within 1.2 s (--timeout)") != std::string::npos);
  CHECK(a.message().find(" received so far. The server sends very slowly: is it stuck?") !=
        std::string::npos);
  CHECK(a.body.size() >= 1);
  CHECK(a.body.size() <= 3);
  CHECK(a.seconds >= 1.19);
  CHECK(a.seconds < 1.7);
}

TEST_CASE("a large body that is still arriving at the timeout suggests more time",
          "[fetch][timeout]") {
  auto options = quick_options(misbehaving_server().url("/endless"), 0.4);
  options.max_bytes = 1ull << 40;
  std::size_t received = 0;
  std::optional<FetchError> error;
  auto start = std::chrono::steady_clock::now();
  try {
    // A consumer slower than the link, like a parser on a huge scrape.
    fetch_url(options, [&](std::string_view chunk, const FetchInfo&) {
      received += chunk.size();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    });
  } catch (const FetchError& e) {
    error = e;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(error);
  CHECK(error->failure() == FetchFailure::timeout);
  INFO(error->what());
  CHECK(received > 64 * 1024);
  CHECK(std::string(error->what()).find("The scrape is large or the link slow: raise --timeout") !=
        std::string::npos);
  CHECK(seconds < 0.9);
}

TEST_CASE("headers then silence hits the total timeout with the body unfinished",
          "[fetch][timeout]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/headers-then-hang"), 0.3));
  REQUIRE(a.failure() == FetchFailure::timeout);
  INFO(a.message());
  CHECK(a.message().find("the body did not finish within 300 ms") != std::string::npos);
  CHECK(a.seconds < 0.8);
}

TEST_CASE("a port whose accept queue is full hits the connect timeout", "[fetch][timeout]") {
  auto full = start_python_helper("misbehaving_server.py", {"--mode", "backlog-full"});
  auto options = quick_options(full.url("/metrics"), 3.0);
  options.connect_timeout_seconds = 0.3;
  auto a = attempt_fetch(options);
  REQUIRE(a.failure() == FetchFailure::timeout);
  INFO(a.message());
  CHECK(a.message().find(fmt::format("no connection to 127.0.0.1:{} within the connect timeout of "
                                     "300 ms (--connect-timeout)",
                                     full.port)) != std::string::npos);
  CHECK(a.seconds >= 0.29);
  CHECK(a.seconds < 0.8);
}

TEST_CASE("the connect timeout is capped by the total timeout", "[fetch][timeout]") {
  auto full = start_python_helper("misbehaving_server.py", {"--mode", "backlog-full"});
  auto options = quick_options(full.url("/metrics"), 0.3);
  options.connect_timeout_seconds = 10;
  auto a = attempt_fetch(options);
  REQUIRE(a.failure() == FetchFailure::timeout);
  INFO(a.message());
  CHECK(a.message().find("within the timeout of 300 ms (--timeout)") != std::string::npos);
  CHECK(a.seconds < 0.8);
}
