#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_rules/helpers.hpp"

using namespace e2e3d::test;

TEST_CASE("alerts: the document's rules against the real Python exporter") {
  // The service's own definitions: 3 of 10 jobs failed, 3 active.
  HelperServer exporter = start_python_helper("e2e3d_exporter.py");
  auto r = run_tool({"alerts", "--url", exporter.url()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);  // nothing would fire: HighFailureRate cannot, 3 active is fine
  CHECK_THAT(r.out, Catch::Contains("NEVER     HighFailureRate (for 15m): can never fire"));
  CHECK_THAT(r.out, Catch::Contains("with the exposed names: (reconstruction_failure_total / "
                                    "reconstruction_total) > 0.1"));
  CHECK_THAT(r.out, Catch::Contains("which would be: pending"));
  CHECK_THAT(r.out, Catch::Contains("inactive  TooManyActiveJobs"));

  auto json = run_tool({"alerts", "--url", exporter.url(), "--output", "json"});
  CHECK(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["status"] == "success");
  CHECK(j["data"]["alerts"].empty());
  CHECK(j["data"]["groups"][0]["rules"][0]["neverFires"] == true);
  CHECK(j["data"]["groups"][0]["rules"][0]["rewritten"]["alerts"][0]["value"] == "3e-01");
}

TEST_CASE("alerts: an overloaded Python exporter makes TooManyActiveJobs pending") {
  HelperServer exporter = start_python_helper("e2e3d_exporter.py", {"--active", "12"});
  auto r = run_tool({"alerts", "--url", exporter.url(), "-o", "json"});
  CHECK(r.exit_code == 2);
  auto alerts = nlohmann::json::parse(r.out)["data"]["alerts"];
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0]["labels"]["alertname"] == "TooManyActiveJobs");
  CHECK(alerts[0]["state"] == "pending");
  CHECK(alerts[0]["value"] == "1.2e+01");
}

TEST_CASE("alerts --rules: recording rules, firing alerts, templates, broken files") {
  HelperServer exporter = start_python_helper("e2e3d_exporter.py");
  auto r = run_tool({"alerts", "--url", exporter.url(), "--rules",
                     fixture_path("rules/recording_and_alerts.yml")});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.out, Catch::Contains("recorded  e2e3d:failure_ratio: 1 series"));
  CHECK_THAT(r.out, Catch::Contains("FIRING    FailureRatioAboveQuarter"));
  CHECK_THAT(r.out, Catch::Contains("summary: Failure ratio 30%"));
  CHECK_THAT(r.out, Catch::Contains("summary: Job job-9 took 19.5s"));

  Scratch scratch;
  std::string broken = scratch.write(
      "broken.yml",
      "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        fro: 5m\n");
  auto bad = run_tool({"alerts", "--url", exporter.url(), "--rules", broken});
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.err, Catch::Contains(broken + ":6:9: group \"g\", rule 1: unknown field 'fro'"));
  CHECK(run_tool({"alerts", "--rules", scratch.file("missing.yml")}).exit_code == 64);
  CHECK(run_tool({"alerts", "--url", exporter.url(), "-o", "junit"}).exit_code == 64);
}

TEST_CASE("alerts: unreachable target is unknown") {
  auto r = run_tool({"alerts", "--url", fmt::format("http://127.0.0.1:{}/metrics", free_port())});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Catch::Contains("127.0.0.1"));
}

TEST_CASE("alerts against the demo command in both naming modes") {
  // Every finished job fails, none arrive: HighFailureRate's ratio is 1, nothing is active.
  std::vector<std::string> all_fail = {"--failure-ratio", "1", "--rate", "0", "--seed", "7"};
  {
    auto args = all_fail;
    args.insert(args.end(), {"--names", "documented"});
    DemoCommand demo(args);
    auto r = run_tool({"alerts", "--url", demo.url, "-o", "json"});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    auto alerts = nlohmann::json::parse(r.out)["data"]["alerts"];
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0]["labels"]["alertname"] == "HighFailureRate");
    CHECK(alerts[0]["state"] == "pending");
    CHECK(alerts[0]["value"] == "1e+00");
  }
  {
    auto args = all_fail;
    args.insert(args.end(), {"--names", "python"});
    DemoCommand demo(args);
    auto r = run_tool({"alerts", "--url", demo.url});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);  // the same load, but the document's names never match
    CHECK_THAT(r.out, Catch::Contains("NEVER     HighFailureRate"));
    CHECK_THAT(r.out, Catch::Contains("which would be: pending"));
    CHECK_THAT(r.out, Catch::Contains("inactive  TooManyActiveJobs"));
  }
  {
    // No failures at all: quiet in both modes.
    for (const char* names : {"documented", "python"}) {
      DemoCommand demo({"--failure-ratio", "0", "--rate", "0", "--seed", "7", "--names", names});
      auto r = run_tool({"alerts", "--url", demo.url});
      INFO(names << r.out << r.err);
      CHECK(r.exit_code == 0);
      CHECK(r.out.find("PENDING") == std::string::npos);
    }
  }
}
