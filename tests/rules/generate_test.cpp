#include <catch2/catch.hpp>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/generate.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "rules/temp_dir.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;
using namespace e2e3d::rules;

namespace {

const char* kPromtool = "/usr/bin/promtool";

test::RunResult promtool(std::vector<std::string> args) {
  args.insert(args.begin(), kPromtool);
  return test::run(args);
}

}  // namespace

TEST_CASE("generated prometheus.yml passes promtool check config") {
  test::TempDir dir;
  ScrapeConfigOptions options;
  std::string config = prometheus_config_yaml(options);
  CHECK_THAT(config, Catch::Contains("job_name: e2e3d"));
  CHECK_THAT(config, Catch::Contains("scrape_interval: 15s"));
  CHECK_THAT(config, Catch::Contains("- reconstruction-service:9101"));
  auto r = promtool({"check", "config", dir.write("prometheus.yml", config)});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);

  options.job = "e2e3d-staging";
  options.target = "10.0.0.7:9101";
  options.interval = "30s";
  options.rule_files = {"e2e3d-rules.yml"};
  dir.write("e2e3d-rules.yml", rules_yaml(python_client_names(), "Python client"));
  config = prometheus_config_yaml(options);
  CHECK_THAT(config, Catch::Contains("job_name: e2e3d-staging"));
  CHECK_THAT(config, Catch::Contains("- 10.0.0.7:9101"));
  r = promtool({"check", "config", dir.write("prometheus.yml", config)});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("1 rule files found"));
}

TEST_CASE("bad scrape job options are refused with the fix") {
  ScrapeConfigOptions options;
  for (const char* target : {"http://host:9101", "host:9101/metrics", "host", "host:0", "host:x"}) {
    INFO(target);
    options.target = target;
    CHECK_THROWS_WITH(prometheus_config_yaml(options), Catch::Contains("HOST:PORT"));
  }
  options.target = "";
  options.interval = "15";
  CHECK_THROWS_WITH(prometheus_config_yaml(options), Catch::Contains("15s or 1m"));
}

TEST_CASE("generated rules pass promtool check rules and read back as written") {
  test::TempDir dir;
  for (const auto& names : {documented_names(), python_client_names()}) {
    std::string text = rules_yaml(names, "test");
    auto r = promtool({"check", "rules", dir.write("rules.yml", text)});
    INFO(text << r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("SUCCESS: 2 rules found"));
    RuleFile file = parse_rule_file(text, "rules.yml");
    REQUIRE(file.rule_count() == 2);
    const auto& rules = file.groups[0].rules;
    for (size_t i = 0; i < rules.size(); ++i) {
      const auto& documented = catalog::alerts()[i];
      CHECK(rules[i].name == documented.name);
      CHECK(rules[i].expr == catalog::rewrite_expression(documented.expr, names));
      CHECK(rules[i].for_text == documented.for_duration);
      CHECK(rules[i].labels == documented.labels);
      CHECK(rules[i].annotations == documented.annotations);
    }
  }
  CHECK_THAT(rules_yaml(python_client_names(), "x"),
             Catch::Contains("(reconstruction_failure_total / reconstruction_total) > 0.1"));
}

TEST_CASE("the generated rule unit tests pass promtool test rules") {
  test::TempDir dir;
  for (const auto& names : {documented_names(), python_client_names()}) {
    dir.write("e2e3d-rules.yml", rules_yaml(names, "test"));
    std::string tests =
        dir.write("e2e3d-rules.test.yml", rule_tests_yaml(names, "e2e3d-rules.yml"));
    auto r = promtool({"test", "rules", tests});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
  }
}

TEST_CASE("the unit tests catch rules whose names the series do not have") {
  // The document's rules as written, against the series the Python client exposes: exactly
  // the drift that keeps HighFailureRate from ever firing. promtool must say so.
  test::TempDir dir;
  dir.write("e2e3d-rules.yml", rules_yaml(documented_names(), "documented"));
  std::string tests = dir.write("t.yml", rule_tests_yaml(python_client_names(), "e2e3d-rules.yml"));
  auto r = promtool({"test", "rules", tests});
  CHECK(r.exit_code != 0);
  CHECK_THAT(r.out + r.err, Catch::Contains("HighFailureRate"));
  CHECK_THAT(r.out + r.err, !Catch::Contains("TooManyActiveJobs"));  // a gauge: same name
}

TEST_CASE("Python client names add _total to counters only") {
  for (const auto& n : python_client_names()) {
    INFO(n.documented);
    const auto* metric = catalog::find_metric(n.documented);
    REQUIRE(metric);
    std::string documented(n.documented);
    bool has_total = documented.ends_with("_total");
    if (metric->type == MetricType::counter && !has_total) {
      CHECK(*n.exposed == documented + "_total");
    } else {
      CHECK(*n.exposed == documented);
    }
  }
}
