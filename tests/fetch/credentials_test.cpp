// What goes out with a request (Accept, headers, credentials), what follows a redirect, and
// that no secret ever shows in a message or a trace line.

#include <fmt/format.h>
#include <stdlib.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <cctype>
#include <fstream>
#include <map>
#include <thread>

#include "fetch/fetch_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::test;

namespace {

// The echo endpoint's body ("Name: value" lines) as a map with lower-case names.
std::map<std::string, std::string> echoed(const std::string& body) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    std::string line = body.substr(start, end - start);
    std::size_t colon = line.find(": ");
    std::string name = line.substr(0, colon);
    for (char& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[name] = line.substr(colon + 2);
    start = end + 1;
  }
  return out;
}

struct TempFile {
  std::string path;
  explicit TempFile(const std::string& content) {
    char pattern[] = "/tmp/e2e3d-fetch-test-XXXXXX";
    int fd = mkstemp(pattern);
    REQUIRE(fd >= 0);
    close(fd);
    path = pattern;
    std::ofstream(path) << content;
  }
  ~TempFile() { unlink(path.c_str()); }
};

// Sets environment variables for one test and restores them after.
struct ScopedEnv {
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  void set(const std::string& name, const std::string& value) {
    const char* old = getenv(name.c_str());
    saved.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
    setenv(name.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() {
    for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
      if (it->second) {
        setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        unsetenv(it->first.c_str());
      }
    }
  }
};

void check_no_secret(const Attempt& a) {
  CHECK(a.message().find(kPassword) == std::string::npos);
  CHECK(a.message().find(kToken) == std::string::npos);
  for (const auto& line : a.trace) {
    INFO(line);
    CHECK(line.find(kPassword) == std::string::npos);
    CHECK(line.find(kToken) == std::string::npos);
  }
}

constexpr const char* kBasicAlice = "Basic YWxpY2U6czNjcjN0LVBhNTV3b3Jk";  // alice:s3cr3t-Pa55word

}  // namespace

TEST_CASE("the request prefers OpenMetrics, accepts gzip and names the tool", "[fetch]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/echo-headers")));
  REQUIRE_FALSE(a.error);
  auto headers = echoed(a.body);
  CHECK(
      headers["accept"] ==
      "application/openmetrics-text;version=1.0.0;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
  CHECK(headers["accept-encoding"].find("gzip") != std::string::npos);
  CHECK(headers["user-agent"].starts_with("e2e3d-metrics/"));
  CHECK(headers.count("authorization") == 0);
}

TEST_CASE("headers given with -H are sent as given, and a given Accept replaces the default",
          "[fetch]") {
  auto options = quick_options(misbehaving_server().url("/echo-headers"));
  options.headers = {"X-Scope-OrgID: tenant-1", "Accept: text/plain"};
  auto a = attempt_fetch(options);
  REQUIRE_FALSE(a.error);
  auto headers = echoed(a.body);
  CHECK(headers["x-scope-orgid"] == "tenant-1");
  CHECK(headers["accept"] == "text/plain");
}

TEST_CASE("a bearer token is read from its file, trimmed, and sent", "[fetch]") {
  TempFile token(fmt::format("  {}\n\n", kToken));
  auto options = quick_options(misbehaving_server().url("/echo-headers"));
  options.bearer_token_file = token.path;
  auto a = attempt_fetch(options);
  REQUIRE_FALSE(a.error);
  CHECK(echoed(a.body)["authorization"] == fmt::format("Bearer {}", kToken));
  check_no_secret(a);
  CHECK(std::any_of(a.trace.begin(), a.trace.end(),
                    [](const std::string& l) { return l == "> Authorization: <redacted>"; }));
}

TEST_CASE("an empty bearer token file is refused", "[fetch]") {
  TempFile token(" \n");
  auto options = quick_options(misbehaving_server().url("/metrics"));
  options.bearer_token_file = token.path;
  auto a = attempt_fetch(options);
  CHECK(a.failure() == FetchFailure::bad_option);
  CHECK(a.message().find("is empty") != std::string::npos);
}

