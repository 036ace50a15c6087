#pragma once
// Shared pieces of the fetch tests: the misbehaving server (started once per test run) and
// a way to attempt a fetch and look at what happened.

#include <chrono>
#include <optional>
#include <string>

#include "e2e3d/fetch.hpp"
#include "support/child_process.hpp"

namespace e2e3d::test {

// Secrets used by the tests: no message or trace line may ever contain them.
inline constexpr const char* kPassword = "s3cr3t-Pa55word";
inline constexpr const char* kToken = "t0ken-VERY-secret";

// tests/support/misbehaving_server.py in its default mode, shared by all tests of the run.
const HelperServer& misbehaving_server();

struct Attempt {
  std::optional<FetchError> error;
  FetchInfo info;
  std::string body;
  std::size_t chunks = 0;
  std::vector<std::string> trace;
  double seconds = 0;
  std::string message() const { return error ? error->what() : std::string(); }
  FetchFailure failure() const { return error ? error->failure() : FetchFailure::none; }
};

// Runs fetch_url, collecting the body, the trace and any FetchError.
Attempt attempt_fetch(FetchOptions options);

// Options for `url` with short limits fit for tests.
FetchOptions quick_options(const std::string& url, double timeout_seconds = 2.0);

// A directory with cert.pem/key.pem for 127.0.0.1 (and 127.0.0.2), made by the openssl command
// line tool, removed at the end.
struct SelfSignedCertificate {
  std::string dir;
  SelfSignedCertificate();
  ~SelfSignedCertificate();
  std::string cert() const { return dir + "/cert.pem"; }
  std::string key() const { return dir + "/key.pem"; }
};

}  // namespace e2e3d::test
