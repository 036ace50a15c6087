// exposition.valid, metrics.documented and metrics.sanity on real captures and on small
// expositions that each break one thing.
#include <catch2/catch.hpp>

#include "doctor_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

namespace {

// The service's metrics as the Python client exposes them, with the values given.
std::string service_text(double total, double success, double failure, double active,
                         const std::string& extra = "") {
  return fmt::format(
      "# HELP reconstruction_total Total number of reconstruction jobs processed\n"
      "# TYPE reconstruction_total counter\nreconstruction_total {}\n"
      "# HELP reconstruction_success_total Number of successful reconstruction jobs\n"
      "# TYPE reconstruction_success_total counter\nreconstruction_success_total {}\n"
      "# HELP reconstruction_failure_total Number of failed reconstruction jobs\n"
      "# TYPE reconstruction_failure_total counter\nreconstruction_failure_total {}\n"
      "# HELP e2e3d_active_jobs Number of active reconstruction jobs\n"
      "# TYPE e2e3d_active_jobs gauge\ne2e3d_active_jobs {}\n"
      "# HELP e2e3d_job_duration_seconds_total Total time spent processing jobs\n"
      "# TYPE e2e3d_job_duration_seconds_total counter\n"
      "e2e3d_job_duration_seconds_total{{job_id=\"job-0\",status=\"completed\"}} 10.5\n{}",
      total, success, failure, active, extra);
}

Result check_text(std::string_view id, const std::string& text,
                  const std::function<void(Options&)>& adjust = {}) {
  TempFile file(text);
  auto o = options_for_file(file.path);
  if (adjust) adjust(o);
  return run_check(id, o);
}

}  // namespace

TEST_CASE("exposition.valid: real captures in both formats pass", "[doctor][exposition]") {
  for (auto name : {"e2e3d_python.txt", "e2e3d_python.om.txt"}) {
    auto r = run_check("exposition.valid", options_for_file(fixture_path(name)));
    INFO(name << ": " << r.summary << " " << r.detail);
    CHECK(r.status == Status::pass);
    CHECK(has(r.summary, "families"));
  }
  auto om = run_check("exposition.valid", options_for_file(fixture_path("e2e3d_python.om.txt")));
  CHECK(has(om.summary, "OpenMetrics 1.0"));
}

TEST_CASE("exposition.valid: lint findings are warnings", "[doctor][exposition]") {
  auto r = check_text("exposition.valid",
                      "# TYPE jobs_done counter\njobs_done 3\n# HELP up_now Up.\n"
                      "# TYPE up_now gauge\nup_now 1\n");
  CHECK(r.status == Status::warn);
  CHECK(has(r.detail, "jobs_done: "));
  CHECK(has(r.detail, "[counter_total]"));
  CHECK(has(r.detail, "[help]"));
  auto node = run_check("exposition.valid", options_for_file(fixture_path("node_exporter.txt")));
  CHECK(node.status == Status::warn);
  CHECK(has(node.detail, "node_entropy_available_bits"));
}

TEST_CASE("exposition.valid: a parse error fails with line and column", "[doctor][exposition]") {
  auto r = check_text("exposition.valid", "# TYPE a gauge\na 1\nb{x=\"1\"} one\n");
  CHECK(r.status == Status::fail);
  CHECK(has(r.summary, "line 3, column"));
  CHECK_FALSE(r.fix.empty());
}

TEST_CASE("exposition.valid: an unreadable file fails", "[doctor][exposition]") {
  auto r = run_check("exposition.valid", options_for_file("/nonexistent/metrics.txt"));
  CHECK(r.status == Status::fail);
  CHECK(has(r.detail, "/nonexistent/metrics.txt"));
}

TEST_CASE("metrics.documented: the Python client's _total drift / with the exact fix",
          "[doctor][documented]") {
  auto r = run_check("metrics.documented", options_for_file(fixture_path("e2e3d_python.txt")));
  CHECK(r.status == Status::warn);
  CHECK(has(r.detail, "reconstruction_success is exposed as reconstruction_success_total"));
  CHECK(has(r.detail, "e2e3d_job_duration_seconds is exposed as e2e3d_job_duration_seconds_total"));
  CHECK_FALSE(has(r.detail, "reconstruction_total is exposed"));  // not renamed
  CHECK(has(r.fix, "(reconstruction_success_total / reconstruction_total) * 100"));
  CHECK(has(r.fix, "sum(e2e3d_job_duration_seconds_total) by (status)"));
  CHECK(has(r.fix,
            "alert HighFailureRate: expr: (reconstruction_failure_total / "
            "reconstruction_total) > 0.1"));
  CHECK_FALSE(has(r.fix, "TooManyActiveJobs"));  // its expression needs no change
}

