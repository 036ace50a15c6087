// Failures before any answer: nothing listening, no such host, bad URLs, bad options.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "fetch/fetch_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::test;

TEST_CASE("connection refused names the port, ENABLE_METRICS and doctor", "[fetch]") {
  int port = free_port();
  auto options =
      quick_options(fmt::format("http://alice:{}@127.0.0.1:{}/metrics", kPassword, port));
  auto a = attempt_fetch(options);
  REQUIRE(a.failure() == FetchFailure::refused);
  INFO(a.message());
  CHECK(a.message() ==
        fmt::format("cannot fetch http://127.0.0.1:{0}/metrics: connection refused: nothing is "
                    "listening on 127.0.0.1:{0}. Is the service running with ENABLE_METRICS=true, "
                    "and is the port right (the service serves /metrics on port 9101)? (see "
                    "'e2e3d-metrics doctor')",
                    port));
  CHECK(a.message().find(kPassword) == std::string::npos);
  CHECK(a.seconds < 0.5);
}

TEST_CASE("an unknown host name is a DNS failure naming the host", "[fetch]") {
  auto a = attempt_fetch(quick_options("http://no-such-host.invalid:9101/metrics"));
  REQUIRE(a.failure() == FetchFailure::dns);
  INFO(a.message());
  CHECK(
      a.message().starts_with("cannot fetch http://no-such-host.invalid:9101/metrics: cannot "
                              "resolve the host name 'no-such-host.invalid'"));
  CHECK(a.message().find("Check the host in --url") != std::string::npos);
  CHECK(a.seconds < 2.5);
}

TEST_CASE("only http and https URLs are fetched", "[fetch]") {
  for (const char* url : {"ftp://127.0.0.1/metrics", "file:///etc/passwd", "gopher://127.0.0.1/"}) {
    auto a = attempt_fetch(quick_options(url));
    INFO(url << ": " << a.message());
    REQUIRE(a.failure() == FetchFailure::bad_url);
    CHECK(a.message().find("only http:// and https:// URLs are supported") != std::string::npos);
  }
}

TEST_CASE("a malformed URL is a bad_url error that shows the expected shape", "[fetch]") {
  for (const char* url : {"http://", "http://127.0.0.1:99999999/metrics", ""}) {
    auto a = attempt_fetch(quick_options(url));
    INFO(url << ": " << a.message());
    REQUIRE(a.failure() == FetchFailure::bad_url);
    CHECK(a.message().find("http://localhost:9101/metrics") != std::string::npos);
  }
}

TEST_CASE("a URL without a scheme is taken as http", "[fetch]") {
  const auto& server = misbehaving_server();
  auto a = attempt_fetch(quick_options(fmt::format("127.0.0.1:{}/metrics", server.port)));
  REQUIRE_FALSE(a.error);
  CHECK(a.info.http_status == 200);
}

TEST_CASE("options that cannot work are refused before connecting", "[fetch]") {
  auto options = quick_options(misbehaving_server().url("/metrics"));
  SECTION("zero timeout") {
    options.timeout_seconds = 0;
    CHECK(attempt_fetch(options).failure() == FetchFailure::bad_option);
  }
  SECTION("both basic auth and a bearer token") {
    options.user = fmt::format("alice:{}", kPassword);
    options.bearer_token_file = "/dev/null";
    auto a = attempt_fetch(options);
    CHECK(a.failure() == FetchFailure::bad_option);
    CHECK(a.message().find(kPassword) == std::string::npos);
  }
  SECTION("a header without a colon, whose text is never quoted") {
    options.headers = {fmt::format("X-Api-Key {}", kToken)};
    auto a = attempt_fetch(options);
    CHECK(a.failure() == FetchFailure::bad_option);
    CHECK(a.message().find("header #1") != std::string::npos);
    CHECK(a.message().find(kToken) == std::string::npos);
  }
  SECTION("a missing token file") {
    options.bearer_token_file = "/nonexistent/token";
    auto a = attempt_fetch(options);
    CHECK(a.failure() == FetchFailure::file);
    CHECK(a.message().find("/nonexistent/token") != std::string::npos);
    CHECK(a.message().find("No such file or directory") != std::string::npos);
  }
  SECTION("a missing CA file") {
    options.cacert = "/nonexistent/ca.pem";
    auto a = attempt_fetch(options);
    CHECK(a.failure() == FetchFailure::file);
    CHECK(a.message().find("--cacert") != std::string::npos);
  }
}
