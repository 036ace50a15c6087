#include <catch2/catch.hpp>

#include <filesystem>

#include "doctor/duration.hpp"
#include "doctor_test_support.hpp"
#include "e2e3d/prometheus_config.hpp"

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
  INFO(url.summary << "\n" << url.detail << "\n" << url.fix);
  CHECK(url.status == Status::fail);
  CHECK(has(url.summary, "\"http://reconstruction-service:9101/metrics\" is not a valid hostname"));
  CHECK(has(url.fix, "targets: ['reconstruction-service:9101']"));
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
  CHECK(
      has(timeout.summary,
          "scrape timeout greater than scrape interval for scrape config with job name \"e2e3d\""));

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

TEST_CASE("prometheus.config: Prometheus's defaults and refusals", "[doctor][prometheus-config]") {
  auto corpus = [](const std::string& name, const std::string& url) {
    auto o = options_for_url(url);
    o.prometheus_config = fixture_path("prometheus/corpus/" + name);
    return run_check("prometheus.config", o);
  };
  // A global scrape_interval of 5s makes the default scrape_timeout 5s, not 10s.
  auto fast = corpus("ok_global_5s.yml", "http://127.0.0.1:9101/metrics");
  INFO(fast.summary << "\n" << fast.detail);
  CHECK(fast.status == Status::pass);
  CHECK(has(fast.summary, "every 5s (timeout 5s)"));
  // promtool's own words for a URL written as a target, and the corrected target as the fix.
  auto url = corpus("bad_url_in_target.yml", "http://127.0.0.1:9101/metrics");
  INFO(url.summary << "\n" << url.detail << "\n" << url.fix);
  CHECK(url.status == Status::fail);
  CHECK(has(url.summary, "\"127.0.0.1:9101/metrics\" is not a valid hostname"));
  CHECK(has(url.fix, "targets: ['127.0.0.1:9101']"));
  auto label = corpus("bad_label_name.yml", "http://127.0.0.1:9101/metrics");
  CHECK(label.status == Status::fail);
  CHECK(has(label.summary, "is not a valid label name"));
}

// The corpus test of src/promconfig compares every file with the real promtool; here doctor's
// verdict is held to the same loader: it fails, saying Prometheus refuses the file, exactly
// where promtool does, and never says so of a file promtool accepts.
TEST_CASE("prometheus.config: refuses exactly the corpus files promtool refuses",
          "[doctor][prometheus-config]") {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(fixture_path("prometheus/corpus"))) {
    if (entry.path().extension() != ".yml") continue;
    ++files;
    std::string path = entry.path().string();
    auto loaded = promconfig::check_config_file(path);
    auto o = options_for_url("http://127.0.0.1:9101/metrics");
    o.prometheus_config = path;
    auto r = run_check("prometheus.config", o);
    INFO(path << ": " << r.summary);
    CHECK(has(r.summary, "Prometheus refuses") == loaded.refusal.has_value());
    if (loaded.refusal) CHECK(r.status == Status::fail);
  }
  CHECK(files >= 30);
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
