#include <catch2/catch.hpp>

#include <string>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "rules/temp_dir.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;
using namespace e2e3d::rules;

namespace {

// The message of the ParseError that parsing `text` throws.
std::string error_of(const std::string& text) {
  try {
    parse_rule_file(text, "rules.yml");
  } catch (const ParseError& e) {
    return e.what();
  }
  FAIL("the rule file was accepted:\n" << text);
  return {};
}

}  // namespace

TEST_CASE("a rule file with recording and alerting rules") {
  auto promtool = test::run({"/usr/bin/promtool", "check", "rules",
                             test::fixture_path("rules/recording_and_alerts.yml")});
  CHECK(promtool.exit_code == 0);  // a file Prometheus accepts
  RuleFile file = load_rule_file(test::fixture_path("rules/recording_and_alerts.yml"));
  REQUIRE(file.groups.size() == 1);
  const RuleGroup& g = file.groups[0];
  CHECK(g.name == "e2e3d-recorded");
  CHECK(g.interval_text == "30s");
  REQUIRE(g.rules.size() == 3);
  CHECK(file.rule_count() == 3);
  CHECK(g.rules[0].kind == RuleKind::recording);
  CHECK(g.rules[0].name == "e2e3d:failure_ratio");
  CHECK(g.rules[0].expr == "reconstruction_failure_total / reconstruction_total");
  CHECK(g.rules[0].expr_position.line == 7);
  CHECK(g.rules[0].expr_position.column == 15);
  CHECK(g.rules[1].kind == RuleKind::alerting);
  CHECK(g.rules[1].for_ms == 0);
  CHECK(g.rules[1].labels.at("severity") == "critical");
  CHECK(g.rules[2].for_text == "0s");
  CHECK(g.rules[2].labels.size() == 2);
  CHECK(g.rules[2].annotations.at("description") ==
        "status={{ $labels.status }} value={{ printf \"%.2f\" $value }}");
}

TEST_CASE("the documented rules, as written and rewritten") {
  RuleFile file = documented_rule_file();
  REQUIRE(file.groups.size() == 1);
  CHECK(file.groups[0].name == "E2E3D Alerts");
  REQUIRE(file.rule_count() == 2);
  const Rule& high = file.groups[0].rules[0];
  CHECK(high.name == "HighFailureRate");
  CHECK(high.expr == "(reconstruction_failure / reconstruction_total) > 0.1");
  CHECK(high.for_ms == 15 * 60 * 1000);
  std::vector<catalog::ResolvedName> names = {
      {"reconstruction_failure", "reconstruction_failure_total"},
      {"reconstruction_total", "reconstruction_total"}};
  CHECK(documented_rule_file(names).groups[0].rules[0].expr ==
        "(reconstruction_failure_total / reconstruction_total) > 0.1");
}

TEST_CASE("empty rule files hold no rules, as in Prometheus") {
  CHECK(parse_rule_file("", "x").rule_count() == 0);
  CHECK(parse_rule_file("groups:\n", "x").rule_count() == 0);
  CHECK(parse_rule_file("groups:\n  - name: g\n    rules: []\n", "x").groups.size() == 1);
}

TEST_CASE("rule files Prometheus rejects are rejected with place and fix") {
  struct Case {
    const char* text;
    const char* expected;  // part of the message
  };
  const Case cases[] = {
      {"groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        bogus: 1\n",
       "rules.yml:6:9: group \"g\", rule 1: unknown field 'bogus' in a rule"},
      {"groups:\n  - name: g\n    rules:\n      - alert: A\n        record: b\n        expr: up\n",
       "only one of 'record' and 'alert' must be set"},
      {"groups:\n  - name: g\n    rules:\n      - expr: up\n",
       "one of 'record' or 'alert' must be set"},
      {"groups:\n  - name: g\n    rules:\n      - alert: A\n", "field 'expr' must be set"},
      {"groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n        for: 5m\n",
       "rules.yml:6:14: group \"g\", rule 1, \"r\": invalid field 'for' in recording rule"},
      {"groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n        "
       "annotations: "
       "{a: b}\n",
       "invalid field 'annotations' in recording rule"},
      {"groups:\n  - name: g\n    rules:\n      - record: 'bad name'\n        expr: up\n",
       "invalid recording rule name: bad name"},
      {"groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 1.5m\n",
       "rules.yml:6:14: group \"g\", rule 1, \"A\": not a valid duration string for 'for': "
       "\"1.5m\""},
      {"groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: "
       "{bad-label: x}\n",
       "invalid label name: bad-label"},
      {"groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n",
       "rules.yml:4:5: groupname: \"g\" is repeated in the same file"},
      {"groups:\n  - rules: []\n", "Groupname must not be empty"},
      {"groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        expr: down\n",
       "field 'expr' is repeated"},
      {"group:\n  - name: g\n", "unknown field 'group' in the rule file"},
      {"groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: [up]\n",
       "'expr' must be a string"},
      {"groups: [\n", "rules.yml:2:1: YAML syntax error"},
      {"groups:\n  - name: g\n    interval: 1x\n", "not a valid duration string: \"1x\""},
  };
  test::TempDir dir;
  for (const auto& c : cases) {
    // Prometheus itself must reject the same file, or this reader would be stricter than it.
    auto promtool = test::run({"/usr/bin/promtool", "check", "rules", dir.write("r.yml", c.text)});
    CHECK(promtool.exit_code != 0);
    std::string message = error_of(c.text);
    INFO(c.text);
    CHECK_THAT(message, Catch::Contains(c.expected));
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find("; ") != std::string::npos);  // a fix follows the problem
  }
}

TEST_CASE("an unreadable rule file is an io error naming the path") {
  try {
    load_rule_file("/nonexistent/rules.yml");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::io);
    CHECK_THAT(e.what(), Catch::Contains("/nonexistent/rules.yml"));
  }
}
