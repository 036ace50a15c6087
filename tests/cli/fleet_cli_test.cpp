// show, query and doctor over several targets: real Python client exporters, one of them down.
#include <fmt/format.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/child_process.hpp"

using namespace e2e3d::test;
using nlohmann::json;

namespace {

struct Fleet {
  HelperServer a = start_python_helper("e2e3d_exporter.py", {"--completed", "7", "--failed", "3"});
  HelperServer b = start_python_helper("e2e3d_exporter.py",
                                       {"--completed", "9", "--failed", "1", "--active", "5"});
  std::string down = fmt::format("http://127.0.0.1:{}/metrics", free_port());
  std::string instance(const HelperServer& s) const { return fmt::format("127.0.0.1:{}", s.port); }
};

std::string temp_file(const std::string& name, const std::string& content) {
  auto path =
      std::filesystem::temp_directory_path() / fmt::format("e2e3d-fleet-{}-{}", getpid(), name);
  std::ofstream(path) << content;
  return path.string();
}

}  // namespace

TEST_CASE("show over several targets: one row each, the fleet summed, a down target a row") {
  Fleet f;
  auto r = run_tool(
      {"show", "--target", f.a.url(), "--target", f.b.url(), "--target", f.down, "-o", "json"});
  INFO(r.err);
  CHECK(r.exit_code == 1);  // some targets down: a warning
  json j = json::parse(r.out);
  REQUIRE(j["targets"].size() == 3);
  CHECK(j["targets"][0]["instance"] == f.instance(f.a));
  CHECK(j["targets"][0]["labels"]["job"] == "e2e3d");
  CHECK(j["targets"][0]["jobs"]["total"] == 10);
  CHECK(j["targets"][1]["jobs"]["total"] == 10);
  CHECK(j["targets"][1]["jobs"]["active"] == 5);
  CHECK(j["targets"][2]["up"] == false);
  CHECK(j["targets"][2]["error"].get<std::string>().find("connection refused") !=
        std::string::npos);
  // The fleet: sums, and rates from the sums (16 successes of 20 jobs).
  CHECK(j["jobs"]["total"] == 20);
  CHECK(j["jobs"]["success"] == 16);
  CHECK(j["jobs"]["active"] == 8);
  CHECK(j["jobs"]["success_rate_percent"].get<double>() == Approx(80));
  CHECK(j["jobs"]["series"] == 20);
  CHECK(j["process"]["uptime_seconds"].is_null());

  auto text = run_tool({"show", "--target", f.a.url(), "--target", f.down, "--color", "never"});
  CHECK(text.out.find("Targets (1 of 2 up)") != std::string::npos);
  CHECK(text.out.find("DOWN cannot fetch " + f.down) != std::string::npos);
}

TEST_CASE("show exits 3 when no target of the fleet answers") {
  Fleet f;
  auto r = run_tool({"show", "--target", f.down, "-o", "json"});
  CHECK(r.exit_code == 3);
  CHECK(json::parse(r.out)["jobs"]["total"].is_null());
}