TEST_CASE("basic auth comes from --user or from the URL", "[fetch]") {
  const auto& server = misbehaving_server();
  SECTION("--user") {
    auto options = quick_options(server.url("/echo-headers"));
    options.user = fmt::format("alice:{}", kPassword);
    auto a = attempt_fetch(options);
    REQUIRE_FALSE(a.error);
    CHECK(echoed(a.body)["authorization"] == kBasicAlice);
    check_no_secret(a);
  }
  SECTION("user:password@ in the URL, removed from everything reported") {
    auto a = attempt_fetch(quick_options(
        fmt::format("http://alice:{}@127.0.0.1:{}/echo-headers", kPassword, server.port)));
    REQUIRE_FALSE(a.error);
    CHECK(echoed(a.body)["authorization"] == kBasicAlice);
    CHECK(a.info.source == server.url("/echo-headers"));
    CHECK(a.info.effective_url == server.url("/echo-headers"));
    check_no_secret(a);
  }
}

TEST_CASE("credentials follow a redirect on the same host", "[fetch][redirect]") {
  const auto& server = misbehaving_server();
  TempFile token(kToken);
  auto options = quick_options(server.url("/redirect-same-host"));
  options.bearer_token_file = token.path;
  auto a = attempt_fetch(options);
  REQUIRE_FALSE(a.error);
  CHECK(echoed(a.body)["authorization"] == fmt::format("Bearer {}", kToken));
  CHECK(a.info.effective_url == server.url("/echo-headers"));
}

TEST_CASE("no credentials are sent on a redirect to another host", "[fetch][redirect]") {
  const auto& server = misbehaving_server();
  auto options = quick_options(server.url("/redirect-other-host"));
  TempFile token(kToken);
  SECTION("bearer token file") {
    options.bearer_token_file = token.path;
  }
  SECTION("--user") {
    options.user = fmt::format("alice:{}", kPassword);
  }
  SECTION("user:password@ in the URL") {
    options.url =
        fmt::format("http://alice:{}@127.0.0.1:{}/redirect-other-host", kPassword, server.port);
  }
  SECTION("an Authorization header given with -H") {
    options.headers = {fmt::format("Authorization: Bearer {}", kToken)};
  }
  SECTION("a Cookie header given with -H") {
    options.headers = {fmt::format("Cookie: session={}", kToken)};
  }
  auto a = attempt_fetch(options);
  REQUIRE_FALSE(a.error);
  auto headers = echoed(a.body);
  CHECK(headers["host"].starts_with("127.0.0.2:"));  // the other host really answered
  CHECK(headers.count("authorization") == 0);
  CHECK(headers.count("cookie") == 0);
  CHECK(a.body.find(kToken) == std::string::npos);
  CHECK(a.body.find("Basic") == std::string::npos);
  CHECK(a.info.effective_url.starts_with("http://127.0.0.2:"));
  check_no_secret(a);
}

TEST_CASE("no credentials are sent on a redirect to another port of the same host",
          "[fetch][redirect]") {
  const auto& server = misbehaving_server();
  TempFile token(kToken);
  auto options = quick_options(server.url("/redirect-other-port"));
  options.bearer_token_file = token.path;
  auto a = attempt_fetch(options);
  REQUIRE_FALSE(a.error);
  auto headers = echoed(a.body);
  CHECK(headers["host"].starts_with("127.0.0.1:"));
  CHECK(headers["host"] != fmt::format("127.0.0.1:{}", server.port));
  CHECK(headers.count("authorization") == 0);
}

TEST_CASE("at most max_redirects redirects are followed", "[fetch][redirect]") {
  const auto& server = misbehaving_server();
  auto five = attempt_fetch(quick_options(server.url("/redirect/5")));
  REQUIRE_FALSE(five.error);
  CHECK(five.info.effective_url == server.url("/metrics"));

  auto six = attempt_fetch(quick_options(server.url("/redirect/6")));
  REQUIRE(six.failure() == FetchFailure::too_many_redirects);
  INFO(six.message());
  CHECK(six.message().find("more than 5 redirects") != std::string::npos);

  auto loop = attempt_fetch(quick_options(server.url("/redirect-loop")));
  REQUIRE(loop.failure() == FetchFailure::too_many_redirects);
  INFO(loop.message());
  CHECK(loop.message().find("a redirect loop?") != std::string::npos);
  CHECK(loop.seconds < 1.0);

  auto none = quick_options(server.url("/redirect/1"));
  none.max_redirects = 0;
  auto unfollowed = attempt_fetch(none);
  REQUIRE(unfollowed.failure() == FetchFailure::http_status);
  CHECK(unfollowed.error->http_status() == 302);
}

