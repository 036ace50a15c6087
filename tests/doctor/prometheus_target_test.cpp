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
  // Two real exporters: job e2e3d scrapes the first by its address, job service the second by
  // a loopback alias; a third port is scraped by nobody.
  auto exporter = e2e3d::test::start_python_helper("e2e3d_exporter.py");
  auto other = e2e3d::test::start_python_helper("e2e3d_exporter.py");
  int closed_port = e2e3d::test::free_port();
  int unscraped_port = e2e3d::test::free_port();
  int prometheus_port = e2e3d::test::free_port();
  TempDir dir;
  std::string config = dir.path + "/prometheus.yml";
  {
    std::ofstream(config) << fmt::format(
        "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        "scrape_configs:\n"
        "  - job_name: 'e2e3d'\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n"
        "  - job_name: 'e2e3d-down'\n    static_configs:\n      - targets: ['127.0.0.1:{}']\n"
        "  - job_name: 'service'\n    static_configs:\n      - targets: ['localhost:{}']\n",
        exporter.port, closed_port, other.port);
  }
  e2e3d::test::ChildProcess prometheus(
      {"/usr/bin/prometheus", "--config.file=" + config,
       fmt::format("--web.listen-address=127.0.0.1:{}", prometheus_port),
       "--storage.tsdb.path=" + dir.path + "/data", "--log.level=warn"});
  std::string base = fmt::format("http://127.0.0.1:{}", prometheus_port);
  auto start = std::chrono::steady_clock::now();
  REQUIRE(wait_for_scrapes(base, 3));
  WARN(
      fmt::format("Prometheus ready and scraped in {:.1f} s",
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));

  // One Prometheus for all the cases (no SECTIONs: each would start it again).
  auto with_url = [&](const std::string& url, const std::string& job) {
    auto options = options_for_url(url);
    options.prometheus_url = base + "/";
    options.job = job;
    return options;
  };
  {  // the target, named by a loopback alias of the address Prometheus scrapes
    auto r =
        run_check("prometheus.target",
                  with_url(fmt::format("http://localhost:{}/metrics", exporter.port), "e2e3d"));
    INFO(r.summary << "\n" << r.detail);
    CHECK(r.status == Status::pass);
    CHECK(r.summary ==
          fmt::format("1 target(s) of job e2e3d for localhost:{} are up", exporter.port));
    CHECK(has(r.detail, fmt::format("http://127.0.0.1:{}/metrics: up", exporter.port)));
  }
  {  // the job is up, but it scrapes another server than the one diagnosed: not a pass
    auto r =
        run_check("prometheus.target",
                  with_url(fmt::format("http://127.0.0.1:{}/metrics", unscraped_port), "e2e3d"));
    INFO(r.summary << "\n" << r.detail << "\n" << r.fix);
    CHECK(r.status == Status::fail);
    CHECK(r.summary == fmt::format("job e2e3d does not scrape 127.0.0.1:{}: its target(s) are "
                                   "http://127.0.0.1:{}/metrics",
                                   unscraped_port, exporter.port));
    CHECK(has(r.fix, fmt::format("'127.0.0.1:{}'", unscraped_port)));
  }
  {  // another job scrapes the URL: name it, suggest --job, never "add the job"
    auto r = run_check("prometheus.target",
                       with_url(fmt::format("http://127.0.0.1:{}/metrics", other.port), "e2e3d"));
    INFO(r.summary << "\n" << r.detail << "\n" << r.fix);
    CHECK(r.status == Status::fail);
    CHECK(r.summary ==
          fmt::format("Prometheus scrapes 127.0.0.1:{} as job service, not as job e2e3d",
                      other.port));
    CHECK(has(r.fix, "pass --job service"));
    CHECK_FALSE(has(r.fix, "add the job"));
    // ... and following the fix makes the check pass.
    auto fixed =
        run_check("prometheus.target",
                  with_url(fmt::format("http://127.0.0.1:{}/metrics", other.port), "service"));
    INFO(fixed.summary << "\n" << fixed.detail);
    CHECK(fixed.status == Status::pass);
  }
  {  // target down: Prometheus's lastError is quoted
    auto r =
        run_check("prometheus.target",
                  with_url(fmt::format("http://127.0.0.1:{}/metrics", closed_port), "e2e3d-down"));
    INFO(r.summary << "\n" << r.detail);
    CHECK(r.status == Status::fail);
    CHECK(has(r.summary, "1 of 1 target(s) of job e2e3d-down"));
    CHECK(has(r.summary, "are down"));
    CHECK(has(r.detail, "lastError: \""));
    CHECK(has(r.detail, "connection refused"));
    CHECK(has(r.detail, "up{job=\"e2e3d-down\"}: 0 series at 1, 1 at 0"));
  }
  {  // a job Prometheus does not have, and no job scraping the URL
    auto r = run_check(
        "prometheus.target",
        with_url(fmt::format("http://127.0.0.1:{}/metrics", unscraped_port), "reconstruction"));
    CHECK(r.status == Status::fail);
    CHECK(has(r.summary, "no target for job reconstruction"));
    CHECK(has(r.detail, "e2e3d, e2e3d-down, service"));
  }
  {  // the same configuration passes prometheus.config, which sees what Prometheus loaded
    auto options = with_url(exporter.url(), "e2e3d");
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
