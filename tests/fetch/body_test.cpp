// Bodies that are compressed, cut off, endless or bombs: the size limit holds on the decoded
// bytes and broken transfers are named.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>

#include "fetch/fetch_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::test;

TEST_CASE("a gzip body is asked for and decoded", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/gzip")));
  REQUIRE_FALSE(a.error);
  CHECK(a.body.starts_with("# HELP e2e3d_active_jobs"));
  CHECK(a.body.find("reconstruction_total 10.0\n") != std::string::npos);
  CHECK(a.info.bytes == a.body.size());
}

TEST_CASE("an endless body stops at --max-bytes", "[fetch]") {
  auto options = quick_options(misbehaving_server().url("/endless"));
  options.max_bytes = 2 * 1024 * 1024;
  auto a = attempt_fetch(options);
  REQUIRE(a.failure() == FetchFailure::too_large);
  INFO(a.message());
  CHECK(a.message().find("larger than the limit of 2097152 bytes (--max-bytes)") !=
        std::string::npos);
  CHECK(a.message().find("Raise --max-bytes") != std::string::npos);
  CHECK(a.body.size() <= options.max_bytes);
  CHECK(a.body.size() > options.max_bytes / 2);
  CHECK(a.seconds < 1.0);
}

TEST_CASE("a Content-Length over --max-bytes fails before the body is read", "[fetch]") {
  auto options = quick_options(misbehaving_server().url("/huge-content-length"), 3.0);
  options.max_bytes = 1024 * 1024;
  auto a = attempt_fetch(options);
  REQUIRE(a.failure() == FetchFailure::too_large);
  INFO(a.message());
  CHECK(a.message().find("larger than the limit of 1048576 bytes (--max-bytes)") !=
        std::string::npos);
  CHECK(a.body.empty());
  CHECK(a.seconds < 0.5);
}

TEST_CASE("the largest --max-bytes means no practical limit", "[fetch]") {
  auto options = quick_options(misbehaving_server().url("/metrics"));
  options.max_bytes = std::numeric_limits<std::size_t>::max();
  auto a = attempt_fetch(options);
  REQUIRE_FALSE(a.error);
  CHECK(a.body.find("reconstruction_total 10.0") != std::string::npos);
}

TEST_CASE("a gzip bomb stops at --max-bytes counted after decompression", "[fetch]") {
  // The timeout is generous (a loaded machine inflates 20 MB slowly): the claim is that the
  // limit, not the clock, ends the transfer.
  auto options = quick_options(misbehaving_server().url("/gzip-bomb"), 10.0);
  options.max_bytes = 20 * 1024 * 1024;
  auto a = attempt_fetch(options);
  INFO(a.message());
  REQUIRE(a.failure() == FetchFailure::too_large);
  CHECK(a.message().find("larger than the limit of 20971520 bytes") != std::string::npos);
  CHECK(a.body.size() <= options.max_bytes);
}

TEST_CASE("the default limit of 100 MiB stops a gzip bomb too", "[fetch]") {
  auto options = quick_options(misbehaving_server().url("/gzip-bomb"), 5.0);
  REQUIRE(options.max_bytes == 100u * 1024u * 1024u);
  std::size_t received = 0;
  std::optional<FetchError> error;
  try {
    fetch_url(options, [&](std::string_view chunk, const FetchInfo&) { received += chunk.size(); });
  } catch (const FetchError& e) {
    error = e;
  }
  REQUIRE(error);
  CHECK(error->failure() == FetchFailure::too_large);
  CHECK(received <= options.max_bytes);
}

TEST_CASE("a body cut off before its Content-Length is a read error", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/headers-only")));
  REQUIRE(a.failure() == FetchFailure::read_error);
  INFO(a.message());
  CHECK(a.message().find("the body was cut off after 40 bytes") != std::string::npos);
  CHECK(a.message().find("crash or restart") != std::string::npos);
  CHECK(a.seconds < 1.0);
}

TEST_CASE("a chunked body cut off before its last chunk is a read error", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/truncated-chunked")));
  REQUIRE(a.failure() == FetchFailure::read_error);
  INFO(a.message());
  CHECK(a.message().find("the body was cut off") != std::string::npos);
  CHECK(a.seconds < 1.0);
}

TEST_CASE("a body labelled gzip that is not gzip is a read error", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/bad-gzip")));
  REQUIRE(a.failure() == FetchFailure::read_error);
  INFO(a.message());
  CHECK(a.message().find("the compressed body could not be decoded") != std::string::npos);
  CHECK(a.seconds < 1.0);
}

TEST_CASE("endless response headers are cut off by libcurl's limit", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/endless-headers")));
  REQUIRE(a.failure() == FetchFailure::read_error);
  INFO(a.message());
  CHECK(a.message().find("response headers") != std::string::npos);
  CHECK(a.message().find("larger than libcurl accepts") != std::string::npos);
  CHECK(a.seconds < 1.0);
}

TEST_CASE("a 10 MB single line arrives whole, in several chunks", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/long-line")));
  REQUIRE_FALSE(a.error);
  CHECK(a.body.size() == 10 * 1024 * 1024 + 29);
  CHECK(a.chunks > 1);
  CHECK(a.body.ends_with("\"} 1\n"));
}

TEST_CASE("an exception thrown by the chunk callback stops the transfer and propagates",
          "[fetch]") {
  auto options = quick_options(misbehaving_server().url("/endless"), 3.0);
  std::size_t calls = 0;
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_MATCHES(fetch_url(options,
                                 [&](std::string_view, const FetchInfo&) {
                                   if (++calls == 3) throw ParseError({7, 3}, "metrics:7:3: boom");
                                 }),
                       ParseError, Catch::Matchers::Message("metrics:7:3: boom"));
  CHECK(calls == 3);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 1.0);
}

TEST_CASE("the chunk callback sees the status and Content-Type before the first byte", "[fetch]") {
  auto options = quick_options(misbehaving_server().url("/openmetrics"));
  std::optional<FetchInfo> first;
  fetch_url(options, [&](std::string_view, const FetchInfo& sofar) {
    if (!first) first = sofar;
  });
  REQUIRE(first);
  CHECK(first->http_status == 200);
  CHECK(first->content_type.starts_with("application/openmetrics-text"));
  REQUIRE(first->format);
  CHECK(*first->format == ExpositionFormat::openmetrics);
}