TEST_CASE("metrics.documented: exposed as documented passes", "[doctor][documented]") {
  std::string text =
      "# TYPE reconstruction_total counter\nreconstruction_total 3\n"
      "# TYPE reconstruction_success counter\nreconstruction_success 2\n"
      "# TYPE reconstruction_failure counter\nreconstruction_failure 1\n"
      "# TYPE e2e3d_active_jobs gauge\ne2e3d_active_jobs 0\n"
      "# TYPE e2e3d_job_duration_seconds counter\n"
      "e2e3d_job_duration_seconds{job_id=\"1\",status=\"completed\"} 1\n"
      "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 1\n"
      "# TYPE process_open_fds gauge\nprocess_open_fds 1\n"
      "# TYPE process_max_fds gauge\nprocess_max_fds 1024\n"
      "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes 1\n"
      "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 1\n"
      "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 1\n";
  auto r = check_text("metrics.documented", text);
  INFO(r.detail);
  CHECK(r.status == Status::pass);
}

TEST_CASE("metrics.documented: missing metrics / wrong type / wrong labels fail",
          "[doctor][documented]") {
  auto missing =
      run_check("metrics.documented", options_for_file(fixture_path("node_exporter.txt")));
  CHECK(missing.status == Status::fail);
  CHECK(has(missing.summary, "5 of 5 documented job metrics are not exposed"));

  std::string wrong =
      "# TYPE reconstruction_total gauge\nreconstruction_total 3\n"
      "# TYPE reconstruction_success_total counter\nreconstruction_success_total 2\n"
      "# TYPE reconstruction_failure_total counter\nreconstruction_failure_total 1\n"
      "# TYPE e2e3d_active_jobs gauge\ne2e3d_active_jobs 0\n"
      "# TYPE e2e3d_job_duration_seconds_total counter\n"
      "e2e3d_job_duration_seconds_total{job=\"1\",status=\"completed\"} 1\n";
  auto r = check_text("metrics.documented", wrong);
  CHECK(r.status == Status::fail);
  CHECK(has(r.detail, "reconstruction_total is a gauge, documented as a counter"));
  CHECK(has(r.detail,
            "e2e3d_job_duration_seconds_total has labels {job, status}, documented "
            "{job_id, status}"));
}

TEST_CASE("metrics.sanity: the real capture is consistent", "[doctor][sanity]") {
  auto r = run_check("metrics.sanity", options_for_file(fixture_path("e2e3d_python.txt")));
  INFO(r.detail);
  CHECK(r.status == Status::pass);
  CHECK(has(r.detail, "success 7 + failure 3 <= total 10"));
  CHECK(has(r.detail, "10 job_id values"));
}

TEST_CASE("metrics.sanity: success + failure above total fails", "[doctor][sanity]") {
  auto r = check_text("metrics.sanity", service_text(5, 4, 3, 0));
  CHECK(r.status == Status::fail);
  CHECK(has(r.summary, "success 4 + failure 3 = 7 is more than total 5"));
}

TEST_CASE("metrics.sanity: negative active jobs and negative or NaN counters fail",
          "[doctor][sanity]") {
  auto active = check_text("metrics.sanity", service_text(5, 4, 1, -1));
  CHECK(active.status == Status::fail);
  CHECK(has(active.summary, "e2e3d_active_jobs is -1"));
  auto nan = check_text("metrics.sanity",
                        service_text(5, 4, 1, 0, "# TYPE odd_total counter\nodd_total NaN\n"));
  CHECK(nan.status == Status::fail);
  CHECK(has(nan.summary, "counter odd_total is NaN"));
}

TEST_CASE("metrics.sanity: file descriptors near the limit warn", "[doctor][sanity]") {
  auto r = check_text("metrics.sanity",
                      service_text(5, 4, 1, 0,
                                   "# TYPE process_open_fds gauge\nprocess_open_fds 950\n"
                                   "# TYPE process_max_fds gauge\nprocess_max_fds 1024\n"));
  CHECK(r.status == Status::warn);
  CHECK(has(r.summary, "950 of 1024 file descriptors open (93%)"));
}

TEST_CASE("metrics.sanity: job_id cardinality past the threshold warns with the count",
          "[doctor][sanity]") {
  std::string extra;
  for (int i = 1; i <= 30; ++i) {
    extra += fmt::format(
        "e2e3d_job_duration_seconds_total{{job_id=\"j{}\",status=\"completed\"}} 1\n", i);
  }
  // The extra series belong to the family declared last in service_text.
  auto r = check_text("metrics.sanity", service_text(31, 31, 0, 0, extra),
                      [](Options& o) { o.job_id_series_warn = 20; });
  CHECK(r.status == Status::warn);
  CHECK(has(r.summary, "31 distinct job_id values (threshold 20)"));
  CHECK(has(r.fix, "drop the job_id label"));
  CHECK_FALSE(has(r.fix, "multiprocess"));
}

TEST_CASE("metrics.sanity: counters at zero after a long uptime warn", "[doctor][sanity]") {
  std::string start = "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds 1000\n";
  auto idle = check_text("metrics.sanity", service_text(0, 0, 0, 0, start),
                         [](Options& o) { o.now_unix_seconds = 1000 + 2 * 86400; });
  CHECK(idle.status == Status::warn);
  CHECK(has(idle.summary, "every job counter is 0 after 2.0 days"));
  CHECK(has(idle.fix, "PROMETHEUS_MULTIPROC_DIR"));
  auto fresh = check_text("metrics.sanity", service_text(0, 0, 0, 0, start),
                          [](Options& o) { o.now_unix_seconds = 1000 + 60; });
  CHECK(fresh.status == Status::pass);
}
