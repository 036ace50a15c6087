// The Prometheus HTTP API client against a real server on loopback that speaks the API or
// breaks it on purpose (tests/support/prometheus_api_server.py): every fetch option reaches
// it, answers are bounded, malformed answers are one clear line, and no scheme but http(s)
// is ever spoken, also after a redirect.

#include <fmt/format.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "e2e3d/http_api.hpp"
#include "e2e3d/prometheus_api.hpp"
#include "fetch/fetch_test_support.hpp"
#include "support/temp_file.hpp"

using namespace e2e3d;
using namespace e2e3d::test;

namespace {

const HelperServer& api_server() {
  static HelperServer server = start_python_helper("prometheus_api_server.py");
  return server;
}

std::string base(const std::string& behaviour) {
  return fmt::format("http://127.0.0.1:{}/{}", api_server().port, behaviour);
}

FetchOptions quick(double timeout = 2.0) {
  FetchOptions options;
  options.timeout_seconds = timeout;
  options.connect_timeout_seconds = timeout;
  return options;
}

// The labels of the /ok query answer's one sample: the request's headers and parameters.
std::map<std::string, std::string> received(const PrometheusAnswer& answer) {
  std::map<std::string, std::string> out;
  const auto* result = json_fields::array_member(answer.data, "result");
  REQUIRE(result);
  REQUIRE(result->size() == 1);
  const auto* metric = json_fields::object_member((*result)[0], "metric");
  REQUIRE(metric);
  for (const auto& [name, value] : metric->items())
    out[name] = value.get<std::string>();
  return out;
}

template <typename F>
std::optional<FetchError> failure_of(F&& call) {
  try {
    call();
  } catch (const FetchError& e) {
    return e;
  }
  return std::nullopt;
}

}  // namespace

TEST_CASE("PrometheusApi: a query carries the expression, the time and every fetch option",
          "[fetch][api]") {
  TempFile token(kToken);
  FetchOptions options = quick();
  options.headers = {"X-Scope-OrgID: tenant-7"};
  options.bearer_token_file = token.path();
  PrometheusApi api(base("ok"), options);
  PrometheusAnswer answer = api.query("sum by (job) (up{job=\"a b\"})", 1700000000.5);
  REQUIRE(answer.success);
  auto got = received(answer);
  CHECK(got["query"] == "sum by (job) (up{job=\"a b\"})");
  CHECK(got["time"] == "1700000000.5");
  CHECK(got["x_scope_orgid"] == "tenant-7");
  CHECK(got["authorization"] == fmt::format("Bearer {}", kToken));
  CHECK(got["accept"] == "application/json");

  options.bearer_token_file.reset();
  options.user = fmt::format("alice:{}", kPassword);
  got = received(PrometheusApi(base("ok"), options).query("up", std::nullopt));
  CHECK(got["authorization"] == "Basic YWxpY2U6czNjcjN0LVBhNTV3b3Jk");
  CHECK(got.count("time") == 0);
}

TEST_CASE("PrometheusApi: the base URL may end in / or /api/v1/query, or have no scheme",
          "[fetch][api]") {
  for (const std::string& server :
       {base("ok") + "/", base("ok") + "/api/v1/query", base("ok").substr(7)}) {
    INFO(server);
    PrometheusApi api(server, quick());
    CHECK(api.name() == base("ok"));
    CHECK(api.query("up", std::nullopt).success);
  }
}

TEST_CASE("PrometheusApi: the targets answer is decoded", "[fetch][api]") {
  auto targets = PrometheusApi(base("ok"), quick()).active_targets();
  REQUIRE(targets.size() == 1);
  CHECK(targets[0].scrape_url == "http://127.0.0.1:9/metrics");
  CHECK(targets[0].scrape_pool == "e2e3d");
  CHECK(targets[0].labels ==
        std::map<std::string, std::string>{{"instance", "127.0.0.1:9"}, {"job", "e2e3d"}});
  CHECK(targets[0].health == "unknown");
  CHECK(targets[0].scrape_interval == "15s");
  CHECK(targets[0].last_scrape_duration == 0.0);
}