TEST_CASE("query over a fleet sees instance and job labels and up, as Prometheus would") {
  Fleet f;
  auto r = run_tool({"query", "--target", f.a.url(), "--target", f.b.url(), "--target", f.down,
                     "sum by (instance) (e2e3d_active_jobs)"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Sorted by label set, as Prometheus sorts an aggregation's result.
  CHECK(r.out.find(fmt::format("{{instance=\"{}\"}} => 3\n", f.instance(f.a))) !=
        std::string::npos);
  CHECK(r.out.find(fmt::format("{{instance=\"{}\"}} => 5\n", f.instance(f.b))) !=
        std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
  CHECK(r.err.find("warning: cannot fetch " + f.down) != std::string::npos);
  auto up = run_tool({"query", "--target", f.a.url(), "--target", f.down, "up == 0"});
  CHECK(up.out.find("up{instance=\"127.0.0.1:") == 0);
  CHECK(up.out.find("job=\"e2e3d\"} => 0") != std::string::npos);
}

TEST_CASE("a targets file may list URLs or be file_sd with labels") {
  Fleet f;
  std::string list =
      temp_file("list.txt", fmt::format("# replicas\n{}\n\n{}\n", f.a.url(), f.b.url()));
  auto r = run_tool({"query", "--targets-file", list, "count(reconstruction_total)"});
  INFO(r.err);
  CHECK(r.out == "{} => 2\n");
  std::string sd = temp_file(
      "sd.json",
      fmt::format(R"([{{"targets": ["{}"], "labels": {{"env": "prod"}}}}])", f.instance(f.a)));
  auto labelled =
      run_tool({"query", "--targets-file", sd, "--job", "recon", "reconstruction_total"});
  INFO(labelled.err);
  CHECK(labelled.out ==
        fmt::format("reconstruction_total{{env=\"prod\", instance=\"{}\", job=\"recon\"}} => 10\n",
                    f.instance(f.a)));
  std::filesystem::remove(list);
  std::filesystem::remove(sd);
}

TEST_CASE("doctor over a fleet runs each target's checklist and summarises") {
  Fleet f;
  auto r = run_tool(
      {"doctor", "--target", f.a.url(), "--target", f.down, "-o", "json", "--timeout", "2"});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  json j = json::parse(r.out);
  REQUIRE(j["targets"].size() == 2);
  CHECK(j["status"] == "fail");
  bool endpoint_failed = false;
  for (const auto& check : j["targets"][1]["report"]["checks"]) {
    if (check["id"] == "http.endpoint") endpoint_failed = check["status"] == "fail";
  }
  CHECK(endpoint_failed);
  // The single-target shape holds too: every target's checks, each with its instance.
  REQUIRE(j["checks"].size() == j["targets"][0]["report"]["checks"].size() * 2);
  CHECK(j["checks"].back()["instance"] == j["targets"][1]["instance"]);
  CHECK(j["checks"].back().contains("fix"));
  auto text = run_tool(
      {"doctor", "--target", f.a.url(), "--target", f.down, "--timeout", "2", "--color", "never"});
  CHECK(text.out.find("e2e3d-metrics doctor: 2 targets") != std::string::npos);
  CHECK(text.out.find("of 2 targets passed") != std::string::npos);
}

TEST_CASE("fleet options that cannot work are refused or explained") {
  Fleet f;
  auto junit = run_tool({"doctor", "--target", f.a.url(), "--output", "junit"});
  CHECK(junit.exit_code == 64);
  CHECK(junit.err.find("junit covers one target") != std::string::npos);
  auto none = run_tool({"show", "--target", f.a.url(), "--parallel", "0"});
  CHECK(none.exit_code == 64);
  // Something at --from-prometheus that is not Prometheus: one line naming it, exit 3.
  auto server = start_python_helper("fleet_server.py", {"1"});
  auto html =
      run_tool({"show", "--from-prometheus", fmt::format("http://127.0.0.1:{}/html", server.port)});
  CHECK(html.exit_code == 3);
  CHECK(html.err.find(fmt::format("127.0.0.1:{}/html", server.port)) != std::string::npos);
  CHECK(std::count(html.err.begin(), html.err.end(), '\n') == 1);
}

TEST_CASE("commands that look at one target refuse fleet options") {
  for (std::vector<std::string> command :
       {std::vector<std::string>{"check"}, {"alerts"}, {"generate", "rules"}}) {
    command.insert(command.end(), {"--target", "http://127.0.0.1:1/metrics"});
    auto r = run_tool(command);
    INFO(command[0] << r.err);
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("looks at one target") != std::string::npos);
  }
  auto both = run_tool({"show", "--target", "http://127.0.0.1:1/metrics", "--file", "x"});
  CHECK(both.exit_code == 64);
}

TEST_CASE("two targets on one host:port (two paths) stay two, in one-shot and --watch alike") {
  Fleet f;
  std::string other = fmt::format("http://127.0.0.1:{}/other/metrics", f.a.port);
  std::string list = temp_file("paths.txt", fmt::format("{}\n{}\n", f.a.url(), other));
  auto once = run_tool({"query", "--targets-file", list, "sum(e2e3d_active_jobs)"});
  INFO(once.err);
  CHECK(once.out == "{} => 6\n");
  auto watched = run_tool({"query", "--targets-file", list, "--watch", "0.2", "--count", "1", "-o",
                           "json", "sum(e2e3d_active_jobs)"});
  INFO(watched.err);
  REQUIRE(watched.exit_code == 0);
  CHECK(json::parse(watched.out)["data"]["result"][0]["value"][1] == "6");
  // Each has its URL as its instance: the labels tell them apart, as `up == 1` needs.
  auto up = run_tool({"query", "--targets-file", list, "up == 1"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(up.out.find(fmt::format("instance=\"127.0.0.1:{}/metrics\"", f.a.port)) !=
        std::string::npos);
  CHECK(up.out.find(fmt::format("instance=\"127.0.0.1:{}/other/metrics\"", f.a.port)) !=
        std::string::npos);
  std::filesystem::remove(list);
}
