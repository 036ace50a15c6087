// `e2e3d-metrics doctor` driven as a user drives it: real exporter, real servers, the binary.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "support/child_process.hpp"

using e2e3d::test::run_tool;
using e2e3d::test::start_python_helper;

namespace {
bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("doctor: a healthy exporter / as a checklist", "[doctor_cli]") {
  auto server = start_python_helper("e2e3d_exporter.py", {"--require-enable-metrics"},
                                    {"ENABLE_METRICS=true"});
  auto r = run_tool({"doctor", "--url", server.url()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);  // warnings: loopback-only bind, the _total drift
  CHECK(has(r.out, "e2e3d-metrics doctor: " + server.url()));
  CHECK(has(r.out, "✔ env.enable_metrics"));
  CHECK(has(r.out, "✔ http.endpoint"));
  CHECK(has(r.out, "⚠ port.listening"));
  CHECK(has(r.out, "– prometheus.config"));
  CHECK(has(r.out, "fix: bind the metrics server to 0.0.0.0"));
  CHECK(has(r.out, "⚠ WARN: 0 failed, "));
  CHECK_FALSE(has(r.out, "\033["));  // no colour off a terminal
  CHECK(r.err.empty());
  WARN(fmt::format("doctor process, healthy exporter on loopback: {:.0f} ms wall",
                   r.seconds * 1000));
}

TEST_CASE("doctor: --output json is the documented shape / exit code included", "[doctor_cli]") {
  auto server = start_python_helper("e2e3d_exporter.py", {}, {"ENABLE_METRICS=true"});
  auto r = run_tool({"--output", "json", "doctor", "--url", server.url()});
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["exit_code"] == r.exit_code);
  CHECK(j["status"] == "warn");
  REQUIRE(j["checks"].size() == 12);
  std::vector<std::string> ids;
  for (const auto& c : j["checks"]) {
    ids.push_back(c["id"]);
    CHECK(c.size() == 5);
    for (auto key : {"id", "status", "summary", "detail", "fix"})
      CHECK(c.contains(key));
  }
  CHECK(ids == std::vector<std::string>{"env.enable_metrics", "container.state",
                                        "process.metrics_server", "port.listening", "http.endpoint",
                                        "exposition.valid", "metrics.documented", "metrics.sanity",
                                        "container.logs", "prometheus.config", "prometheus.target",
                                        "alerts.rules"});
}

TEST_CASE("doctor: --output junit for CI", "[doctor_cli]") {
  int port = e2e3d::test::free_port();
  auto r = run_tool(
      {"doctor", "--output", "junit", "--url", fmt::format("http://127.0.0.1:{}/metrics", port)});
  CHECK(r.exit_code == 2);
  CHECK(has(r.out, "<?xml version=\"1.0\""));
  CHECK(has(r.out, "<testsuite name=\"doctor\" tests=\"12\""));
  CHECK(has(r.out, "<testcase classname=\"doctor\" name=\"http.endpoint\">"));
  CHECK(has(r.out, "<failure message=\"connection refused"));
}

TEST_CASE("doctor: nothing listening fails with the fix", "[doctor_cli]") {
  int port = e2e3d::test::free_port();
  auto r = run_tool({"doctor", "--url", fmt::format("http://127.0.0.1:{}/metrics", port)});
  CHECK(r.exit_code == 2);
  CHECK(has(r.out, fmt::format("✖ port.listening          nothing listens on port {}", port)));
  CHECK(has(r.out, "✖ http.endpoint"));
  CHECK(has(r.out, "– exposition.valid        skipped: http.endpoint did not pass"));
  CHECK(has(r.out, "✖ FAIL: "));
}

TEST_CASE("doctor: a server that never answers ends at --timeout + 0.5 s", "[doctor_cli]") {
  // The bound is on the wait, not on the machine: the same doctor against a port that refuses
  // at once measures what starting the process and running the other checks costs here (CI's
  // machines are several times slower than a workstation).
  int refused_port = e2e3d::test::free_port();
  auto baseline = run_tool({"doctor", "--timeout", "1", "--url",
                            fmt::format("http://127.0.0.1:{}/metrics", refused_port)});
  auto server = start_python_helper("doctor_http_server.py", {"--mode", "silent"});
  auto r = run_tool({"doctor", "--timeout", "1", "--url", server.url()});
  INFO(r.out << r.err << "\nbaseline (refused port): " << baseline.seconds << " s");
  CHECK(r.exit_code == 2);
  CHECK(r.seconds >= 1.0);
  CHECK(r.seconds < baseline.seconds + 1.5);
  CHECK(has(r.out, "✖ http.endpoint"));
}

TEST_CASE("doctor: usage errors exit 64 / a bad URL exits 3", "[doctor_cli]") {
  auto unknown = run_tool({"doctor", "--check", "http.endpont"});
  CHECK(unknown.exit_code == 64);
  CHECK(has(unknown.err, "no check http.endpont"));
  CHECK(has(unknown.err, "http.endpoint"));
  CHECK(run_tool({"doctor", "--service", "api"}).exit_code == 64);
  CHECK(run_tool({"doctor", "--output", "nagios"}).exit_code == 64);
  auto bad = run_tool({"doctor", "--url", "ftp://127.0.0.1/metrics"});
  CHECK(bad.exit_code == 3);
  CHECK(has(bad.err, "not http or https"));
}

TEST_CASE("doctor: credentials in the URL are never printed", "[doctor_cli]") {
  auto server = start_python_helper("e2e3d_exporter.py");
  auto url = fmt::format("http://admin:s3cr3t@127.0.0.1:{}/metrics", server.port);
  for (auto format : {"text", "json", "junit"}) {
    auto r = run_tool({"doctor", "--output", format, "--url", url, "--verbose"});
    CHECK_FALSE(has(r.out + r.err, "s3cr3t"));
  }
}

TEST_CASE("doctor: --check selects / --color always colours", "[doctor_cli]") {
  auto r = run_tool({"doctor", "--color", "always", "--check", "exposition.valid", "--file",
                     e2e3d::test::fixture_path("e2e3d_python.txt")});
  CHECK(r.exit_code == 0);
  CHECK(has(r.out, "\033[32m✔\033[0m exposition.valid"));
  CHECK_FALSE(has(r.out, "http.endpoint"));
}