TEST_CASE("PrometheusApi: an error answer of the API is returned, a proxy's page is not",
          "[fetch][api]") {
  PrometheusAnswer answer = PrometheusApi(base("error"), quick()).query("up", std::nullopt);
  CHECK_FALSE(answer.success);
  CHECK(answer.http_status == 422);
  CHECK(answer.error_type == "execution");
  CHECK(answer.error == "query processing would load too many samples");

  auto e = failure_of([] { PrometheusApi(base("proxy-error"), quick()).query("up", {}); });
  REQUIRE(e);
  CHECK(e->failure() == FetchFailure::http_status);
  CHECK(e->http_status() == 502);

  e = failure_of([] { PrometheusApi(base("nowhere"), quick()).query("up", {}); });
  REQUIRE(e);
  INFO(e->what());
  CHECK(e->failure() == FetchFailure::http_status);
  CHECK(std::string(e->what()).find("is --prometheus the server's base URL") != std::string::npos);
}

TEST_CASE("PrometheusApi: every malformed answer is one line naming the URL, never a crash",
          "[fetch][api]") {
  for (const char* name :
       {"not-json", "truncated", "deep", "status-number", "no-status", "array", "data-string",
        "targets-empty-entry", "targets-not-list", "targets-labels-list", "targets-url-number",
        "no-data", "error-not-string"}) {
    std::string server = base(fmt::format("malformed/{}", name));
    INFO(server);
    auto e = failure_of([&] { PrometheusApi(server, quick()).active_targets(); });
    REQUIRE(e);
    std::string message = e->what();
    INFO(message);
    CHECK(e->failure() == FetchFailure::not_api);
    CHECK(message.starts_with(
        fmt::format("cannot use the answer of {}/api/v1/targets?state=active: ", server)));
    CHECK(message.ends_with("point --prometheus at a Prometheus server (http://HOST:9090)"));
    CHECK(message.find("json.exception") == std::string::npos);
    CHECK(message.size() < 400);
  }
  auto e = failure_of([] { PrometheusApi(base("malformed/deep"), quick()).active_targets(); });
  REQUIRE(e);
  CHECK(std::string(e->what()).find("nested more than 64 levels deep") != std::string::npos);
  e = failure_of([] { PrometheusApi(base("malformed/not-json"), quick()).active_targets(); });
  REQUIRE(e);
  CHECK(std::string(e->what()).find("it is not JSON: at line 1, column 1") != std::string::npos);
}

TEST_CASE("PrometheusApi: an endless answer stops at --max-bytes, at once and in bounded memory",
          "[fetch][api]") {
  FetchOptions options = quick(10);
  options.max_bytes = 1024 * 1024;
  auto start = std::chrono::steady_clock::now();
  auto e = failure_of([&] { PrometheusApi(base("huge"), options).query("up", {}); });
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(e);
  INFO(e->what());
  CHECK(e->failure() == FetchFailure::too_large);
  CHECK(std::string(e->what()).find("larger than the limit of 1048576 bytes (--max-bytes)") !=
        std::string::npos);
  CHECK(seconds < 5);
}

TEST_CASE("PrometheusApi: --timeout bounds a slow server", "[fetch][api]") {
  auto start = std::chrono::steady_clock::now();
  auto e = failure_of([] { PrometheusApi(base("slow"), quick(0.5)).query("up", {}); });
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(e);
  CHECK(e->failure() == FetchFailure::timeout);
  CHECK(seconds < 2);
}

TEST_CASE("PrometheusApi: only http and https are spoken, also after a redirect", "[fetch][api]") {
  for (const std::string& server :
       {std::string("gopher://127.0.0.1:") + std::to_string(api_server().port) + "/ok",
        std::string("dict://127.0.0.1:") + std::to_string(api_server().port) + "/ok",
        std::string("file:///etc"), std::string("ftp://127.0.0.1/ok")}) {
    INFO(server);
    auto e = failure_of([&] { PrometheusApi(server, quick()).query("up", {}); });
    REQUIRE(e);
    INFO(e->what());
    CHECK(e->failure() == FetchFailure::bad_url);
    CHECK(std::string(e->what()).find("only http:// and https:// URLs are supported") !=
          std::string::npos);
  }
  for (const char* behaviour : {"ftp", "file"}) {
    auto e = failure_of([&] { PrometheusApi(base(behaviour), quick()).query("up", {}); });
    REQUIRE(e);
    INFO(e->what());
    CHECK(e->failure() == FetchFailure::bad_url);
    CHECK(std::string(e->what()).find("neither http:// nor https://") != std::string::npos);
  }
}

