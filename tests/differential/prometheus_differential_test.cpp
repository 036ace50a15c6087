// The proof that `query` answers like Prometheus: a real Prometheus 2.42 scrapes the fixtures and
// both evaluate every query in queries.txt at the same timestamp; the bodies must be equal byte
// for byte (series order, timestamps, value formatting, error texts).
//
// One Prometheus and one fixture server serve the whole run. The server presents the fixtures
// one after another at the same target, so at the timestamp of a fixture's scrape Prometheus holds
// exactly that fixture's series (the previous fixture's series went stale in that scrape) and the
// queries need no per-target filter. Prometheus's metric relabelling drops the `job` and
// `instance` labels it attaches to scraped series, so its series are the fixture's; it still adds
// its own `up` and `scrape_*` series, which the queries leave alone.
#include <curl/curl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/prometheus_http.hpp"

namespace {

using nlohmann::json;
using namespace e2e3d::test;
using namespace std::chrono_literals;

struct Phase {
  std::string fixture;  // path relative to tests/fixtures
  std::vector<std::string> queries;
};

std::vector<Phase> read_queries() {
  std::ifstream in(std::string(E2E3D_SOURCE_DIR) + "/tests/differential/queries.txt");
  REQUIRE(in.good());
  std::vector<Phase> phases;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (line.starts_with("[fixture ")) {
      phases.push_back(Phase{line.substr(9, line.size() - 10), {}});
      continue;
    }
    REQUIRE(!phases.empty());
    phases.back().queries.push_back(line);
  }
  return phases;
}

// A temporary Prometheus scraping one fixture server every second.
class PrometheusUnderTest {
 public:
  explicit PrometheusUnderTest(const std::string& first_fixture) {
    char tmpl[] = "/tmp/e2e3d-differential-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    dir_ = tmpl;
    server_ = start_python_helper("fixture_server.py", {first_fixture});
    std::ofstream(dir_ + "/prometheus.yml") << fmt::format(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        "scrape_configs:\n  - job_name: fixture\n    static_configs:\n"
        "      - targets: ['127.0.0.1:{}']\n"
        "    metric_relabel_configs:\n"
        "      - action: labeldrop\n        regex: job|instance\n",
        server_.port);
    port_ = free_port();
    prometheus_ = start_prometheus(dir_, port_);
  }

  ~PrometheusUnderTest() {
    prometheus_.reset();
    server_.process.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Serves `fixture` and waits until Prometheus has stored a scrape of it; returns that scrape's
  // timestamp as Prometheus prints it (Unix seconds, millisecond precision).
  std::string present(const std::string& fixture) {
    auto loaded = http_get(server_.url("/load?file=" + escape(fixture)));
    REQUIRE(loaded);
    REQUIRE(loaded->status == 200);
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(100ms);
      auto served = http_get(server_.url("/served"));
      REQUIRE(served);
      long long count = 0;
      long long last_ms = 0;
      std::sscanf(served->body.c_str(), "%lld %lld", &count, &last_ms);
      if (count < 1) continue;
      // The scrape that fetched the fixture started at most a second before it was served.
      auto answer =
          query("timestamp(up)", fmt::format("{:.3f}", static_cast<double>(last_ms) / 1000));
      if (answer["status"] != "success" || answer["data"]["result"].empty()) continue;
      std::string ts = answer["data"]["result"][0]["value"][1];
      if (std::stod(ts) * 1000 > static_cast<double>(last_ms) - 900) return ts;
    }
    FAIL("Prometheus did not scrape " << fixture);
    return {};
  }

  json query(const std::string& expr, const std::string& time) {
    return json::parse(query_body(expr, time));
  }

  std::string query_body(const std::string& expr, const std::string& time) {
    auto answer = http_get(base() + "/api/v1/query?query=" + escape(expr) + "&time=" + time);
    REQUIRE(answer);
    return answer->body;
  }

 private:
  std::string dir_;
  HelperServer server_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> prometheus_;
};

// The corpus is split into shards, each its own test with its own Prometheus, so that no single
// test runs for minutes on a slow CI machine and ctest can run shards side by side. A query's
// shard is its position in the file modulo kShards: every shard sees every fixture.
constexpr std::size_t kShards = 4;

