#include <catch2/catch.hpp>

#include "cli_rules/helpers.hpp"

using namespace e2e3d::test;

TEST_CASE("generate prometheus-config passes promtool check config") {
  Scratch scratch;
  auto r = run_tool({"generate", "prometheus-config", "--target", "127.0.0.1:9101", "--interval",
                     "30s", "--job", "e2e3d"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("- 127.0.0.1:9101"));
  auto check =
      run({"/usr/bin/promtool", "check", "config", scratch.write("prometheus.yml", r.out)});
  INFO(r.out << check.out << check.err);
  CHECK(check.exit_code == 0);

  auto bad = run_tool({"generate", "prometheus-config", "--target", "http://host:9101"});
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.err, Catch::Contains("HOST:PORT"));
  CHECK(run_tool({"generate"}).exit_code == 64);
  CHECK(run_tool({"generate", "dashboards"}).exit_code == 64);
}

TEST_CASE("generate rules resolved against the real exporter, with promtool unit tests") {
  HelperServer exporter = start_python_helper("e2e3d_exporter.py");
  Scratch scratch;
  std::string rules = scratch.file("e2e3d-rules.yml");
  std::string tests = scratch.file("tests/e2e3d-rules.test.yml");
  std::filesystem::create_directories(scratch.file("tests"));
  auto r =
      run_tool({"generate", "rules", "--url", exporter.url(), "--out", rules, "--tests", tests});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  std::string text = read_file(rules);
  CHECK_THAT(text,
             Catch::Contains("expr: (reconstruction_failure_total / reconstruction_total) > 0.1"));
  CHECK_THAT(text, Catch::Contains("resolved against " + exporter.url()));
  CHECK_THAT(read_file(tests), Catch::Contains("- ../e2e3d-rules.yml"));
  auto check = run({"/usr/bin/promtool", "check", "rules", rules});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  auto unit = run({"/usr/bin/promtool", "test", "rules", tests});
  INFO(unit.out << unit.err);
  CHECK(unit.exit_code == 0);

  // The rules the tool generated evaluate to the same verdict the tool gives.
  auto alerts = run_tool({"alerts", "--url", exporter.url(), "--rules", rules});
  CHECK(alerts.exit_code == 2);  // 3 of 10 failed: HighFailureRate is pending
  CHECK_THAT(alerts.out, Catch::Contains("PENDING   HighFailureRate"));
}

TEST_CASE("generate rules --names documented|python needs no target") {
  std::string unreachable = fmt::format("http://127.0.0.1:{}/metrics", free_port());
  auto documented = run_tool({"generate", "rules", "--names", "documented", "--url", unreachable});
  CHECK(documented.exit_code == 0);
  CHECK_THAT(documented.out,
             Catch::Contains("expr: (reconstruction_failure / reconstruction_total) > 0.1"));
  auto python = run_tool({"generate", "rules", "--names", "python", "--url", unreachable});
  CHECK(python.exit_code == 0);
  CHECK_THAT(python.out, Catch::Contains("reconstruction_failure_total"));
  auto automatic = run_tool({"generate", "rules", "--url", unreachable});
  CHECK(automatic.exit_code == 3);
  CHECK(run_tool({"generate", "rules", "--names", "python", "--tests", "t.yml"}).exit_code == 64);
  CHECK(run_tool({"generate", "rules", "--names", "other"}).exit_code == 64);
}

TEST_CASE("generate rules --window: rate-based rules whose promtool tests pass") {
  Scratch scratch;
  std::string rules = scratch.file("e2e3d-rules.yml");
  std::string tests = scratch.file("e2e3d-rules.test.yml");
  auto r = run_tool({"generate", "rules", "--names", "python", "--window", "15m", "--out", rules,
                     "--tests", tests});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(read_file(rules),
             Catch::Contains("expr: sum(rate(reconstruction_failure_total[15m])) / "
                             "(sum(rate(reconstruction_total[15m])) > 0) > 0.1"));
  auto unit = run({"/usr/bin/promtool", "test", "rules", tests});
  INFO(read_file(tests) << unit.out << unit.err);
  CHECK(unit.exit_code == 0);

  // The windowed rule is not flagged by alerts; the document's is, with this very rewrite.
  HelperServer exporter = start_python_helper("e2e3d_exporter.py");
  auto windowed = run_tool({"alerts", "--url", exporter.url(), "--rules", rules});
  INFO(windowed.out << windowed.err);
  CHECK_THAT(windowed.out, !Catch::Contains("lifetime totals"));
  auto documented = run_tool({"alerts", "--url", exporter.url()});
  CHECK_THAT(documented.out,
             Catch::Contains("over 15m instead: sum(rate(reconstruction_failure_total[15m])) / "
                             "(sum(rate(reconstruction_total[15m])) > 0) > 0.1"));
  CHECK_THAT(documented.out,
             Catch::Contains("1 rule(s) compare lifetime totals where a rate was meant"));

  CHECK(run_tool({"generate", "rules", "--names", "python", "--window", "30s"}).exit_code == 64);
  CHECK(run_tool({"generate", "rules", "--names", "python", "--window", "15"}).exit_code == 64);
}
