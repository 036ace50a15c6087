// Fleets under the limits of the machine and of their inputs: slow targets each get their own
// timeout, a descriptor limit lower than --parallel makes the scrape adapt, a target doctor
// cannot check is one failed row.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support/child_process.hpp"
#include "support/temp_file.hpp"

using namespace e2e3d::test;
using nlohmann::json;

namespace {

struct FleetProcess {
  std::unique_ptr<ChildProcess> process;
  std::vector<int> ports;
};

// tests/support/fleet_server.py with `count` exporters and the given options.
FleetProcess start_fleet(int count, std::vector<std::string> options = {}) {
  std::vector<std::string> argv{"/usr/bin/python3",
                                std::string(E2E3D_SUPPORT_DIR) + "/fleet_server.py",
                                std::to_string(count)};
  argv.insert(argv.end(), options.begin(), options.end());
  FleetProcess fleet;
  fleet.process = std::make_unique<ChildProcess>(argv);
  auto line = fleet.process->read_line(std::chrono::seconds(30));
  REQUIRE(line);
  std::istringstream ports(*line);
  for (int port; ports >> port;)
    fleet.ports.push_back(port);
  REQUIRE(fleet.ports.size() == static_cast<std::size_t>(count));
  return fleet;
}

std::string targets_file_text(const FleetProcess& fleet) {
  std::string text;
  for (int port : fleet.ports)
    text += fmt::format("http://127.0.0.1:{}/metrics\n", port);
  return text;
}

}  // namespace

TEST_CASE("doctor --targets-file: each slow target gets its whole --timeout", "[cli][fleet]") {
  // 20 targets each answering in 1.5 s, checked 8 at a time: the last start about 3 s after
  // the first. With the deadline set up front, those had less than 2 s left of 5.
  FleetProcess fleet = start_fleet(20, {"--delay", "1.5"});
  TempFile list(targets_file_text(fleet));
  auto r = run_tool({"doctor", "--targets-file", list.path(), "--timeout", "5", "--check",
                     "http.endpoint", "-o", "json"},
                    {}, "", std::chrono::seconds(60));
  INFO(r.err);
  json j = json::parse(r.out);
  int passed = 0;
  for (const auto& check : j["checks"]) {
    INFO(check.dump());
    // Answering in 1.5 s is "slow" (warn) for doctor; what must not come is a failure.
    CHECK(check["status"] != "fail");
    passed += check["status"] != "fail";
  }
  CHECK(passed == 20);
  CHECK(r.out.find("within") == std::string::npos);
}

TEST_CASE("show: --parallel beyond the descriptor limit adapts instead of failing targets",
          "[cli][fleet]") {
  FleetProcess fleet = start_fleet(150);
  TempFile list(targets_file_text(fleet));
  // 64 descriptors for 150 targets and --parallel 1024: the scrape must take them in turns.
  auto r = run({"/usr/bin/prlimit", "--nofile=64:64", "--", E2E3D_METRICS_BIN, "show",
                "--targets-file", list.path(), "--parallel", "1024", "-o", "json"},
               {}, "", std::chrono::seconds(60));
  INFO(r.err.substr(0, 2000));
  REQUIRE(r.exit_code == 0);
  json j = json::parse(r.out);
  int up = 0;
  for (const auto& target : j["targets"])
    up += target["up"] == true;
  CHECK(up == 150);
}

TEST_CASE("doctor --from-prometheus: a discovered file:// target is one failed row",
          "[cli][fleet]") {
  auto api = start_python_helper("prometheus_api_server.py");
  auto exporter = start_python_helper("e2e3d_exporter.py");
  auto r = run_tool({"doctor", "--from-prometheus",
                     fmt::format("http://127.0.0.1:{}/file-target/{}", api.port, exporter.port),
                     "--check", "http.endpoint", "-o", "json", "--timeout", "3"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  json j = json::parse(r.out);
  REQUIRE(j["targets"].size() == 2);
  CHECK(j["targets"][0]["report"]["status"] == "fail");
  std::string detail = j["targets"][0]["report"]["checks"][0]["detail"];
  CHECK(detail.find("a target of --from-prometheus file:///etc/passwd: scheme file is not http "
                    "or https") != std::string::npos);
  CHECK(r.out.find("--url") == std::string::npos);
  CHECK(r.err.find("--url") == std::string::npos);
  CHECK(j["targets"][1]["report"]["status"] == "pass");
}

TEST_CASE("show: --max-bytes bounds a fleet's bodies together, not only each target's",
          "[cli][fleet]") {
  FleetProcess fleet = start_fleet(6);
  TempFile list(targets_file_text(fleet));
  // One target's body, as the server sends it.
  auto size = run({"/usr/bin/python3", "-c",
                   "import sys, urllib.request; "
                   "print(len(urllib.request.urlopen(sys.argv[1]).read()))",
                   fmt::format("http://127.0.0.1:{}/metrics", fleet.ports[0])});
  REQUIRE(size.exit_code == 0);
  std::size_t body = std::stoul(size.out);
  // Room for three and a half bodies: each target alone is well within it, six are not.
  std::size_t limit = body * 7 / 2;
  auto r = run_tool(
      {"show", "--targets-file", list.path(), "--max-bytes", std::to_string(limit), "-o", "json"});
  INFO(r.err);
  json j = json::parse(r.out);
  REQUIRE(j["targets"].size() == 6);
  int up = 0;
  for (const auto& target : j["targets"]) {
    if (target["up"] == true) {
      ++up;
      continue;
    }
    std::string error = target["error"];
    INFO(error);
    CHECK(error.find(fmt::format("the fleet's answers together passed the limit of {} bytes",
                                 limit)) != std::string::npos);
  }
  // Bodies may arrive in several chunks, so a target can be cut before its end: at most three
  // fit, and at least one did.
  CHECK(up >= 1);
  CHECK(up <= 3);

  // The same fleet within the default limit: every target up.
  r = run_tool({"show", "--targets-file", list.path(), "-o", "json"});
  j = json::parse(r.out);
  up = 0;
  for (const auto& target : j["targets"])
    up += target["up"] == true;
  CHECK(up == 6);
}