TEST_CASE("a redirect to a file:// URL is not followed", "[fetch][redirect]") {
  auto a = attempt_fetch(quick_options(misbehaving_server().url("/redirect-file")));
  REQUIRE(a.failure() == FetchFailure::bad_url);
  INFO(a.message());
  CHECK(a.message().find("neither http:// nor https://") != std::string::npos);
  CHECK(a.body.find("root:") == std::string::npos);
}

TEST_CASE("the trace shows the exchange with every credential masked", "[fetch][trace]") {
  const auto& server = misbehaving_server();
  auto options =
      quick_options(fmt::format("http://alice:{}@127.0.0.1:{}/status/404", kPassword, server.port));
  options.headers = {fmt::format("X-Api-Key: {}", kToken), "X-Scope-OrgID: tenant-1"};
  auto a = attempt_fetch(options);
  REQUIRE(a.failure() == FetchFailure::http_status);
  auto has = [&](const std::string& text) {
    return std::any_of(a.trace.begin(), a.trace.end(),
                       [&](const std::string& l) { return l.find(text) != std::string::npos; });
  };
  CHECK(has("> GET /status/404 HTTP/1.1"));
  CHECK(has("< HTTP/1.1 404 Not Found"));
  CHECK(has("> Authorization: <redacted>"));
  CHECK(has("> X-Api-Key: <redacted>"));
  CHECK(has("> X-Scope-OrgID: tenant-1"));
  CHECK(has("* failed: cannot fetch"));
  check_no_secret(a);
}

TEST_CASE("proxy variables are honoured and their credentials never shown", "[fetch][proxy]") {
  const auto& server = misbehaving_server();
  ScopedEnv env;
  env.set("http_proxy", fmt::format("http://bob:{}@127.0.0.1:{}", kPassword, server.port));
  env.set("no_proxy", "");
  env.set("NO_PROXY", "");
  auto a = attempt_fetch(quick_options("http://service.invalid:9101/metrics"));
  REQUIRE_FALSE(a.error);
  auto headers = echoed(a.body);
  // The misbehaving server played the proxy: it got the absolute URL.
  CHECK(headers["request-target"] == "http://service.invalid:9101/metrics");
  CHECK(headers.count("proxy-authorization") == 1);
  check_no_secret(a);
}

TEST_CASE("fetches from several threads at once all succeed or fail on their own", "[fetch]") {
  const auto& server = misbehaving_server();
  std::vector<Attempt> results(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = attempt_fetch(quick_options(server.url(i % 2 ? "/status/404" : "/gzip")));
    });
  }
  for (auto& t : threads)
    t.join();
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i % 2) {
      CHECK(results[i].failure() == FetchFailure::http_status);
    } else {
      CHECK_FALSE(results[i].error);
      CHECK(results[i].body.find("reconstruction_total 10.0") != std::string::npos);
    }
  }
}

TEST_CASE("redact_url removes user:password@ and secret query values", "[fetch][redact]") {
  CHECK(redact_url("http://alice:pw@host:9101/metrics") == "http://host:9101/metrics");
  CHECK(redact_url("https://alice@host/metrics") == "https://host/metrics");
  CHECK(redact_url("alice:pw@host:9101/metrics") == "host:9101/metrics");
  CHECK(redact_url("http://host/metrics?token=abc&x=1&api_key=zz#frag") ==
        "http://host/metrics?token=xxxxx&x=1&api_key=xxxxx#frag");
  CHECK(redact_url("http://[::1]:9101/metrics") == "http://[::1]:9101/metrics");
  CHECK(redact_url("http://u:p@ss@host/") == "http://host/");
  CHECK(redact_url("") == "");
  CHECK(redact_urls_in("proxy 'http://bob:pw@proxy:3128' and https://x:y@h/p ok") ==
        "proxy 'http://proxy:3128' and https://h/p ok");
}

