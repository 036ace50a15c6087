#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/rules/alerts_render.hpp"
#include "e2e3d/rules/check.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;
using namespace e2e3d::rules;

namespace {

constexpr int64_t kTime = 1'795'571'000'123;

Scrape python_scrape() {
  return parse_exposition(test::read_file(test::fixture_path("e2e3d_python.txt")));
}

// Parses XML with Python's ElementTree and prints what the CI system would see.
test::RunResult parse_xml(const std::string& xml) {
  return test::run({"/usr/bin/python3", "-c",
                    "import sys, xml.etree.ElementTree as ET\n"
                    "root = ET.fromstring(sys.stdin.buffer.read())\n"
                    "s = root.find('testsuite')\n"
                    "print(root.tag, s.get('tests'), s.get('failures'), s.get('errors'))\n"
                    "for c in s.findall('testcase'):\n"
                    "    kind = 'failure' if c.find('failure') is not None else "
                    "'error' if c.find('error') is not None else 'pass'\n"
                    "    print(kind, c.get('name'))\n"},
                   {}, xml);
}

}  // namespace

TEST_CASE("check: pass, fail with a name hint, error, and their exit codes") {
  Scrape scrape = python_scrape();
  CheckReport report;
  report.source = "fixture";
  report.checks = check_expressions(
      scrape,
      {"reconstruction_total > 0", "reconstruction_success > 0",
       "sum(reconstruction_total) + on(x) group_left vector(1) * {__name__=~\"e2e3d.*\"}"},
      kTime);
  REQUIRE(report.checks.size() == 3);
  CHECK(report.checks[0].status == CheckStatus::pass);
  CHECK(report.checks[1].status == CheckStatus::fail);
  REQUIRE(report.checks[1].hints.size() == 1);
  CHECK_THAT(report.checks[1].hints[0], Catch::Contains("reconstruction_success_total"));
  CHECK(report.checks[2].status == CheckStatus::error);
  CHECK(report.exit_code() == 3);
  report.checks.pop_back();
  CHECK(report.exit_code() == 2);
  report.checks.pop_back();
  CHECK(report.exit_code() == 0);
  report.target_error = "connection refused";
  CHECK(report.exit_code() == 3);
}

TEST_CASE("check text, JSON and plugin line") {
  Scrape scrape = python_scrape();
  CheckReport report;
  report.source = "fixture";
  report.checks = check_expressions(scrape, {"e2e3d_active_jobs", "reconstruction_failure"}, kTime);
  std::string text = check_text(report);
  CHECK_THAT(text, Catch::Contains("PASS  e2e3d_active_jobs  => e2e3d_active_jobs 3\n"));
  CHECK_THAT(text,
             Catch::Contains("FAIL  reconstruction_failure  => empty result; the target exposes "
                             "no series named reconstruction_failure; it exposes "
                             "reconstruction_failure_total"));
  CHECK_THAT(text, Catch::EndsWith("1 of 2 expressions hold\n"));
  auto j = nlohmann::json::parse(check_json(report));
  CHECK(j["status"] == "fail");
  CHECK(j["exit_code"] == 2);
  CHECK(j["checks"][0]["result"][0]["metric"]["__name__"] == "e2e3d_active_jobs");
  CHECK(j["checks"][0]["result"][0]["value"] == "3");
  CHECK(j["checks"][1]["status"] == "fail");
  CHECK(check_plugin_line(report) ==
        "E2E3D-METRICS CRITICAL - 1 of 2 expressions returned nothing: reconstruction_failure");
}

TEST_CASE("JUnit output is valid XML, escaped, one test case per expression") {
  Scrape scrape = python_scrape();
  CheckReport report;
  report.source = "http://u:<&>@host/metrics";
  report.checks = check_expressions(
      scrape,
      {"reconstruction_total < 100 and reconstruction_total > 0",
       "e2e3d_job_duration_seconds_total{status=\"<&'\\\"\x01>\"}",
       "label_replace(vector(1), \"x\", \"\\xff\", \"\", \"\") / on() group_left vector(1)"},
      kTime);
  std::string xml = check_junit(report);
  auto r = parse_xml(xml);
  INFO(xml << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("testsuites 3 1 "));
  CHECK_THAT(r.out,
             Catch::Contains("pass reconstruction_total < 100 and reconstruction_total > 0"));
  CHECK_THAT(r.out,
             Catch::Contains("failure e2e3d_job_duration_seconds_total{status=\"<&'\\\">\"}"));

  report.target_error = "GET http://localhost:1/metrics: connection refused";
  xml = check_junit(report);
  r = parse_xml(xml);
  INFO(xml << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("testsuites 3 0 3"));
}

