// `generate rules --window`: rules over a window, and the promtool tests that prove what they do
// (and that a rule dividing lifetime totals fails them).
#include <catch2/catch.hpp>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/duration.hpp"
#include "e2e3d/rules/generate.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "e2e3d/rules/windowed.hpp"
#include "rules/temp_dir.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;
using namespace e2e3d::rules;

namespace {

test::RunResult promtool_test_rules(const test::TempDir& dir, const std::string& rules,
                                    const std::string& tests) {
  dir.write("e2e3d-rules.yml", rules);
  return test::run(
      {"/usr/bin/promtool", "test", "rules", dir.write("e2e3d-rules.test.yml", tests)});
}

}  // namespace

TEST_CASE("windowed HighFailureRate divides rates, guarded against an idle window") {
  std::string text = rules_yaml(python_client_names(), "test", 15 * 60'000);
  CHECK_THAT(text, Catch::Contains("expr: sum(rate(reconstruction_failure_total[15m])) / "
                                   "(sum(rate(reconstruction_total[15m])) > 0) > 0.1"));
  CHECK_THAT(text, Catch::Contains("over the last 15m ({{ $value | humanizePercentage }})"));
  CHECK_THAT(text, Catch::Contains("Over the last 15m, not since the process started"));
  CHECK_THAT(text, Catch::Contains("expr: e2e3d_active_jobs > 10"));  // a gauge: unchanged
  RuleFile file = parse_rule_file(text, "rules.yml");
  REQUIRE(file.rule_count() == 2);
  CHECK(file.groups[0].rules[0].for_text == "15m");
  CHECK_THAT(rules_yaml(documented_names(), "test", 3'600'000),
             Catch::Contains("sum(rate(reconstruction_failure[1h])) / "
                             "(sum(rate(reconstruction_total[1h])) > 0) > 0.1"));
}

TEST_CASE("windowed rules and their tests pass promtool for short and long windows") {
  test::TempDir dir;
  for (const char* window : {"1m", "90s", "5m", "15m", "1h"}) {
    for (const auto& names : {documented_names(), python_client_names()}) {
      int64_t ms = *parse_duration(window);
      std::string rules = rules_yaml(names, "test", ms);
      auto check = test::run({"/usr/bin/promtool", "check", "rules", dir.write("r.yml", rules)});
      INFO(window << "\n" << rules << check.out << check.err);
      CHECK(check.exit_code == 0);
      std::string tests = rule_tests_yaml(names, "e2e3d-rules.yml", ms);
      auto r = promtool_test_rules(dir, rules, tests);
      INFO(tests << r.out << r.err);
      CHECK(r.exit_code == 0);
      CHECK_THAT(r.out, Catch::Contains("SUCCESS"));
    }
  }
}

TEST_CASE("the windowed tests fail the document's rule on lifetime totals, each story its way") {
  // The document's HighFailureRate, names fixed, against the stories: a burst on an old process
  // never fires, an idle process that once failed half its jobs fires, a bad start never clears.
  test::TempDir dir;
  const int64_t window = 15 * 60'000;
  auto r = promtool_test_rules(dir, rules_yaml(python_client_names(), "lifetime"),
                               rule_tests_yaml(python_client_names(), "e2e3d-rules.yml", window));
  INFO(r.out << r.err);
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.err, Catch::Contains("fires on a fresh burst on an old process"));
  CHECK_THAT(r.err, Catch::Contains("an old process that once failed half its jobs is idle"));
  CHECK_THAT(r.err, Catch::Contains("clears after a bad start"));
  CHECK_THAT(r.err, !Catch::Contains("a fresh process is idle"));  // 0/0 is quiet either way
  CHECK_THAT(r.err, !Catch::Contains("TooManyActiveJobs"));
}

TEST_CASE("a rate window shorter than a minute is refused with the fix") {
  CHECK_THROWS_WITH(rules_yaml(python_client_names(), "x", 30'000),
                    Catch::Contains("--window 30s is too short") && Catch::Contains("1m or more"));
  CHECK_THROWS_AS(rule_tests_yaml(python_client_names(), "x", 59'999), Error);
}
