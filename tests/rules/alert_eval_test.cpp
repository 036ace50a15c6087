#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/rules/alert_eval.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;
using namespace e2e3d::rules;

namespace {

Scrape fixture(const std::string& name) {
  return parse_exposition(test::read_file(test::fixture_path(name)));
}

const RuleResult& rule_named(const RulesReport& report, std::string_view name) {
  for (const auto& r : report.rules) {
    if (r.rule.name == name) return r;
  }
  FAIL("no rule " << name);
  throw std::logic_error("unreachable");
}

constexpr int64_t kTime = 1'795'571'000'000;

}  // namespace

TEST_CASE("the document's rules on the Python client: HighFailureRate can never fire") {
  Scrape scrape = fixture("e2e3d_python.txt");
  RulesReport report = evaluate_rules(scrape, documented_rule_file(), kTime);
  REQUIRE(report.rules.size() == 2);
  const auto& high = rule_named(report, "HighFailureRate");
  CHECK(high.state == AlertState::inactive);
  CHECK_FALSE(high.error);
  CHECK(high.never_fires);
  CHECK(high.missing_names == std::vector<std::string>{"reconstruction_failure"});
  REQUIRE(high.rewritten_expr);
  CHECK(*high.rewritten_expr == "(reconstruction_failure_total / reconstruction_total) > 0.1");
  // 3 failures in 10 jobs: with the exposed names the alert would be pending.
  REQUIRE(high.rewritten_state);
  CHECK(*high.rewritten_state == AlertState::pending);
  REQUIRE(high.rewritten_alerts.size() == 1);
  CHECK(high.rewritten_alerts[0].value == Approx(0.3));
  CHECK(high.rewritten_alerts[0].labels ==
        std::map<std::string, std::string>{{"alertname", "HighFailureRate"},
                                           {"severity", "warning"}});
  CHECK(high.rewritten_alerts[0].annotations.at("summary") == "High job failure rate");

  const auto& active = rule_named(report, "TooManyActiveJobs");
  CHECK(active.state == AlertState::inactive);  // 3 active jobs
  CHECK_FALSE(active.never_fires);
  CHECK(active.missing_names.empty());
  CHECK(report.count(AlertState::pending) == 0);
  CHECK(report.never_firing() == 1);
  CHECK(report.errors() == 0);
}

TEST_CASE("the document's rules on a target with the documented names, overloaded") {
  Scrape scrape = fixture("rules/documented_names_overloaded.txt");
  RulesReport report = evaluate_rules(scrape, documented_rule_file(), kTime);
  const auto& high = rule_named(report, "HighFailureRate");
  CHECK(high.state == AlertState::pending);  // for: 15m not yet observed
  REQUIRE(high.alerts.size() == 1);
  CHECK(high.alerts[0].value == 0.5);
  CHECK_FALSE(high.never_fires);
  const auto& active = rule_named(report, "TooManyActiveJobs");
  CHECK(active.state == AlertState::pending);
  REQUIRE(active.alerts.size() == 1);
  CHECK(active.alerts[0].value == 12);
  // The comparison keeps the metric name, the alert drops it.
  CHECK(active.alerts[0].labels.count("__name__") == 0);
  CHECK(report.count(AlertState::pending) == 2);
}

TEST_CASE("recording rules feed later alerts, for 0 fires at once, templates expand") {
  Scrape scrape = fixture("e2e3d_python.txt");
  RuleFile file = load_rule_file(test::fixture_path("rules/recording_and_alerts.yml"));
  RulesReport report = evaluate_rules(scrape, file, kTime);
  REQUIRE(report.rules.size() == 3);
  CHECK(report.rules[0].recorded_series == 1);
  CHECK(scrape.single_value("e2e3d:failure_ratio") == Approx(0.3));

  const auto& ratio = rule_named(report, "FailureRatioAboveQuarter");
  CHECK(ratio.state == AlertState::firing);
  REQUIRE(ratio.alerts.size() == 1);
  CHECK(ratio.alerts[0].annotations.at("summary") == "Failure ratio 30%");
  CHECK(ratio.alerts[0].labels.at("severity") == "critical");

  const auto& slow = rule_named(report, "SlowJobs");
  CHECK(slow.state == AlertState::firing);
  REQUIRE(slow.alerts.size() == 5);  // jobs 5..9 took 15.5 s to 19.5 s
  std::map<std::string, const Alert*> by_job;
  for (const auto& a : slow.alerts)
    by_job[a.labels.at("job_id")] = &a;
  REQUIRE(by_job.count("job-8"));
  CHECK(by_job["job-8"]->annotations.at("summary") == "Job job-8 took 18.5s");
  CHECK(by_job["job-8"]->annotations.at("description") == "status=failed value=18.50");
  CHECK(by_job["job-8"]->labels.at("team") == "reconstruction");
  CHECK(by_job["job-8"]->labels.at("status") == "failed");
  CHECK(by_job.count("job-4") == 0);
}

TEST_CASE("a rule whose expression does not parse is an error at its place in the file") {
  std::string text =
      "groups:\n  - name: g\n    rules:\n      - alert: Broken\n        expr: sum(up\n";
  RuleFile file = parse_rule_file(text, "broken.yml");
  Scrape scrape = fixture("e2e3d_python.txt");
  try {
    evaluate_rules(scrape, file, kTime);
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK_THAT(e.what(), Catch::StartsWith("broken.yml:5:"));
    CHECK_THAT(e.what(),
               Catch::Contains("group \"g\", rule 1, \"Broken\": could not parse expression"));
    CHECK_THAT(e.what(), Catch::Contains("unclosed left parenthesis"));
  }
}

TEST_CASE("evaluation errors mark the rule, not the run") {
  std::string text =
      "groups:\n  - name: g\n    rules:\n"
      "      - alert: Text\n        expr: '\"a string\"'\n"
      "      - alert: Scalar\n        expr: 1 > bool 0\n"
      "      - alert: Clash\n        expr: e2e3d_job_duration_seconds_total\n"
      "        labels: {job_id: same, status: same}\n";
  Scrape scrape = fixture("e2e3d_python.txt");
  RulesReport report = evaluate_rules(scrape, parse_rule_file(text, "x.yml"), kTime);
  REQUIRE(report.rules.size() == 3);
  REQUIRE(report.rules[0].error);
  CHECK_THAT(*report.rules[0].error, Catch::Contains("rule result is not a vector or scalar"));
  CHECK(report.rules[1].state == AlertState::firing);  // a scalar is one sample without labels
  REQUIRE(report.rules[1].alerts.size() == 1);
  CHECK(report.rules[1].alerts[0].labels ==
        std::map<std::string, std::string>{{"alertname", "Scalar"}});
  REQUIRE(report.rules[2].error);
  CHECK_THAT(*report.rules[2].error, Catch::Contains("same labelset"));
  CHECK(report.errors() == 2);
}
