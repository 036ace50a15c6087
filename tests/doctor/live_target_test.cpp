// The checks against real processes on loopback: the real Python exporter with and without
// ENABLE_METRICS, misbehaving HTTP servers, a server that never answers, and nothing at all.
#include <catch2/catch.hpp>

#include <chrono>

#include "doctor_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;
using e2e3d::test::start_python_helper;

namespace {

std::string describe(const Report& report) {
  std::string out;
  for (const auto& r : report.results) {
    out += fmt::format("{} {}: {}\n", status_name(r.status), r.id, r.summary);
  }
  return out;
}

}  // namespace

TEST_CASE("live: the real exporter with ENABLE_METRICS=true", "[doctor][live]") {
  auto server = start_python_helper("e2e3d_exporter.py", {"--require-enable-metrics"},
                                    {"ENABLE_METRICS=True"});
  auto report = run(options_for_url(server.url()));
  INFO(describe(report));
  const auto& env = by_id(report, "env.enable_metrics");
  CHECK(env.status == Status::pass);
  CHECK(has(env.summary, fmt::format("/proc/{}/environ", server.process->pid())));
  const auto& process = by_id(report, "process.metrics_server");
  CHECK(process.status == Status::pass);
  CHECK(has(process.summary,
            fmt::format("PID {} listens on port {}", server.process->pid(), server.port)));
  CHECK(has(process.summary, "e2e3d_exporter.py"));
  const auto& port = by_id(report, "port.listening");
  CHECK(port.status == Status::warn);  // the helper binds 127.0.0.1 only
  CHECK(has(port.summary, "loopback only (127.0.0.1:"));
  CHECK(has(port.fix, "0.0.0.0"));
  const auto& http = by_id(report, "http.endpoint");
  CHECK(http.status == Status::pass);
  CHECK(has(http.summary, "HTTP 200"));
  CHECK(by_id(report, "exposition.valid").status == Status::pass);
  CHECK(by_id(report, "metrics.documented").status == Status::warn);
  CHECK(by_id(report, "metrics.sanity").status == Status::pass);
  CHECK(report.exit_code == 1);
}

