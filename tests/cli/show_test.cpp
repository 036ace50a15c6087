// `show` driven as a user drives it: the built binary against fixtures, the real Python exporter,
// the demo exporter and servers that misbehave.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"

using e2e3d::test::fixture_path;
using e2e3d::test::run_tool;
using e2e3d::test::start_python_helper;
using nlohmann::json;

namespace {

json show_json(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"show", "--output", "json"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = run_tool(argv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

}  // namespace

TEST_CASE("show computes the documented values from the Python client's capture") {
  for (const char* fixture : {"e2e3d_python.txt", "e2e3d_python.om.txt"}) {
    INFO(fixture);
    json j = show_json({"--file", fixture_path(fixture)});
    CHECK(j["jobs"]["total"] == 10);
    CHECK(j["jobs"]["success"] == 7);
    CHECK(j["jobs"]["failure"] == 3);
    CHECK(j["jobs"]["active"] == 3);
    CHECK(j["jobs"]["success_rate_percent"].get<double>() == Approx(70.0));
    CHECK(j["jobs"]["failure_rate_percent"].get<double>() == Approx(30.0));
    // 10.5 + 11.5 + ... + 19.5 over 10 jobs.
    CHECK(j["jobs"]["average_duration_seconds"].get<double>() == Approx(15.0));
    CHECK(j["jobs"]["duration_seconds_by_status"]["failed"].get<double>() ==
          Approx(10.5 + 14.5 + 18.5));
    CHECK(j["jobs"]["duration_seconds_by_status"]["completed"].get<double>() ==
          Approx(150.0 - 43.5));
    CHECK(j["jobs"]["series"] == 10);
    CHECK(j["process"]["open_fds"] == 8);
    CHECK(j["process"]["max_fds"] == 20000);
    CHECK(j["process"]["resident_memory_bytes"] == 23175168);
    CHECK(j["process"]["start_time_seconds"].get<double>() == Approx(1.79557095144e+09));
    CHECK(j["resolved_names"]["reconstruction_success"] == "reconstruction_success_total");
    CHECK(j["resolved_names"]["e2e3d_job_duration_seconds"] == "e2e3d_job_duration_seconds_total");
    CHECK(j["missing"].empty());
  }
}

TEST_CASE("show against the real Python exporter reports the values it was given") {
  auto server = start_python_helper("e2e3d_exporter.py", {"--completed", "5", "--failed", "1",
                                                          "--active", "2", "--duration-base", "2"});
  json j = show_json({"--url", server.url()});
  CHECK(j["source"] == server.url());
  CHECK(j["jobs"]["total"] == 6);
  CHECK(j["jobs"]["success"] == 5);
  CHECK(j["jobs"]["failure"] == 1);
  CHECK(j["jobs"]["active"] == 2);
  CHECK(j["jobs"]["success_rate_percent"].get<double>() == Approx(500.0 / 6));
  // Durations 2..7 s: the failed job is the first (2 s).
  CHECK(j["jobs"]["average_duration_seconds"].get<double>() == Approx(4.5));
  CHECK(j["jobs"]["duration_seconds_by_status"]["failed"].get<double>() == Approx(2.0));
  CHECK(j["jobs"]["duration_seconds_by_status"]["completed"].get<double>() == Approx(25.0));
  CHECK(j["process"]["open_fds"].get<double>() > 0);
  CHECK(j["process"]["uptime_seconds"].get<double>() >= 0);
}

TEST_CASE("metrics the target does not expose are missing and their values null, never 0") {
  json j = show_json({"--file", fixture_path("node_exporter.txt")});
  CHECK(j["jobs"]["total"].is_null());
  CHECK(j["jobs"]["success_rate_percent"].is_null());
  CHECK(j["jobs"]["average_duration_seconds"].is_null());
  CHECK(j["jobs"]["duration_seconds_by_status"].is_null());
  auto missing = j["missing"].get<std::vector<std::string>>();
  CHECK(std::find(missing.begin(), missing.end(), "reconstruction_success") != missing.end());
  // node_exporter has process metrics of its own.
  CHECK(j["process"]["open_fds"].is_number());
}

TEST_CASE("no jobs yet: rates are unknown, not 0 and not NaN") {
  std::string scrape =
      "# TYPE reconstruction_total counter\nreconstruction_total 0\n"
      "# TYPE reconstruction_success_total counter\nreconstruction_success_total 0\n"
      "# TYPE reconstruction_failure_total counter\nreconstruction_failure_total 0\n"
      "# TYPE e2e3d_active_jobs gauge\ne2e3d_active_jobs 0\n";
  auto r = run_tool({"show", "--file", "-", "--output", "json"}, {}, scrape);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["jobs"]["total"] == 0);
  CHECK(j["jobs"]["success_rate_percent"].is_null());
  CHECK(j["jobs"]["average_duration_seconds"].is_null());
  auto text = run_tool({"show", "--file", "-"}, {}, scrape);
  CHECK(text.out.find("unknown (no jobs yet)") != std::string::npos);
}

TEST_CASE("show's text names the documented names it resolved") {
  auto r = run_tool({"show", "--file", fixture_path("e2e3d_python.txt")});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("reconstruction_success -> reconstruction_success_total") != std::string::npos);
  CHECK(r.out.find("success rate") != std::string::npos);
  CHECK(r.out.find("70.0 %") != std::string::npos);
  CHECK(r.out.find("\033[") == std::string::npos);  // NO_COLOR, not a terminal
  auto forced = run_tool({"show", "--file", fixture_path("e2e3d_python.txt"), "--color", "always"});
  CHECK(forced.out.find("\033[") != std::string::npos);
}