void compare_shard(std::size_t shard) {
  if (access("/usr/bin/prometheus", X_OK) != 0) FAIL("/usr/bin/prometheus is not installed");
  std::vector<Phase> phases = read_queries();
  std::vector<std::string> fixtures;
  std::size_t total = 0;
  for (const auto& p : phases) {
    total += p.queries.size();
    if (std::find(fixtures.begin(), fixtures.end(), p.fixture) == fixtures.end()) {
      fixtures.push_back(p.fixture);
    }
  }
  REQUIRE(total >= 200);
  REQUIRE(fixtures.size() >= 4);

  PrometheusUnderTest prometheus(fixture_path(phases.front().fixture));
  std::size_t position = 0;
  std::size_t compared = 0;
  std::size_t failing = 0;
  std::size_t unordered = 0;
  for (const auto& phase : phases) {
    std::string path = fixture_path(phase.fixture);
    std::string time;
    for (const auto& line : phase.queries) {
      if (position++ % kShards != shard) continue;
      if (time.empty()) time = prometheus.present(path);
      bool must_fail = line.starts_with("! ");
      bool map_order = line.starts_with("~ ");
      std::string expr = must_fail || map_order ? line.substr(2) : line;
      INFO("fixture " << phase.fixture << " at " << time << "\nquery: " << expr);

      std::string theirs = prometheus.query_body(expr, time);
      RunResult ours =
          run_tool({"query", "--file", path, "--output", "json", "--time", time, "--", expr});
      INFO("Prometheus: " << theirs << "\nours (exit " << ours.exit_code << "): " << ours.out
                          << ours.err);
      REQUIRE(ours.out.ends_with("\n"));
      std::string mine = ours.out.substr(0, ours.out.size() - 1);
      if (map_order) {
        CHECK(with_sorted_series(mine) == with_sorted_series(theirs));
        ++unordered;
      } else {
        CHECK(mine == theirs);
      }
      json body = json::parse(theirs);
      bool success = body["status"] == "success";
      CHECK(ours.exit_code == (success ? 0 : 3));
      if (must_fail) {
        CHECK_FALSE(success);
        ++failing;
      } else {
        CHECK(success);
      }
      ++compared;
    }
  }
  CHECK(compared >= total / kShards);
  WARN(
      fmt::format("shard {} of {}: {} of {} query bodies compared byte for byte over {} fixtures "
                  "({} that must fail, {} whose series order Prometheus takes from a Go map)",
                  shard + 1, kShards, compared, total, fixtures.size(), failing, unordered));
}

}  // namespace

TEST_CASE("query answers exactly like Prometheus 2.42 on the same scrapes / shard 1 of 4") {
  compare_shard(0);
}
TEST_CASE("query answers exactly like Prometheus 2.42 on the same scrapes / shard 2 of 4") {
  compare_shard(1);
}
TEST_CASE("query answers exactly like Prometheus 2.42 on the same scrapes / shard 3 of 4") {
  compare_shard(2);
}
TEST_CASE("query answers exactly like Prometheus 2.42 on the same scrapes / shard 4 of 4") {
  compare_shard(3);
}

TEST_CASE("query --prometheus passes the server's body and exit code through") {
  std::vector<Phase> phases = read_queries();
  const Phase& last = phases.back();
  PrometheusUnderTest prometheus(fixture_path(last.fixture));
  std::string time = prometheus.present(fixture_path(last.fixture));
  for (const char* expr : {"reconstruction_total", "sum(e2e3d_job_duration_seconds) by (status)",
                           "1 + 1", "\"s\"", "sum(", "http_limits + on(method) http_requests"}) {
    INFO("--prometheus " << expr);
    std::string direct = prometheus.query_body(expr, time);
    RunResult via = run_tool({"query", "--prometheus", prometheus.base(), "--time", time,
                              "--output", "json", "--", expr});
    CHECK(via.out == direct + "\n");
    CHECK(via.exit_code == (json::parse(direct)["status"] == "success" ? 0 : 3));
  }
}
