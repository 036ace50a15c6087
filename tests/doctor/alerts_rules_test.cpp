#include <catch2/catch.hpp>

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
}  // namespace

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
  // And it divides lifetime totals: the rewrite over a window, with the exposed names.
  CHECK(has(r.detail,
            "HighFailureRate compares lifetime totals of reconstruction_failure_total, "
            "reconstruction_total"));
  CHECK(has(r.fix,
            "alert on a window, not on lifetime totals:\n  HighFailureRate: expr: "
            "sum(rate(reconstruction_failure_total[15m])) / "
            "(sum(rate(reconstruction_total[15m])) > 0) > 0.1"));
  CHECK_FALSE(has(r.detail, "TooManyActiveJobs compares"));
}

TEST_CASE("alerts.rules: the user's rule file that can never fire fails with file:line",
          "[doctor][alerts]") {
  auto r = rules_check("documented.yml");
  CHECK(r.status == Status::fail);
  CHECK(has(r.detail, "documented.yml:4"));
  CHECK(has(r.fix, "reconstruction_failure_total"));
}

TEST_CASE("alerts.rules: each alert's condition is evaluated on the scrape", "[doctor][alerts]") {
  // The capture: 3 of 10 jobs failed, 3 active.
  auto firing = rules_check("fixed.yml");
  INFO(firing.detail);
  CHECK(firing.status == Status::warn);
  CHECK(firing.summary == "1 alert condition(s) hold now: HighFailureRate");
  CHECK(has(firing.detail,
            "HighFailureRate: the condition holds now: value 0.3; fires if it "
            "holds for 15m"));
  CHECK(has(firing.detail, "the condition does not hold now: TooManyActiveJobs"));

  TempFile calm(
      "# TYPE reconstruction_total counter\nreconstruction_total 100\n"
      "# TYPE reconstruction_failure_total counter\nreconstruction_failure_total 2\n"
      "# TYPE e2e3d_active_jobs gauge\ne2e3d_active_jobs 4\n");
  auto o = options_for_file(calm.path);
  o.rules_file = fixture_path("doctor/rules/fixed.yml");
  auto calm_result = run_check("alerts.rules", o);
  INFO(calm_result.detail);
  // Nothing holds now, but HighFailureRate divides lifetime totals: a warning with the rewrite.
  CHECK(calm_result.status == Status::warn);
  CHECK(has(calm_result.summary, "1 alert rule(s) in " + fixture_path("doctor/rules/fixed.yml") +
                                     " compare lifetime counter totals where a rate was meant"));
  CHECK(has(calm_result.detail,
            "the condition does not hold now: HighFailureRate, TooManyActiveJobs"));
  CHECK(has(calm_result.fix,
            "sum(rate(reconstruction_failure_total[15m])) / "
            "(sum(rate(reconstruction_total[15m])) > 0) > 0.1"));

  // The same rules over a window pass.
  TempFile windowed(
      "groups:\n  - name: g\n    rules:\n      - alert: HighFailureRate\n        expr: "
      "sum(rate(reconstruction_failure_total[15m])) / (sum(rate(reconstruction_total[15m])) > 0) "
      "> 0.1\n        for: 15m\n      - alert: TooManyActiveJobs\n        expr: "
      "e2e3d_active_jobs > 10\n",
      ".yml");
  o.rules_file = windowed.path;
  auto pass = run_check("alerts.rules", o);
  INFO(pass.detail);
  CHECK(pass.status == Status::pass);
  CHECK(has(pass.summary, "all 2 rule(s)"));

  // The document's rules are judged with the exposed names, and say so.
  auto documented = rules_check(std::nullopt);
  CHECK(has(documented.detail,
            "HighFailureRate: the condition holds now (with the exposed "
            "names): value 0.3"));
}

TEST_CASE("alerts.rules: a rule that does not parse fails", "[doctor][alerts]") {
  TempFile rules(
      "groups:\n  - name: g\n    rules:\n      - alert: Bad\n        expr: "
      "sum(up\n",
      ".yml");
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.rules_file = rules.path;
  auto r = run_check("alerts.rules", o);
  CHECK(r.status == Status::fail);
  CHECK(has(r.summary, "1 rule(s)"));
  CHECK(has(r.detail, "Bad"));
  CHECK(has(r.detail, "does not parse"));
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
  CHECK(has(r.detail, "one of 'record' or 'alert' must be set"));
}
