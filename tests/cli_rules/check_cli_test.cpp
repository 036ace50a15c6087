#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_rules/helpers.hpp"

using namespace e2e3d::test;

namespace {

const std::string kFixture = fixture_path("e2e3d_python.txt");

std::string refused_url() {
  return fmt::format("http://127.0.0.1:{}/metrics", free_port());
}

}  // namespace

TEST_CASE("check exit codes: 0 all hold, 2 one fails, 3 invalid or unreachable, 64 usage") {
  auto ok =
      run_tool({"check", "--file", kFixture, "reconstruction_total > 0", "e2e3d_active_jobs"});
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("PASS  reconstruction_total > 0  => reconstruction_total 10"));
  CHECK_THAT(ok.out, Catch::EndsWith("2 of 2 expressions hold\n"));

  auto fail =
      run_tool({"check", "--file", kFixture, "reconstruction_total", "reconstruction_success"});
  CHECK(fail.exit_code == 2);
  CHECK_THAT(fail.out, Catch::Contains("FAIL  reconstruction_success"));
  CHECK_THAT(fail.out, Catch::Contains("reconstruction_success_total"));

  auto invalid = run_tool({"check", "--file", kFixture, "reconstruction_total", "sum(x"});
  CHECK(invalid.exit_code == 3);
  CHECK_THAT(invalid.err, Catch::Contains("expression 2 `sum(x`"));
  CHECK(invalid.out.empty());

  auto unreachable = run_tool({"check", "--url", refused_url(), "reconstruction_total"});
  CHECK(unreachable.exit_code == 3);
  CHECK_THAT(unreachable.out, Catch::StartsWith("UNKNOWN  "));

  CHECK(run_tool({"check", "--file", kFixture}).exit_code == 64);
  CHECK(run_tool({"check", "--file", kFixture, "--warning", "5", "x"}).exit_code == 64);
  CHECK(run_tool({"check", "--file", kFixture, "--bogus", "x"}).exit_code == 64);
  CHECK(run_tool({"check", "--file", kFixture, "--value", "x", "--critical", "9:1"}).exit_code ==
        64);
  CHECK(run_tool({"check", "--file", kFixture, "--wait-for", "soon", "x"}).exit_code == 64);
}

TEST_CASE("check against the real Python exporter, with -- for expressions starting with -") {
  HelperServer exporter = start_python_helper("e2e3d_exporter.py");
  auto r = run_tool({"check", "--url", exporter.url(), "--", "-e2e3d_active_jobs < 0",
                     "reconstruction_failure_total / reconstruction_total > 0.25"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("reconstruction_total > 0.25  => 0.3\n"));
}

TEST_CASE("check --output json, junit and nagios") {
  auto json = run_tool({"check", "--file", kFixture, "--output", "json", "reconstruction_total",
                        "reconstruction_failure"});
  CHECK(json.exit_code == 2);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["status"] == "fail");
  CHECK(j["exit_code"] == 2);
  CHECK(j["checks"].size() == 2);
  CHECK(j["checks"][0]["result"][0]["value"] == "10");
  CHECK(j["checks"][1]["status"] == "fail");

  auto junit =
      run_tool({"check", "--file", kFixture, "-o", "junit", "reconstruction_total",
                "reconstruction_failure", "e2e3d_job_duration_seconds_total{status=\"<&>\"}"});
  CHECK(junit.exit_code == 2);
  auto parsed =
      run({"/usr/bin/python3", "-c",
           "import sys, xml.etree.ElementTree as ET\n"
           "s = ET.fromstring(sys.stdin.buffer.read()).find('testsuite')\n"
           "print(s.get('tests'), s.get('failures'), s.get('errors'))\n"
           "for c in s.findall('testcase'): print(c.get('name'), c.find('failure') is not None)\n"},
          {}, junit.out);
  INFO(junit.out << parsed.err);
  REQUIRE(parsed.exit_code == 0);
  CHECK(parsed.out ==
        "3 2 0\nreconstruction_total False\nreconstruction_failure True\n"
        "e2e3d_job_duration_seconds_total{status=\"<&>\"} True\n");

  auto nagios = run_tool({"check", "--file", kFixture, "-o", "nagios", "reconstruction_total"});
  CHECK(nagios.exit_code == 0);
  CHECK(nagios.out == "E2E3D-METRICS OK - 1 of 1 expressions hold\n");
}

