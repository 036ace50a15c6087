// `generate grafana-dashboard`: every panel's query answers on a real Prometheus that scrapes
// the demo exporter, with the names resolved against the demo itself.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli_rules/helpers.hpp"
#include "support/prometheus_http.hpp"

using namespace e2e3d::test;
using nlohmann::json;

namespace {

// The panels' queries, as Grafana would send them to the data source.
std::vector<std::pair<std::string, std::string>> panel_queries(const json& dashboard) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& panel : dashboard["panels"]) {
    for (const auto& target : panel["targets"])
      out.emplace_back(panel["title"], target["expr"]);
  }
  return out;
}

}  // namespace

TEST_CASE("every panel of the dashboard returns data on a real Prometheus scraping the demo",
          "[prometheus]") {
  // Many short jobs, a quarter failing: every ratio has jobs in its window within seconds.
  DemoCommand demo(
      {"--rate", "1200", "--duration", "0.5", "--failure-ratio", "0.25", "--seed", "11"});
  Scratch scratch;
  auto generated = run_tool({"generate", "grafana-dashboard", "--url", demo.url, "--window", "1m",
                             "--out", scratch.file("dashboard.json")});
  INFO(generated.err);
  REQUIRE(generated.exit_code == 0);
  json dashboard = json::parse(read_file(scratch.file("dashboard.json")));
  CHECK_THAT(dashboard["description"].get<std::string>(),
             Catch::Contains("resolved against " + demo.url));
  auto queries = panel_queries(dashboard);
  REQUIRE(queries.size() >= 12);

  std::string target = demo.url.substr(7, demo.url.find("/metrics") - 7);  // host:port
  scratch.write("prometheus.yml",
                "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n"
                "  - job_name: e2e3d\n    static_configs:\n      - targets: ['" +
                    target + "']\n");
  int port = free_port();
  auto prometheus = start_prometheus(scratch.path, port);
  const std::string api = "http://127.0.0.1:" + std::to_string(port) + "/api/v1/query?query=";

  // Rates need two scrapes in their window; wait for them, then every query must answer.
  std::map<std::string, std::string> missing;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(40);
  do {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    missing.clear();
    for (const auto& [panel, expr] : queries) {
      auto answer = http_get(api + escape(expr));
      if (!answer) {
        missing[expr] = panel + ": no answer";
        continue;
      }
      json body = json::parse(answer->body);
      // A query Prometheus refuses fails at once: waiting will not fix it.
      REQUIRE(answer->status == 200);
      REQUIRE(body["status"] == "success");
      if (body["data"]["result"].empty()) missing[expr] = panel + ": empty";
    }
  } while (!missing.empty() && std::chrono::steady_clock::now() < deadline);
  for (const auto& [expr, why] : missing)
    FAIL_CHECK(why << ": " << expr);
  CHECK(missing.empty());
}

TEST_CASE("generate grafana-dashboard without a target, and its refusals") {
  std::string unreachable = fmt::format("http://127.0.0.1:{}/metrics", free_port());
  auto r =
      run_tool({"generate", "grafana-dashboard", "--names", "python", "--url", unreachable,
                "--window", "15m", "--top", "5", "--uid", "e2e3d-prod", "--title", "E2E3D prod"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json d = json::parse(r.out);
  CHECK(d["uid"] == "e2e3d-prod");
  CHECK(d["title"] == "E2E3D prod");
  CHECK_THAT(r.out, Catch::Contains("topk(5, e2e3d_job_duration_seconds_total)"));
  CHECK_THAT(r.out, Catch::Contains("sum(rate(reconstruction_total[15m])) * 60"));
  CHECK_THAT(r.out, Catch::Contains("${DS_PROMETHEUS}"));

  // The names from an unreachable target: unknown. Bad options: usage errors, before any fetch.
  CHECK(run_tool({"generate", "grafana-dashboard", "--url", unreachable}).exit_code == 3);
  auto short_window =
      run_tool({"generate", "grafana-dashboard", "--url", unreachable, "--window", "10s"});
  CHECK(short_window.exit_code == 64);
  CHECK_THAT(short_window.err, Catch::Contains("1m or more"));
  CHECK(run_tool({"generate", "grafana-dashboard", "--names", "python", "--top", "0"}).exit_code ==
        64);
  CHECK(
      run_tool({"generate", "grafana-dashboard", "--names", "python", "--uid", "a/b"}).exit_code ==
      64);
  CHECK(run_tool({"generate", "grafana-dashboard", "--names", "python", "-o", "json"}).exit_code ==
        64);
}
