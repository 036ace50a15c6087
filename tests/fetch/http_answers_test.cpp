// What the fetcher makes of the answers a real HTTP server gives: good ones, error statuses,
// pages that are not metrics.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "fetch/fetch_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::test;

namespace {

std::string with_password(const HelperServer& server, const std::string& path) {
  return fmt::format("http://alice:{}@127.0.0.1:{}{}", kPassword, server.port, path);
}

void check_no_secret(const Attempt& a) {
  CHECK(a.message().find(kPassword) == std::string::npos);
  CHECK(a.message().find(kToken) == std::string::npos);
  for (const auto& line : a.trace) {
    INFO(line);
    CHECK(line.find(kPassword) == std::string::npos);
    CHECK(line.find(kToken) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("a good text-format answer is streamed with its content type and format", "[fetch]") {
  const auto& server = misbehaving_server();
  auto a = attempt_fetch(quick_options(server.url("/metrics")));
  REQUIRE_FALSE(a.error);
  CHECK(a.info.http_status == 200);
  CHECK(a.info.content_type == "text/plain; version=0.0.4; charset=utf-8");
  REQUIRE(a.info.format);
  CHECK(*a.info.format == ExpositionFormat::prometheus_text);
  CHECK(a.body.find("reconstruction_total 10.0\n") != std::string::npos);
  CHECK(a.info.bytes == a.body.size());
  CHECK(a.info.source == server.url("/metrics"));
  CHECK(a.info.effective_url == server.url("/metrics"));
  CHECK(a.info.seconds > 0);
  CHECK(a.info.seconds < 1.0);
}

TEST_CASE("an OpenMetrics answer is recognised from its Content-Type", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/openmetrics")));
  REQUIRE_FALSE(a.error);
  REQUIRE(a.info.format);
  CHECK(*a.info.format == ExpositionFormat::openmetrics);
  CHECK(a.body.ends_with("# EOF\n"));
}

TEST_CASE("an unknown Content-Type leaves the format to the parser", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/wrong-type")));
  REQUIRE_FALSE(a.error);
  CHECK(a.info.content_type == "application/octet-stream");
  CHECK_FALSE(a.info.format);
  CHECK(a.body.find("e2e3d_active_jobs 3.0") != std::string::npos);
}

TEST_CASE("404 says wrong path or another service, and where the service serves", "[fetch]") {
  const auto& server = misbehaving_server();
  auto a = attempt_fetch(quick_options(with_password(server, "/status/404")));
  REQUIRE(a.failure() == FetchFailure::http_status);
  CHECK(a.error->http_status() == 404);
  INFO(a.message());
  CHECK(a.message().starts_with(
      fmt::format("cannot fetch http://127.0.0.1:{}/status/404: HTTP 404", server.port)));
  CHECK(a.message().find("wrong path") != std::string::npos);
  CHECK(a.message().find("another service") != std::string::npos);
  CHECK(a.message().find("9101") != std::string::npos);
  CHECK(a.message().find('\n') == std::string::npos);
  CHECK(a.body.empty());  // an error page never reaches the parser
  CHECK(a.seconds < 1.0);
  check_no_secret(a);
}

TEST_CASE("500 blames the exporter and points at its logs", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/status/500")));
  REQUIRE(a.failure() == FetchFailure::http_status);
  CHECK(a.error->http_status() == 500);
  INFO(a.message());
  CHECK(a.message().find("HTTP 500 Internal Server Error") != std::string::npos);
  CHECK(a.message().find("exporter failed") != std::string::npos);
  CHECK(a.message().find("logs") != std::string::npos);
  CHECK(a.seconds < 1.0);
}

TEST_CASE("401 and 403 talk about credentials", "[fetch]") {
  const auto& server = misbehaving_server();
  auto anonymous = attempt_fetch(quick_options(server.url("/status/401")));
  REQUIRE(anonymous.failure() == FetchFailure::http_status);
  INFO(anonymous.message());
  CHECK(anonymous.message().find("requires credentials") != std::string::npos);
  CHECK(anonymous.message().find("--bearer-token-file") != std::string::npos);

  auto refused = attempt_fetch(quick_options(with_password(server, "/status/403")));
  REQUIRE(refused.failure() == FetchFailure::http_status);
  CHECK(refused.error->http_status() == 403);
  INFO(refused.message());
  CHECK(refused.message().find("credentials sent are not allowed") != std::string::npos);
  check_no_secret(refused);
}

TEST_CASE("an HTML page is not taken for metrics", "[fetch]") {
  const auto& server = misbehaving_server();
  SECTION("labelled text/html") {
    auto a = attempt_fetch(quick_options(with_password(server, "/html")));
    REQUIRE(a.failure() == FetchFailure::not_exposition);
    INFO(a.message());
    CHECK(a.message().find("this looks like an HTML page, not Prometheus metrics") !=
          std::string::npos);
    CHECK(a.message().find("Content-Type: text/html") != std::string::npos);
    CHECK(a.body.empty());
    check_no_secret(a);
  }
  SECTION("labelled text/plain, recognised from the body") {
    auto a = attempt_fetch(quick_options(server.url("/html-as-text")));
    REQUIRE(a.failure() == FetchFailure::not_exposition);
    INFO(a.message());
    CHECK(a.message().find("this looks like an HTML page") != std::string::npos);
    CHECK(a.message().find("Content-Type") == std::string::npos);
    CHECK(a.body.empty());
  }
  SECTION("valid metrics labelled text/html are refused by their label") {
    auto a = attempt_fetch(quick_options(server.url("/metrics-as-html")));
    REQUIRE(a.failure() == FetchFailure::not_exposition);
    CHECK(a.message().find("Content-Type: text/html") != std::string::npos);
  }
}

TEST_CASE("JSON is not taken for metrics", "[fetch]") {
  const auto& server = misbehaving_server();
  for (const char* path : {"/json", "/json-as-text"}) {
    auto a = attempt_fetch(quick_options(server.url(path)));
    INFO(path << ": " << a.message());
    REQUIRE(a.failure() == FetchFailure::not_exposition);
    CHECK(a.message().find("this looks like JSON, not Prometheus metrics") != std::string::npos);
    CHECK(a.message().find("Prometheus HTTP API") != std::string::npos);
  }
}

TEST_CASE("binary garbage is not taken for metrics", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/garbage")));
  REQUIRE(a.failure() == FetchFailure::not_exposition);
  INFO(a.message());
  CHECK(a.message().find("binary data") != std::string::npos);
  CHECK(a.message().find("another kind of service") != std::string::npos);
}

TEST_CASE("a server that answers without HTTP gets a read error naming it", "[fetch]") {
  const auto& server = misbehaving_server();
  auto junk = attempt_fetch(quick_options(server.url("/http09")));
  REQUIRE(junk.failure() == FetchFailure::read_error);
  INFO(junk.message());
  CHECK(junk.message().find("is not HTTP") != std::string::npos);
  CHECK(junk.seconds < 1.0);

  auto nothing = attempt_fetch(quick_options(server.url("/empty-reply")));
  REQUIRE(nothing.failure() == FetchFailure::read_error);
  INFO(nothing.message());
  CHECK(nothing.message().find("closed the connection without answering") != std::string::npos);
  CHECK(nothing.seconds < 1.0);
}