TEST_CASE("PrometheusApi: a password in the server's URL is never in a message", "[fetch][api]") {
  std::string server = fmt::format("http://admin:{}@127.0.0.1:{}/", kPassword, api_server().port);
  for (const char* behaviour : {"nowhere", "proxy-error", "malformed/not-json", "ftp", "slow"}) {
    auto e = failure_of([&] { PrometheusApi(server + behaviour, quick(0.5)).active_targets(); });
    REQUIRE(e);
    INFO(e->what());
    CHECK(std::string(e->what()).find(kPassword) == std::string::npos);
  }
  PrometheusApi api(server + "ok", quick());
  CHECK(api.name().find(kPassword) == std::string::npos);
  // The password itself is sent, as basic auth to that server.
  CHECK(received(api.query("up", {}))["authorization"].starts_with("Basic "));
}

TEST_CASE("api_get over a Unix socket", "[fetch][api]") {
  // Nothing listens at this path: the message names the socket, not a host.
  FetchOptions options = quick();
  options.url = "http://localhost/v1.41/containers/json";
  options.unix_socket = "/tmp/e2e3d-no-such-socket";
  options.url_option = "--docker-socket";
  auto e = failure_of([&] { api_get(options); });
  REQUIRE(e);
  INFO(e->what());
  CHECK(e->failure() == FetchFailure::refused);
  CHECK(std::string(e->what()).find("the Unix socket /tmp/e2e3d-no-such-socket") !=
        std::string::npos);
}

TEST_CASE("api_get over a Unix socket reaches the server behind it", "[fetch][api]") {
  std::string socket = fmt::format("/tmp/e2e3d-api-{}.sock", getpid());
  unlink(socket.c_str());
  auto server = start_python_helper("prometheus_api_server.py", {"--unix-socket", socket});
  FetchOptions options = quick();
  // The host only names the Host header: the socket carries the request.
  options.url = "http://docker/ok/api/v1/query?query=up";
  options.unix_socket = socket;
  options.headers = {"X-Probe: 1"};
  ApiResponse response = api_get(options);
  CHECK(response.info.http_status == 200);
  CHECK(response.body.find(R"("x_probe": "1")") != std::string::npos);
  CHECK(response.body.find(R"("host": "docker")") != std::string::npos);
  // A redirect is not followed over a socket: every host would be this same server.
  options.url = "http://docker/same-origin/api/v1/query";
  auto e = failure_of([&] { api_get(options); });
  REQUIRE(e);
  CHECK(e->failure() == FetchFailure::http_status);
  unlink(socket.c_str());
}

TEST_CASE("PrometheusApi: --cacert and --insecure apply, and https -> http drops credentials",
          "[fetch][api][tls]") {
  SelfSignedCertificate certificate;
  auto server = start_python_helper("prometheus_api_server.py", {"--tls-cert", certificate.cert(),
                                                                 "--tls-key", certificate.key()});
  std::string https = fmt::format("https://127.0.0.1:{}/", server.port);
  auto e = failure_of([&] { PrometheusApi(https + "ok", quick()).query("up", {}); });
  REQUIRE(e);
  CHECK(e->failure() == FetchFailure::tls);

  FetchOptions options = quick();
  options.cacert = certificate.cert();
  options.headers = {fmt::format("X-Api-Key: {}", kToken), "X-Scope-OrgID: t"};
  options.user = fmt::format("alice:{}", kPassword);
  auto got = received(PrometheusApi(https + "ok", options).query("up", {}));
  CHECK(got["x_api_key"] == kToken);
  CHECK(got.count("authorization") == 1);

  // The same host over plain http is another origin: nothing secret goes there in clear text.
  got = received(PrometheusApi(https + "downgrade", options).query("up", {}));
  CHECK(got.count("x_api_key") == 0);
  CHECK(got.count("x_scope_orgid") == 0);
  CHECK(got.count("authorization") == 0);

  options.cacert.reset();
  options.insecure = true;
  CHECK(PrometheusApi(https + "ok", options).query("up", {}).success);
}