TEST_CASE("threshold checks judge each value") {
  Scrape scrape = python_scrape();
  auto warning = parse_range("2");
  auto critical = parse_range("5");
  ThresholdCheck c =
      check_threshold(scrape, "e2e3d_active_jobs", "active", warning, critical, kTime);
  CHECK(c.status == PluginStatus::warning);
  CHECK(threshold_line(c) == "E2E3D-METRICS WARNING - active=3 | active=3;2;5");
  c = check_threshold(scrape, "reconstruction_failure_total / reconstruction_total",
                      "failure_ratio", parse_range("0.2"), parse_range("0.25"), kTime);
  CHECK(c.status == PluginStatus::critical);
  CHECK(c.exit_code() == 2);
  c = check_threshold(scrape, "sum by (status) (e2e3d_job_duration_seconds_total)", "seconds",
                      std::nullopt, parse_range("100"), kTime);
  // completed jobs took 106.5 s in all, failed ones 43.5 s; the values come in the query's
  // order, Prometheus's (the groups as first met in label-set order: job-0 failed).
  CHECK(c.status == PluginStatus::critical);
  REQUIRE(c.values.size() == 2);
  CHECK(c.per_value == std::vector<PluginStatus>{PluginStatus::ok, PluginStatus::critical});
  CHECK(threshold_line(c) ==
        "E2E3D-METRICS CRITICAL - seconds_failed=43.5, seconds_completed=106.5 | "
        "seconds_failed=43.5;;100 seconds_completed=106.5;;100");
  CHECK(c.values[0].label == "seconds_failed");
  CHECK(c.values[1].label == "seconds_completed");
  c = check_threshold(scrape, "reconstruction_failure", "f", std::nullopt, parse_range("1"), kTime);
  CHECK(c.status == PluginStatus::unknown);
  CHECK_THAT(threshold_line(c),
             Catch::StartsWith("E2E3D-METRICS UNKNOWN - `reconstruction_failure` "
                               "returned no value"));
  auto j = nlohmann::json::parse(threshold_json(
      check_threshold(scrape, "e2e3d_active_jobs", "active", std::nullopt, critical, kTime)));
  CHECK(j["status"] == "OK");
  CHECK(j["values"][0]["value"] == "3");
  CHECK(j["warning"].is_null());
  CHECK(j["critical"] == "5");
}

TEST_CASE("alerts JSON is shaped like Prometheus's /api/v1/alerts") {
  Scrape scrape = parse_exposition(
      test::read_file(test::fixture_path("rules/documented_names_overloaded.txt")));
  RulesReport report = evaluate_rules(scrape, documented_rule_file(), kTime);
  auto j = nlohmann::json::parse(alerts_json(report));
  CHECK(j["status"] == "success");
  REQUIRE(j["data"]["alerts"].size() == 2);
  const auto& a = j["data"]["alerts"][0];
  CHECK(a["labels"]["alertname"] == "HighFailureRate");
  CHECK(a["labels"]["severity"] == "warning");
  CHECK(a["state"] == "pending");
  CHECK(a["value"] == "5e-01");
  CHECK(a["activeAt"] == "2026-11-25T01:43:20.123Z");
  CHECK(a["annotations"]["summary"] == "High job failure rate");
  CHECK(j["data"]["alerts"][1]["value"] == "1.2e+01");
  CHECK(j["data"]["groups"][0]["name"] == "E2E3D Alerts");
  CHECK(j["data"]["groups"][0]["rules"][0]["duration"] == 900);
  CHECK(j["exit_code"] == 2);
  CHECK(alerts_exit_code(report) == 2);
  std::string text = alerts_text(report, "the metrics document", "fixture");
  CHECK_THAT(text, Catch::Contains("PENDING   HighFailureRate (for 15m)"));
  CHECK_THAT(text, Catch::Contains("pending {severity=\"warning\"} = 0.5"));
  CHECK_THAT(text, Catch::Contains("Verdict: 2 alert rule(s) would fire (0 firing, 2 pending"));
}

TEST_CASE("alerts text and JSON report a rule that can never fire") {
  Scrape scrape = python_scrape();
  RulesReport report = evaluate_rules(scrape, documented_rule_file(), kTime);
  CHECK(alerts_exit_code(report) == 0);
  std::string text = alerts_text(report, "the metrics document", "fixture");
  CHECK_THAT(text,
             Catch::Contains("NEVER     HighFailureRate (for 15m): can never fire on this target"));
  CHECK_THAT(text, Catch::Contains("not exposed: reconstruction_failure\n"));
  CHECK_THAT(
      text,
      Catch::Contains(
          "with the exposed names: (reconstruction_failure_total / reconstruction_total) > 0.1"));
  CHECK_THAT(text, Catch::Contains("which would be: pending"));
  CHECK_THAT(text, Catch::Contains("Verdict: nothing would fire; 1 rule(s) can never fire"));
  auto j = nlohmann::json::parse(alerts_json(report));
  CHECK(j["data"]["alerts"].empty());
  const auto& rule = j["data"]["groups"][0]["rules"][0];
  CHECK(rule["neverFires"] == true);
  CHECK(rule["missingSeries"][0] == "reconstruction_failure");
  CHECK(rule["rewritten"]["state"] == "pending");
  CHECK(rule["rewritten"]["alerts"][0]["value"] == "3e-01");
}
