#include <catch2/catch.hpp>

#include "e2e3d/catalog.hpp"

using e2e3d::catalog::ResolvedName;
using e2e3d::catalog::rewrite_expression;

namespace {

std::vector<ResolvedName> python_names() {
  return {{"reconstruction_total", std::string("reconstruction_total")},
          {"reconstruction_success", std::string("reconstruction_success_total")},
          {"reconstruction_failure", std::string("reconstruction_failure_total")},
          {"e2e3d_active_jobs", std::string("e2e3d_active_jobs")},
          {"e2e3d_job_duration_seconds", std::string("e2e3d_job_duration_seconds_total")}};
}

}  // namespace

TEST_CASE("the document's queries are rewritten to the Python client's names") {
  auto names = python_names();
  CHECK(rewrite_expression("(reconstruction_success / reconstruction_total) * 100", names) ==
        "(reconstruction_success_total / reconstruction_total) * 100");
  CHECK(rewrite_expression("sum(e2e3d_job_duration_seconds) / count(e2e3d_job_duration_seconds)",
                           names) ==
        "sum(e2e3d_job_duration_seconds_total) / count(e2e3d_job_duration_seconds_total)");
  CHECK(rewrite_expression("sum(e2e3d_job_duration_seconds) by (status)", names) ==
        "sum(e2e3d_job_duration_seconds_total) by (status)");
  CHECK(rewrite_expression("(reconstruction_failure / reconstruction_total) > 0.1", names) ==
        "(reconstruction_failure_total / reconstruction_total) > 0.1");
}

TEST_CASE("only whole metric names are rewritten") {
  auto names = python_names();
  // Longer names, label names, label values, strings and durations stay as written.
  CHECK(rewrite_expression("reconstruction_success_total", names) ==
        "reconstruction_success_total");
  CHECK(rewrite_expression("x{reconstruction_success=\"reconstruction_success\"}", names) ==
        "x{reconstruction_success=\"reconstruction_success\"}");
  CHECK(rewrite_expression("sum by (reconstruction_success) (reconstruction_success)", names) ==
        "sum by (reconstruction_success) (reconstruction_success_total)");
  CHECK(rewrite_expression("label_replace(up, 'a', 'reconstruction_success', '', '')", names) ==
        "label_replace(up, 'a', 'reconstruction_success', '', '')");
  CHECK(rewrite_expression("reconstruction_success * on(reconstruction_failure) 2", names) ==
        "reconstruction_success_total * on(reconstruction_failure) 2");
  CHECK(rewrite_expression("reconstruction_success{status=\"x\"}[5m] offset 1h", names) ==
        "reconstruction_success_total{status=\"x\"}[5m] offset 1h");
}

TEST_CASE("names the target does not expose are left as documented") {
  std::vector<ResolvedName> names{{"reconstruction_success", std::nullopt}};
  CHECK(rewrite_expression("reconstruction_success / 2", names) == "reconstruction_success / 2");
}

TEST_CASE("candidate names add or remove _total, never _created") {
  using e2e3d::catalog::candidate_names;
  CHECK(candidate_names("reconstruction_success") ==
        std::vector<std::string>{"reconstruction_success", "reconstruction_success_total"});
  CHECK(candidate_names("process_cpu_seconds_total") ==
        std::vector<std::string>{"process_cpu_seconds_total", "process_cpu_seconds"});
}