TEST_CASE("live: a healthy run on loopback takes under 100 ms", "[doctor][live][timing]") {
  auto server = start_python_helper("e2e3d_exporter.py", {}, {"ENABLE_METRICS=true"});
  run(options_for_url(server.url()));  // warm up the exporter's first response
  double best = 1e9;
  for (int i = 0; i < 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto report = run(options_for_url(server.url()));
    best = std::min(
        best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    REQUIRE(by_id(report, "http.endpoint").status == Status::pass);
  }
  WARN(fmt::format("healthy doctor run on loopback: {:.1f} ms (best of 3)", best * 1000));
  CHECK(best < 0.100);
}

TEST_CASE("live: the exporter without ENABLE_METRICS: env / process / port and http all say so",
          "[doctor][live]") {
  auto idle = start_python_helper("e2e3d_exporter.py", {"--require-enable-metrics"});
  REQUIRE(idle.port == 0);  // it serves nothing, as the service does
  int port = e2e3d::test::free_port();
  auto o = options_for_url(fmt::format("http://127.0.0.1:{}/metrics", port));
  o.pid = idle.process->pid();
  auto report = run(o);
  INFO(describe(report));
  const auto& env = by_id(report, "env.enable_metrics");
  CHECK(env.status == Status::fail);
  CHECK(has(env.summary, "ENABLE_METRICS is not set"));
  CHECK(has(env.detail, fmt::format("/proc/{}/environ", idle.process->pid())));
  const auto& process = by_id(report, "process.metrics_server");
  CHECK(process.status == Status::fail);
  CHECK(has(process.detail, fmt::format("PID {}:", idle.process->pid())));
  CHECK(has(process.fix, "ENABLE_METRICS=true"));
  CHECK(by_id(report, "port.listening").status == Status::fail);
  const auto& http = by_id(report, "http.endpoint");
  CHECK(http.status == Status::fail);
  CHECK(has(http.summary, "connection refused"));
  CHECK(by_id(report, "exposition.valid").status == Status::skip);
  CHECK(by_id(report, "metrics.documented").status == Status::skip);
  CHECK(report.exit_code == 2);
}

TEST_CASE("live: a server answering 404 names the wrong path or another service",
          "[doctor][live]") {
  auto server = start_python_helper("doctor_http_server.py", {"--mode", "not-found"});
  auto report = run(options_for_url(server.url()));
  INFO(describe(report));
  const auto& http = by_id(report, "http.endpoint");
  CHECK(http.status == Status::fail);
  CHECK(has(http.summary, "HTTP 404"));
  CHECK(has(http.fix, "wrong path"));
  CHECK(has(http.fix, "another service"));
  // The process on the port is shown, so the operator sees which service it is.
  CHECK(has(by_id(report, "process.metrics_server").summary, "doctor_http_server.py"));
  CHECK(report.exit_code == 2);
}

TEST_CASE("live: a server answering HTML is not the metrics server", "[doctor][live]") {
  auto server = start_python_helper("doctor_http_server.py", {"--mode", "html"});
  auto report = run(options_for_url(server.url()));
  const auto& http = by_id(report, "http.endpoint");
  INFO(http.summary << "\n" << http.detail);
  CHECK(http.status == Status::fail);
  CHECK(has(http.summary, "HTML"));
  CHECK(has(http.fix, "another service"));
}

TEST_CASE("live: a server that accepts and never answers: the run ends at the timeout",
          "[doctor][live]") {
  // What the other checks cost on this machine, measured against a port that refuses at once:
  // the bound is on the wait, not on the machine's speed.
  auto timed_run = [](const auto& options) {
    auto start = std::chrono::steady_clock::now();
    auto report = run(options);
    return std::pair{
        std::move(report),
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  };
  double baseline =
      timed_run(options_for_url(
                    fmt::format("http://127.0.0.1:{}/metrics", e2e3d::test::free_port()), 1.0))
          .second;
  auto server = start_python_helper("doctor_http_server.py", {"--mode", "silent"});
  auto [report, seconds] = timed_run(options_for_url(server.url(), 1.0));
  INFO(describe(report) << "\nbaseline (refused port): " << baseline << " s");
  CHECK(seconds < baseline + 1.5);
  CHECK(seconds > 0.9);
  const auto& http = by_id(report, "http.endpoint");
  CHECK(http.status == Status::fail);
  CHECK((has(http.summary, "no answer") || has(http.summary, "did not finish")));
  CHECK(by_id(report, "port.listening").status == Status::warn);  // it does listen
}

TEST_CASE("live: nothing listening", "[doctor][live]") {
  int port = e2e3d::test::free_port();
  auto report = run(options_for_url(fmt::format("http://127.0.0.1:{}/metrics", port)));
  INFO(describe(report));
  CHECK(by_id(report, "port.listening").status == Status::fail);
  CHECK(has(by_id(report, "port.listening").summary,
            fmt::format("nothing listens on port {}", port)));
  CHECK(by_id(report, "http.endpoint").status == Status::fail);
  CHECK(by_id(report, "process.metrics_server").status == Status::fail);
  CHECK(report.exit_code == 2);
}

TEST_CASE("live: a host that is not this machine skips the local checks", "[doctor][live]") {
  // 192.0.2.0/24 is TEST-NET-1: never assigned, never routed. The fetch is not made: only the
  // local checks run.
  auto o = options_for_url("http://192.0.2.1:9101/metrics", 0.5);
  o.only = {"port.listening", "process.metrics_server"};
  auto report = run(o);
  for (const auto& r : report.results) {
    CHECK(r.status == Status::skip);
    CHECK(has(r.summary, "192.0.2.1 is not this machine"));
  }
}