TEST_CASE("global options are accepted before and after the command") {
  auto before = run_tool({"--file", fixture_path("e2e3d_python.txt"), "--output", "json", "show"});
  auto after = run_tool({"show", "--file", fixture_path("e2e3d_python.txt"), "--output", "json"});
  REQUIRE(before.exit_code == 0);
  REQUIRE(after.exit_code == 0);
  CHECK(json::parse(before.out)["jobs"] == json::parse(after.out)["jobs"]);
}

TEST_CASE("show exits 3 with one line naming the cause when the target is broken") {
  auto server = start_python_helper("misbehaving_server.py");
  struct Case {
    std::string path;
    std::string expect;
  };
  for (const Case& c :
       {Case{"/status/404", "404"}, Case{"/status/500", "500"}, Case{"/html", "HTML"}}) {
    INFO(c.path);
    auto r = run_tool({"show", "--url", server.url(c.path), "--timeout", "3"});
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.expect) != std::string::npos);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  }
  auto slow = run_tool({"show", "--url", server.url("/drip"), "--timeout", "1"});
  CHECK(slow.exit_code == 3);
  CHECK(slow.seconds < 2.5);
  auto refused =
      run_tool({"show", "--url",
                "http://127.0.0.1:" + std::to_string(e2e3d::test::free_port()) + "/metrics"});
  CHECK(refused.exit_code == 3);
  CHECK(refused.err.find("ENABLE_METRICS") != std::string::npos);
}

TEST_CASE("a malformed exposition is exit 3 with line and column") {
  auto r = run_tool({"show", "--file", "-"}, {}, "# TYPE a counter\na 1\na{b=\"c\" 2\n");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(":3:") != std::string::npos);
}

TEST_CASE("usage errors exit 64") {
  CHECK(run_tool({"show", "--no-such-option"}).exit_code == 64);
  CHECK(run_tool({}).exit_code == 64);
  CHECK(run_tool({"show", "--output", "yaml"}).exit_code == 64);
  CHECK(run_tool({"show", "--output", "junit", "--file", fixture_path("e2e3d_python.txt")})
            .exit_code == 64);
  CHECK(run_tool({"--url", "http://x", "--file", "y", "show"}).exit_code == 64);
  auto help = run_tool({"show", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--demo") != std::string::npos);
}

TEST_CASE("show --demo shows the built-in exporter") {
  auto r = run_tool({"show", "--demo", "--output", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  CHECK(j["jobs"]["total"].get<double>() > 0);
  CHECK(j["resolved_names"]["reconstruction_success"] == "reconstruction_success_total");
  CHECK(j["missing"].empty());
}