TEST_CASE("every failure kind has a stable name", "[fetch]") {
  CHECK(fetch_failure_name(FetchFailure::refused) == "refused");
  CHECK(fetch_failure_name(FetchFailure::too_many_redirects) == "too_many_redirects");
  CHECK(fetch_failure_name(FetchFailure::bad_option) == "bad_option");
}

TEST_CASE("every -H header is dropped on a redirect to another host or port, kept on the same",
          "[fetch][redirect]") {
  const auto& server = misbehaving_server();
  const std::vector<std::string> given = {fmt::format("X-Api-Key: {}", kToken),
                                          fmt::format("X-Auth-Token: {}", kToken),
                                          fmt::format("Proxy-Authorization: Basic {}", kToken),
                                          fmt::format("PRIVATE-TOKEN: {}", kToken),
                                          "X-Scope-OrgID: tenant-9",
                                          fmt::format("Cookie: session={}", kToken)};
  for (const char* path : {"/redirect-other-host", "/redirect-other-port"}) {
    auto options = quick_options(server.url(path));
    options.headers = given;
    auto a = attempt_fetch(options);
    INFO(path << ": " << a.message());
    REQUIRE_FALSE(a.error);
    auto headers = echoed(a.body);
    CHECK(headers["host"] != fmt::format("127.0.0.1:{}", server.port));
    for (const char* name : {"x-api-key", "x-auth-token", "proxy-authorization", "private-token",
                             "x-scope-orgid", "cookie", "authorization"}) {
      CHECK(headers.count(name) == 0);
    }
    CHECK(a.body.find(kToken) == std::string::npos);
    CHECK(std::any_of(a.trace.begin(), a.trace.end(), [](const std::string& l) {
      return l.find("another origin: no credentials or -H headers sent there") != std::string::npos;
    }));
    check_no_secret(a);
  }
  // The same origin gets them all, credentials from the URL included.
  auto options = quick_options(
      fmt::format("http://alice:{}@127.0.0.1:{}/redirect-same-host", kPassword, server.port));
  options.headers = given;
  auto a = attempt_fetch(options);
  REQUIRE_FALSE(a.error);
  auto headers = echoed(a.body);
  CHECK(headers["x-api-key"] == kToken);
  CHECK(headers["x-scope-orgid"] == "tenant-9");
  CHECK(headers["authorization"] == kBasicAlice);
  check_no_secret(a);
}

TEST_CASE("the trace (-v) masks secret query parameters on every line, redirects included",
          "[fetch][trace]") {
  const auto& server = misbehaving_server();
  auto options = quick_options(server.url(
      fmt::format("/redirect-keep-query?access_token={}&x=1&api_key={}", kToken, kToken)));
  auto a = attempt_fetch(options);
  INFO(a.message());
  REQUIRE_FALSE(a.error);
  // The server got the token, twice: it was sent, only never shown.
  CHECK(echoed(a.body)["request-target"].find(kToken) != std::string::npos);
  auto has = [&](const std::string& text) {
    return std::any_of(a.trace.begin(), a.trace.end(),
                       [&](const std::string& l) { return l.find(text) != std::string::npos; });
  };
  CHECK(has("> GET /redirect-keep-query?access_token=xxxxx&x=1&api_key=xxxxx HTTP/1.1"));
  CHECK(has("< Location: /echo-headers?access_token=xxxxx&x=1&api_key=xxxxx"));
  CHECK(has("* redirected (HTTP 302) to http://127.0.0.1:"));
  CHECK(has("> GET /echo-headers?access_token=xxxxx&x=1&api_key=xxxxx HTTP/1.1"));
  CHECK(has("* fetching http://127.0.0.1:"));
  check_no_secret(a);
  CHECK(redact_urls_in("GET /m?password=pw&sig=abc&ok=1 HTTP/1.1") ==
        "GET /m?password=xxxxx&sig=xxxxx&ok=1 HTTP/1.1");
}

TEST_CASE("a redirect's time counts against the whole --timeout", "[fetch][redirect]") {
  // Five hops to a server that answers one byte a second: the limit is the transfer's, not
  // one per hop.
  auto options = quick_options(misbehaving_server().url("/redirect-to-drip"), 1.0);
  auto a = attempt_fetch(options);
  CHECK(a.failure() == FetchFailure::timeout);
  CHECK(a.seconds < 1.8);
}
