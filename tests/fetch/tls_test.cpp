// HTTPS against a real TLS server on loopback with a self-signed certificate made for the test.

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "fetch/fetch_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::test;

TEST_CASE("HTTPS is verified by default, and --cacert or --insecure make it work", "[fetch][tls]") {
  SelfSignedCertificate certificate;
  auto server = start_python_helper(
      "misbehaving_server.py", {"--tls-cert", certificate.cert(), "--tls-key", certificate.key()});
  std::string url = fmt::format("https://127.0.0.1:{}/metrics", server.port);

  SECTION("an unknown CA fails verification, with both ways out named") {
    auto a = attempt_fetch(quick_options(url));
    REQUIRE(a.failure() == FetchFailure::tls);
    INFO(a.message());
    CHECK(a.message().starts_with(
        fmt::format("cannot fetch {}: TLS certificate verification failed", url)));
    CHECK(a.message().find("--cacert FILE") != std::string::npos);
    CHECK(a.message().find("--insecure for a test only") != std::string::npos);
    CHECK(a.seconds < 1.0);
  }
  SECTION("--cacert with the server's certificate") {
    auto options = quick_options(url);
    options.cacert = certificate.cert();
    auto a = attempt_fetch(options);
    INFO(a.message());
    REQUIRE_FALSE(a.error);
    CHECK(a.body.find("reconstruction_total 10.0") != std::string::npos);
  }
  SECTION("--insecure") {
    auto options = quick_options(url);
    options.insecure = true;
    auto a = attempt_fetch(options);
    INFO(a.message());
    REQUIRE_FALSE(a.error);
    CHECK(a.info.http_status == 200);
  }
  SECTION("plain http to the TLS port is a read error, not a hang") {
    auto a = attempt_fetch(quick_options(fmt::format("http://127.0.0.1:{}/metrics", server.port)));
    INFO(a.message());
    CHECK(a.failure() == FetchFailure::read_error);
    CHECK(a.seconds < 1.0);
  }
}

TEST_CASE("https to a plain HTTP port says the server does not speak TLS", "[fetch][tls]") {
  auto a = attempt_fetch(
      quick_options(fmt::format("https://127.0.0.1:{}/metrics", misbehaving_server().port)));
  REQUIRE(a.failure() == FetchFailure::tls);
  INFO(a.message());
  CHECK(a.message().find("does not speak TLS") != std::string::npos);
  CHECK(a.message().find("Use http:// instead of https://") != std::string::npos);
  CHECK(a.seconds < 1.0);
}

TEST_CASE("a TLS handshake that never completes hits the timeout and says so", "[fetch][tls]") {
  auto silent = start_python_helper("misbehaving_server.py", {"--mode", "silent"});
  auto a =
      attempt_fetch(quick_options(fmt::format("https://127.0.0.1:{}/metrics", silent.port), 0.3));
  REQUIRE(a.failure() == FetchFailure::timeout);
  INFO(a.message());
  CHECK(a.message().find("the TLS handshake with 127.0.0.1:") != std::string::npos);
  CHECK(a.message().find("did not finish within 300 ms") != std::string::npos);
  CHECK(a.seconds < 0.8);
}
