#include "fetch/fetch_test_support.hpp"

#include <stdlib.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>

namespace e2e3d::test {

const HelperServer& misbehaving_server() {
  static HelperServer server = start_python_helper("misbehaving_server.py");
  return server;
}

Attempt attempt_fetch(FetchOptions options) {
  Attempt attempt;
  options.trace = [&](std::string_view line) { attempt.trace.emplace_back(line); };
  auto start = std::chrono::steady_clock::now();
  try {
    attempt.info = fetch_url(options, [&](std::string_view chunk, const FetchInfo&) {
      attempt.body.append(chunk);
      ++attempt.chunks;
    });
  } catch (const FetchError& e) {
    attempt.error = e;
  }
  attempt.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return attempt;
}

FetchOptions quick_options(const std::string& url, double timeout_seconds) {
  FetchOptions options;
  options.url = url;
  options.timeout_seconds = timeout_seconds;
  options.connect_timeout_seconds = timeout_seconds;
  return options;
}

SelfSignedCertificate::SelfSignedCertificate() {
  char pattern[] = "/tmp/e2e3d-tls-XXXXXX";
  REQUIRE(mkdtemp(pattern) != nullptr);
  dir = pattern;
  auto made =
      run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
           "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
           "subjectAltName=IP:127.0.0.1,IP:127.0.0.2", "-keyout", key(), "-out", cert()});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
}

SelfSignedCertificate::~SelfSignedCertificate() {
  std::filesystem::remove_all(dir);
}

}  // namespace e2e3d::test