TEST_CASE("check --wait-for waits for a target that starts late") {
  int port = free_port();
  // The exporter starts listening 1.5 s after the check begins.
  ChildProcess late(
      {"/usr/bin/python3", "-c",
       "import os, sys, time; time.sleep(1.5); "
       "os.execv('/usr/bin/python3', ['python3', sys.argv[1], '--port', sys.argv[2]])",
       exporter_script(), std::to_string(port)});
  auto r = run_tool({"check", "--url", fmt::format("http://127.0.0.1:{}/metrics", port),
                     "--wait-for", "20s", "--interval", "0.2", "reconstruction_total"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.seconds > 1.0);
  CHECK(r.seconds < 10.0);
  CHECK_THAT(r.out, Catch::Contains("PASS  reconstruction_total"));
  CHECK_THAT(r.out, Catch::Contains("attempts in"));
  CHECK(r.err.find("waiting:") == std::string::npos);  // progress only on a terminal
}

TEST_CASE("check --wait-for gives up at its deadline on a target that never starts") {
  auto r = run_tool({"check", "--url", refused_url(), "--wait-for", "1.5s", "--interval", "0.3s",
                     "reconstruction_total"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);
  CHECK(r.seconds >= 1.4);
  CHECK(r.seconds < 4.0);  // the deadline plus process start-up on a busy machine
  CHECK_THAT(r.err, Catch::Contains("gave up after"));
  CHECK_THAT(r.err, Catch::Contains("last failure:"));
}

TEST_CASE("check --wait-for is bounded by its deadline when the target accepts and never answers") {
  HelperServer silent = start_python_helper("misbehaving_server.py", {"--mode", "silent"});
  auto r = run_tool({"check", "--url", silent.url(), "--timeout", "30", "--wait-for", "1.5s",
                     "reconstruction_total"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);
  CHECK(r.seconds < 4.0);  // the deadline plus process start-up on a busy machine
}

TEST_CASE("check --wait-for keeps the last reason when the expression never holds") {
  auto r = run_tool({"check", "--file", kFixture, "--wait-for", "0.6s", "--interval", "0.2s",
                     "reconstruction_failure"});
  CHECK(r.exit_code == 2);
  CHECK(r.seconds < 2.5);
  CHECK_THAT(r.err, Catch::Contains("last failure: `reconstruction_failure`"));
  CHECK_THAT(r.err, Catch::Contains("reconstruction_failure_total"));
}

TEST_CASE("threshold mode: Nagios line and exit codes 0 1 2 3") {
  auto run_value = [](std::vector<std::string> args) {
    std::vector<std::string> all = {"check",   "--file", kFixture, "--value", "e2e3d_active_jobs",
                                    "--label", "active"};
    all.insert(all.end(), args.begin(), args.end());
    return run_tool(all);
  };
  auto ok = run_value({"--warning", "5", "--critical", "10"});
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "E2E3D-METRICS OK - active=3 | active=3;5;10\n");
  auto warning = run_value({"--warning", "2", "--critical", "10"});
  CHECK(warning.exit_code == 1);
  CHECK(warning.out == "E2E3D-METRICS WARNING - active=3 | active=3;2;10\n");
  auto critical = run_value({"--warning", "~:1", "--critical", "@3:4"});
  CHECK(critical.exit_code == 2);
  CHECK(critical.out == "E2E3D-METRICS CRITICAL - active=3 | active=3;~:1;@3:4\n");
  auto json = run_value({"--critical", "@3:4", "-o", "json"});
  CHECK(json.exit_code == 2);
  CHECK(nlohmann::json::parse(json.out)["status"] == "CRITICAL");

  auto none = run_tool(
      {"check", "--file", kFixture, "--value", "reconstruction_failure", "--critical", "1"});
  CHECK(none.exit_code == 3);
  CHECK_THAT(none.out,
             Catch::StartsWith("E2E3D-METRICS UNKNOWN - `reconstruction_failure` returned "
                               "no value"));
  auto unreachable = run_tool(
      {"check", "--url", refused_url(), "--value", "e2e3d_active_jobs", "--critical", "10"});
  CHECK(unreachable.exit_code == 3);
  CHECK_THAT(unreachable.out, Catch::StartsWith("E2E3D-METRICS UNKNOWN - "));
}

TEST_CASE("check --wait-for shows progress on stderr when it is a terminal") {
  // Run the binary on a pseudo-terminal, as a person at a shell would.
  std::string url = refused_url();
  auto r = run({"/usr/bin/python3", "-c",
                "import os, pty, sys\n"
                "pid, fd = pty.fork()\n"
                "if pid == 0:\n"
                "    os.execv(sys.argv[1], sys.argv[1:])\n"
                "out = b''\n"
                "while True:\n"
                "    try:\n"
                "        data = os.read(fd, 4096)\n"
                "    except OSError:\n"
                "        break\n"
                "    if not data:\n"
                "        break\n"
                "    out += data\n"
                "_, status = os.waitpid(pid, 0)\n"
                "sys.stdout.write(out.decode(errors='replace'))\n"
                "sys.exit(os.waitstatus_to_exitcode(status))\n",
                E2E3D_METRICS_BIN, "check", "--url", url, "--wait-for", "1s", "--interval", "0.2s",
                "reconstruction_total"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.out, Catch::Contains("waiting: attempt 1 failed ("));
  CHECK_THAT(r.out, Catch::Contains("s left"));
  CHECK_THAT(r.out, Catch::Contains("gave up after"));
}
