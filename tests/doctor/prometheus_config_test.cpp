#include <catch2/catch.hpp>

#include "doctor/duration.hpp"
#include "doctor_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

namespace {
Result config_check(const std::string& name, std::string job = "e2e3d") {
  auto o = options_for_url("http://reconstruction-service:9101/metrics");
  o.prometheus_config = fixture_path("doctor/prometheus/" + name);
  o.job = job;
  return run_check("prometheus.config", o);
}
}  // namespace

TEST_CASE("prometheus.config: the document's job passes", "[doctor][prometheus-config]") {
  auto r = config_check("documented.yml");
  INFO(r.detail);
  CHECK(r.status == Status::pass);
  CHECK(r.summary == "job e2e3d scrapes reconstruction-service:9101 every 15s (timeout 10s)");
}

TEST_CASE("prometheus.config: the common mistakes are named", "[doctor][prometheus-config]") {
  auto url = config_check("url_in_target.yml");
  CHECK(url.status == Status::fail);
  CHECK(has(url.summary, "contains a URL scheme"));
  CHECK(has(url.summary, "write `reconstruction-service:9101`"));
  CHECK(has(url.detail, "url_in_target.yml:4"));

  auto port = config_check("wrong_port.yml");
  CHECK(port.status == Status::fail);
  CHECK(has(port.summary, "uses port 8000: the metrics server listens on 9101"));

  auto missing = config_check("missing_job.yml");
  CHECK(missing.status == Status::fail);
  CHECK(has(missing.summary, "no job named e2e3d"));
  CHECK(has(missing.detail, "jobs in"));
  CHECK(has(missing.fix, "job_name: 'e2e3d'"));
  CHECK(has(missing.fix, "targets: ['reconstruction-service:9101']"));

  auto renamed = config_check("renamed_job.yml");
  CHECK(renamed.status == Status::fail);
  CHECK(has(renamed.fix, "--job reconstruction"));
  CHECK(config_check("renamed_job.yml", "reconstruction").status == Status::pass);

  auto timeout = config_check("timeout_over_interval.yml");
  CHECK(timeout.status == Status::fail);
  CHECK(has(timeout.summary, "scrape_timeout 20s is longer than scrape_interval 15s"));

  auto path = config_check("wrong_path.yml");
  CHECK(path.status == Status::fail);
  CHECK(has(path.summary, "metrics_path /prometheus but the metrics are at /metrics"));
}

TEST_CASE("prometheus.config: service discovery warns / broken YAML fails with its place",
          "[doctor][prometheus-config]") {
  auto sd = config_check("service_discovery.yml");
  CHECK(sd.status == Status::warn);
  CHECK(has(sd.summary, "docker_sd_configs"));
  auto broken = config_check("broken.yml");
  CHECK(broken.status == Status::fail);
  CHECK(has(broken.detail, "broken.yml:"));
  auto unreadable = config_check("nonexistent.yml");
  CHECK(unreadable.status == Status::fail);
}

TEST_CASE("prometheus.config: skipped without the flag", "[doctor][prometheus-config]") {
  auto r = run_check("prometheus.config", options_for_url("http://127.0.0.1:9101/metrics"));
  CHECK(r.status == Status::skip);
  CHECK(has(r.summary, "--prometheus-config FILE"));
}

TEST_CASE("prometheus durations", "[doctor][prometheus-config]") {
  CHECK(parse_prometheus_duration("15s") == 15);
  CHECK(parse_prometheus_duration("1m30s") == 90);
  CHECK(parse_prometheus_duration("500ms") == Approx(0.5));
  CHECK(parse_prometheus_duration("1h") == 3600);
  CHECK_FALSE(parse_prometheus_duration("15"));
  CHECK_FALSE(parse_prometheus_duration("1x"));
  CHECK(format_duration(90) == "1m30s");
  CHECK(format_duration(15) == "15s");
}
