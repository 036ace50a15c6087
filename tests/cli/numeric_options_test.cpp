// Number options: NaN, infinities and numbers past what an option can mean are usage errors
// (exit 64) that name the option, never values that reach the engine.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/child_process.hpp"

using e2e3d::test::fixture_path;
using e2e3d::test::run_tool;

namespace {

void check_refused(const std::vector<std::string>& args, const std::string& option) {
  auto r = run_tool(args);
  INFO(r.out << r.err);
  CHECK(r.exit_code == 64);
  CHECK(r.out.empty());
  CHECK(r.err.find(option) != std::string::npos);
  CHECK(r.err.find("e2e3d-metrics: ") == 0);
}

}  // namespace

TEST_CASE("query --time takes Unix seconds Prometheus can represent, nothing else") {
  const std::string file = fixture_path("promql/e2e3d_documented.txt");
  for (const char* bad : {"nan", "NaN", "inf", "-inf", "1e300", "9.3e15", "-9.3e15", "abc", ""}) {
    INFO("--time " << bad);
    check_refused({"query", "--file", file, "--time", bad, "time()"}, "--time");
  }
  auto r = run_tool({"query", "--file", file, "--time", "9.2e15", "time()"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "scalar => 9200000000000000\n");
  // The fraction rounds to whole milliseconds as Prometheus's API rounds it.
  r = run_tool(
      {"query", "--file", file, "--output", "json", "--time", "1700003600.2505", "time()"});
  CHECK(r.out ==
        "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
        "[1700003600.25,\"1700003600.25\"]}}\n");
  r = run_tool({"query", "--file", file, "--time", "-1.5", "time()"});
  CHECK(r.out == "scalar => -1.5\n");
}

TEST_CASE(
    "timeouts, --max-bytes and the demo's rates refuse NaN, infinities and out-of-range "
    "numbers") {
  const std::string file = fixture_path("promql/e2e3d_documented.txt");
  for (const char* bad : {"nan", "inf", "1e300", "0", "-1"}) {
    INFO(bad);
    check_refused({"show", "--file", file, "--timeout", bad}, "--timeout");
    check_refused({"show", "--file", file, "--connect-timeout", bad}, "--connect-timeout");
  }
  for (const char* bad : {"nan", "inf", "1e300", "0", "-1", "1e3", "99999999999999999999999"}) {
    INFO(bad);
    check_refused({"show", "--file", file, "--max-bytes", bad}, "--max-bytes");
  }
  for (const char* bad : {"nan", "inf", "-1", "1e300"}) {
    INFO(bad);
    check_refused({"demo", "--port", "0", "--rate", bad}, "--rate");
    check_refused({"demo", "--port", "0", "--duration", bad}, "--duration");
    check_refused({"demo", "--port", "0", "--failure-ratio", bad}, "--failure-ratio");
  }
}
