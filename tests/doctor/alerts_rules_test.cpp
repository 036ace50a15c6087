#include <catch2/catch.hpp>

#include "doctor/expression_names.hpp"
#include "doctor_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

namespace {
Result rules_check(std::optional<std::string> rules,
                   const std::string& scrape = "e2e3d_python.txt") {
  auto o = options_for_file(fixture_path(scrape));
  if (rules) o.rules_file = fixture_path("doctor/rules/" + *rules);
  return run_check("alerts.rules", o);
}
using Names = std::vector<std::string>;
}  // namespace

TEST_CASE("expression names: selectors only", "[doctor][alerts]") {
  CHECK(expression_metric_names("(reconstruction_failure / reconstruction_total) > 0.1") ==
        Names{"reconstruction_failure", "reconstruction_total"});
  CHECK(expression_metric_names("sum(e2e3d_job_duration_seconds) by (status)") ==
        Names{"e2e3d_job_duration_seconds"});
  CHECK(
      expression_metric_names("sum by (job_id) (rate(x_total{status=\"failed\"}[5m] offset 1h))") ==
      Names{"x_total"});
  CHECK(expression_metric_names("a / on(instance) group_left(version) b unless c") ==
        Names{"a", "b", "c"});
  CHECK(expression_metric_names("{__name__=\"up\", job=\"e2e3d\"} == 0") == Names{"up"});
  CHECK(expression_metric_names("label_replace(up, \"x\", \"$1\", \"job\", \"(.*)\") > 1e3") ==
        Names{"up"});
}

TEST_CASE("alerts.rules: the document's rules can never fire on the Python client",
          "[doctor][alerts]") {
  auto r = rules_check(std::nullopt);
  CHECK(r.status == Status::warn);  // the document's rules: the user may not have deployed them
  CHECK(has(r.summary, "1 of 2 rule(s) in the document's alert rules can never fire"));
  CHECK(has(r.detail,
            "HighFailureRate can never fire: reconstruction_failure is not exposed (it "
            "is reconstruction_failure_total)"));
  CHECK(has(r.detail, "TooManyActiveJobs"));
  CHECK(has(r.fix,
            "HighFailureRate: expr: (reconstruction_failure_total / reconstruction_total) "
            "> 0.1"));
}

TEST_CASE("alerts.rules: the user's rule file that can never fire fails with file:line",
          "[doctor][alerts]") {
  auto r = rules_check("documented.yml");
  CHECK(r.status == Status::fail);
  CHECK(has(r.detail, "documented.yml:4"));
  CHECK(has(r.fix, "reconstruction_failure_total"));
  auto fixed = rules_check("fixed.yml");
  INFO(fixed.detail);
  CHECK(fixed.status == Status::pass);
  CHECK(has(fixed.summary, "all 2 rule(s)"));
}

TEST_CASE("alerts.rules: absent() and `or` are not 'can never fire'", "[doctor][alerts]") {
  auto r = rules_check("special.yml");
  CHECK(r.status == Status::warn);
  CHECK(has(r.detail, "EitherSide"));
  CHECK(has(r.detail, "e2e3d_queue_length is not exposed"));
  CHECK_FALSE(has(r.detail, "MetricsGone can never fire"));
  CHECK_FALSE(has(r.detail, "never fire"));
}

TEST_CASE("alerts.rules: a malformed rule file fails with its place", "[doctor][alerts]") {
  auto r = rules_check("broken.yml");
  CHECK(r.status == Status::fail);
  CHECK(has(r.detail, "broken.yml:4:"));
  CHECK(has(r.detail, "without alert: or record:"));
}
