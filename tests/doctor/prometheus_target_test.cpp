// prometheus.target against a real Prometheus (the Debian package) on loopback, scraping the
// real exporter (target up) and a port where nothing listens (target down).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <thread>

#include "doctor_test_support.hpp"
#include "e2e3d/prometheus_api.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

namespace {

struct TempDir {
  std::string path;
  TempDir() {
    std::string pattern = "/tmp/e2e3d-doctor-prom-XXXXXX";
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// Waits until Prometheus has scraped every target of the config once (health not "unknown").
bool wait_for_scrapes(const std::string& base, size_t targets) {
  FetchOptions options;
  options.timeout_seconds = 1.0;
  PrometheusApi api(base, options);
  for (int i = 0; i < 100; ++i) {
    try {
      size_t known = 0;
      for (const auto& t : api.active_targets())
        known += t.health != "unknown";
      if (known == targets) return true;
    } catch (const FetchError&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace

TEST_CASE("prometheus.target and prometheus.config against a real Prometheus",
          "[doctor][prometheus][live]") {
  auto exporter = e2e3d::test::start_python_helper("e2e3d_exporter.py");
  int closed_port = e2e3d::test::free_port();
  int prometheus_port = e2e3d::test::free_port();
  TempDir dir;
  std::string config = dir.path + "/prometheus.yml";
  {
    std::ofstream(config) << fmt::format(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        "scrape_configs:\n"
        "  - job_name: 'e2e3d'\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n"
        "  - job_name: 'e2e3d-down'\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n",
        exporter.port, closed_port);
  }
  e2e3d::test::ChildProcess prometheus(
      {"/usr/bin/prometheus", "--config.file=" + config,
       fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port),
       "--storage.tsdb.path=" + dir.path + "/data", "--log.level=warn"});
  std::string base = fmt::format("http://127.0.0.1:{}", prometheus_port);
  auto start = std::chrono::steady_clock::now();
  REQUIRE(wait_for_scrapes(base, 2));
  WARN(
      fmt::format("Prometheus ready and scraped in {:.1f} s",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));

  auto options = options_for_url(exporter.url());
  options.prometheus_url = base + "/";

  // One Prometheus for all the cases (no SECTIONs: each would start it again).
  {
    auto r = run_check("prometheus.target", options);
    INFO(r.summary << "\n" << r.detail);
    CHECK(r.status == Status::pass);
    CHECK(r.summary == "1 target(s) of job e2e3d are up");
    CHECK(has(r.detail, fmt::format("http://127.0.0.1:{}/metrics: up", exporter.port)));
  }
  {  // target down: Prometheus's lastError is quoted
    options.job = "e2e3d-down";
    auto r = run_check("prometheus.target", options);
    INFO(r.summary << "\n" << r.detail);
    CHECK(r.status == Status::fail);
    CHECK(has(r.summary, "1 of 1 target(s) of job e2e3d-down are down"));
    CHECK(has(r.detail, "lastError: \""));
    CHECK(has(r.detail, "connection refused"));
    CHECK(has(r.detail, "up{job=\"e2e3d-down\"}: 0 series at 1, 1 at 0"));
  }
  {  // a job Prometheus does not have
    options.job = "reconstruction";
    auto r = run_check("prometheus.target", options);
    CHECK(r.status == Status::fail);
    CHECK(has(r.detail, "e2e3d, e2e3d-down"));
  }
  {  // the same configuration passes prometheus.config
    options.job = "e2e3d";
    options.prometheus_config = config;
    auto r = run_check("prometheus.config", options);
    INFO(r.summary << "\n" << r.detail);
    CHECK(r.status == Status::pass);
    CHECK(has(r.summary, "every 1s (timeout 1s)"));
  }
}

TEST_CASE("prometheus.target: no server at the URL fails saying so", "[doctor][prometheus]") {
  auto options = options_for_url("http://127.0.0.1:9/metrics", 1.0);
  options.prometheus_url = fmt::format("http://127.0.0.1:{}", e2e3d::test::free_port());
  auto r = run_check("prometheus.target", options);
  CHECK(r.status == Status::fail);
  CHECK(has(r.summary, "cannot ask Prometheus"));
}
