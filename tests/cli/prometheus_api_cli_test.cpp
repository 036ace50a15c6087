// The commands that ask a Prometheus server (query --prometheus, doctor --prometheus,
// --from-prometheus) as a user runs them against a server on loopback that speaks or breaks
// the API (tests/support/prometheus_api_server.py): every fetch option applies, malformed
// answers are one clear line with exit 3, and no credential is ever printed.

#include <fmt/format.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>

#include "support/child_process.hpp"
#include "support/temp_file.hpp"

using namespace e2e3d::test;

namespace {

constexpr const char* kPassword = "pr0m-Pa55word";
constexpr const char* kToken = "api-t0ken-secret";

const HelperServer& api_server() {
  static HelperServer server = start_python_helper("prometheus_api_server.py");
  return server;
}

std::string base(const std::string& behaviour) {
  return fmt::format("http://127.0.0.1:{}/{}", api_server().port, behaviour);
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

void check_no_secret(const RunResult& r) {
  CHECK(r.out.find(kPassword) == std::string::npos);
  CHECK(r.err.find(kPassword) == std::string::npos);
  CHECK(r.out.find(kToken) == std::string::npos);
  CHECK(r.err.find(kToken) == std::string::npos);
}

}  // namespace

TEST_CASE("query --prometheus sends -H, --bearer-token-file and --user (they were ignored)",
          "[cli][api]") {
  auto r = run_tool({"query", "--prometheus", base("ok"), "-H", "X-Scope-OrgID: tenant-3", "up"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("x_scope_orgid=\"tenant-3\"") != std::string::npos);

  TempFile token(kToken);
  r = run_tool({"query", "--prometheus", base("auth"), "--bearer-token-file", token.path(), "up"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(fmt::format("authorization=\"Bearer {}\"", kToken)) != std::string::npos);

  r = run_tool({"query", "--prometheus", base("auth"), "--user", "alice:pw", "up"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("authorization=\"Basic YWxpY2U6cHc=\"") != std::string::npos);

  // Without credentials the server refuses, and says why in JSON.
  r = run_tool({"query", "--prometheus", base("auth"), "up"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("authentication required") != std::string::npos);
  CHECK(lines(r.err) == 1);
}

TEST_CASE("query --prometheus honours --max-bytes and --timeout", "[cli][api]") {
  auto r = run_tool({"query", "--prometheus", base("huge"), "--max-bytes", "2000000", "up"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("larger than the limit of 2000000 bytes (--max-bytes)") != std::string::npos);
  CHECK(lines(r.err) == 1);
  CHECK(r.seconds < 10);

  r = run_tool({"query", "--prometheus", base("slow"), "--timeout", "0.5", "up"});
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("timed out") != std::string::npos);
  CHECK(r.seconds < 2.5);
}

TEST_CASE("query --prometheus: malformed answers are one line and exit 3, never a crash",
          "[cli][api]") {
  for (const char* name :
       {"not-json",        "truncated",      "deep",         "status-number",
        "no-status",       "array",          "data-string",  "result-empty-entry",
        "result-not-list", "value-not-list", "value-short",  "value-number",
        "value-word",      "label-number",   "scalar-short", "scalar-object",
        "string-number",   "type-number",    "no-result",    "no-data",
        "error-not-string"}) {
    for (const char* output : {"text", "json"}) {
      auto r = run_tool({"query", "--prometheus", base(fmt::format("malformed/{}", name)),
                         "--output", output, "up"});
      INFO(name << " " << output << ": " << r.err);
      CHECK(r.exit_code == 3);
      CHECK(lines(r.err) == 1);
      CHECK(r.err.find("json.exception") == std::string::npos);
      CHECK(r.err.find("internal error") == std::string::npos);
    }
  }
}

TEST_CASE("query --prometheus speaks http and https only", "[cli][api]") {
  for (const std::string& url : {fmt::format("gopher://127.0.0.1:{}/ok", api_server().port),
                                 fmt::format("dict://127.0.0.1:{}/ok", api_server().port),
                                 std::string("file:///etc/"), base("ftp"), base("file")}) {
    auto r = run_tool({"query", "--prometheus", url, "up"});
    INFO(url << ": " << r.err);
    CHECK(r.exit_code == 3);
    CHECK(lines(r.err) == 1);
    CHECK((r.err.find("only http:// and https://") != std::string::npos ||
           r.err.find("neither http:// nor https://") != std::string::npos));
  }
}

TEST_CASE("a password in --prometheus's URL is never printed", "[cli][api]") {
  std::string with_password =
      fmt::format("http://admin:{}@127.0.0.1:{}/", kPassword, api_server().port);
  for (const char* behaviour :
       {"error", "nowhere", "proxy-error", "malformed/not-json", "malformed/value-word", "ftp"}) {
    auto r = run_tool({"query", "--prometheus", with_password + behaviour, "up", "-v"});
    INFO(behaviour << ": " << r.err);
    CHECK(r.exit_code == 3);
    check_no_secret(r);
  }
  // The password reaches the server, as basic auth, and nowhere else.
  auto r = run_tool({"query", "--prometheus", with_password + "auth", "up", "-v"});
  CHECK(r.exit_code == 0);
  check_no_secret(r);
  // doctor: every output format, the target check's summary and detail included.
  for (const char* behaviour : {"error", "nowhere", "malformed/targets-empty-entry", "ok"}) {
    for (const char* output : {"text", "json", "junit"}) {
      auto r = run_tool({"doctor", "--url", "http://127.0.0.1:9/metrics", "--timeout", "2",
                         "--check", "prometheus.target", "--prometheus", with_password + behaviour,
                         "--output", output, "-v"});
      INFO(behaviour << " " << output << ": " << r.out << r.err);
      CHECK((r.exit_code == 1 || r.exit_code == 2));
      check_no_secret(r);
    }
  }
}

TEST_CASE("doctor --prometheus: a malformed targets answer fails the check, never crashes",
          "[cli][api]") {
  for (const char* name : {"targets-empty-entry", "targets-not-list", "targets-labels-list",
                           "targets-url-number", "not-json", "deep", "error-not-string"}) {
    auto r =
        run_tool({"doctor", "--url", "http://127.0.0.1:9/metrics", "--timeout", "2", "--check",
                  "prometheus.target", "--prometheus", base(fmt::format("malformed/{}", name))});
    INFO(name << ": " << r.out << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("cannot ask Prometheus at") != std::string::npos);
    CHECK(r.err.find("internal error") == std::string::npos);
  }
}

TEST_CASE("doctor --prometheus uses the fetch options too", "[cli][api]") {
  auto r = run_tool({"doctor", "--url", "http://127.0.0.1:9/metrics", "--timeout", "2", "--check",
                     "prometheus.target", "--prometheus", base("auth"), "--user", "a:b"});
  INFO(r.out << r.err);
  // Authenticated, the server lists its one target (never scraped yet): a warning, not a
  // refusal.
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("job e2e3d has not been scraped yet") != std::string::npos);
}
