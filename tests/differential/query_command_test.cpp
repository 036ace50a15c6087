// `e2e3d-metrics query` as a user runs it: output formats, hints, errors and exit codes.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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
