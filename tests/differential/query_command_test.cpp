// `e2e3d-metrics query` as a user runs it: output formats, hints, errors and exit codes.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "support/child_process.hpp"

using namespace e2e3d::test;

namespace {
std::string fixture(const std::string& name) {
  return fixture_path(name);
}
}  // namespace

TEST_CASE("query prints one line per series in text") {
  auto r = run_tool({"query", "--file", fixture("promql/e2e3d_documented.txt"),
                     "sum(e2e3d_job_duration_seconds) by (status)"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{status=\"completed\"} => 139.25\n{status=\"failed\"} => 61.75\n");
  r = run_tool({"query", "--file", fixture("promql/e2e3d_documented.txt"), "reconstruction_total"});
  CHECK(r.out == "reconstruction_total => 10\n");
  r = run_tool({"query", "--file", fixture("promql/e2e3d_documented.txt"), "--", "-1 ^ 2"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "scalar => -1\n");
}

TEST_CASE("query --output json prints Prometheus's body") {
  auto r = run_tool({"query", "--file", fixture("promql/e2e3d_documented.txt"), "--output", "json",
                     "--time", "1700000000.5", "e2e3d_active_jobs"});
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__"
        "name__\":"
        "\"e2e3d_active_jobs\"},\"value\":[1700000000.500,\"12\"]}]}}\n");
}

TEST_CASE("a missing name whose _total twin is exposed gets a hint on stderr only") {
  auto plain = run_tool({"query", "--file", fixture("e2e3d_python.txt"), "--output", "json",
                         "--time", "1700000000", "reconstruction_success / reconstruction_total"});
  CHECK(plain.exit_code == 0);
  CHECK(plain.out ==
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}\n");
  CHECK(plain.err.find("reconstruction_success_total") != std::string::npos);
  CHECK(plain.err.find("hint") != std::string::npos);
  auto exposed = run_tool({"query", "--file", fixture("e2e3d_python.txt"), "reconstruction_total"});
  CHECK(exposed.err.empty());
}

TEST_CASE("query errors: exit 3, one line on stderr, the API's error body with --output json") {
  auto r = run_tool({"query", "--file", fixture("promql/e2e3d_documented.txt"), "--output", "json",
                     "sum(reconstruction_total"});
  CHECK(r.exit_code == 3);
  auto body = nlohmann::json::parse(r.out);
  CHECK(body["status"] == "error");
  CHECK(body["errorType"] == "bad_data");
  CHECK(body["error"] ==
        "invalid parameter \"query\": 1:25: parse error: unclosed left parenthesis");
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);

  r = run_tool({"query", "--file", fixture("promql/e2e3d_documented.txt"),
                "rate(reconstruction_total[5m])"});
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK(r.err.find("single scrape") != std::string::npos);
  CHECK(r.err.find("--prometheus") != std::string::npos);

  r = run_tool({"query", "--file", fixture("promql/e2e3d_documented.txt"), "--output", "json",
                "http_limits + on(method) http_requests"});
  CHECK(r.exit_code == 3);
  CHECK(nlohmann::json::parse(r.out)["errorType"] == "execution");
}

TEST_CASE("query without an expression is a usage error") {
  auto r = run_tool({"query", "--file", fixture("promql/e2e3d_documented.txt")});
  CHECK(r.exit_code == 64);
}

TEST_CASE("query --replay answers subqueries and @, with Prometheus's bodies") {
  std::string recording = "/tmp/e2e3d-query-replay-" + std::to_string(getpid()) + ".om";
  std::ofstream(recording) << "# TYPE g gauge\ng 1 1700000000\ng 2 1700000015\ng 3 1700000030\n"
                              "g 4 1700000045\ng 5 1700000060\n# EOF\n";
  auto body = [&](const std::string& time, const std::string& expr) {
    auto r = run_tool({"query", "--replay", recording, "--time", time, "-o", "json", "--", expr});
    INFO(expr << ": " << r.err);
    CHECK(r.exit_code == 0);
    return r.out;
  };
  // Steps at multiples of 20 s: 0 s, 20 s (g = 2), 40 s (3), 60 s (5).
  CHECK(body("1700000060", "max_over_time(g[1m:20s])") ==
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
        "\"value\":[1700000060,\"5\"]}]}}\n");
  CHECK(body("1700000060.5", "g @ 1700000030") ==
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{"
        "\"__name__\":\"g\"},\"value\":[1700000060.500,\"3\"]}]}}\n");
  // Steps at multiples of 15 s since the epoch: 1700000040 and 1700000055, not 030, 045, 060.
  CHECK(body("1700000060", "g[30s:15s] @ end()") ==
        "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{"
        "\"__name__\":\"g\"},\"values\":[[1700000040,\"3\"],[1700000055,\"4\"]]}]}}\n");
  std::remove(recording.c_str());
}
