// Without a container runtime doctor is what it was: the two container checks skip and say
// why, every other check reads the host as before. A runtime that cannot be used is a skip
// with its fix, never a failure of the service.
#include <catch2/catch.hpp>

#include "doctor_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

TEST_CASE("no runtime: container checks skip, the others read the host as before",
          "[doctor][containers]") {
  auto o = options_for_url(fmt::format("http://localhost:{}/metrics", 9101));
  o.proc_root = fixture_path("doctor/proc");
  o.docker_sockets =
      std::vector<std::string>{"/nonexistent/docker.sock", "/nonexistent/podman.sock"};
  o.only = {"container.state", "container.logs", "port.listening", "process.metrics_server"};
  auto report = run(o);
  for (const char* id : {"container.state", "container.logs"}) {
    const auto& r = by_id(report, id);
    CHECK(r.status == Status::skip);
    CHECK(has(r.summary, "does not run in a container here: no container runtime found"));
    CHECK(has(r.detail, "/nonexistent/docker.sock, /nonexistent/podman.sock"));
  }
  // The same verdicts as the host-only tests in local_checks_test.cpp.
  CHECK(by_id(report, "port.listening").summary ==
        "port 9101 listens on loopback only (127.0.0.1:9101)");
  CHECK(has(by_id(report, "process.metrics_server").summary,
            "PID 4343 listens on port 9101: /usr/bin/python3 app.py"));
}

TEST_CASE("a runtime that does not answer: skipped with the fix, the rest unchanged",
          "[doctor][containers]") {
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.docker_host = "unix:///nonexistent/docker.sock";
  o.only = {"container.state", "container.logs", "exposition.valid"};
  auto report = run(o);
  const auto& state = by_id(report, "container.state");
  CHECK(state.status == Status::skip);
  CHECK(has(state.summary, "the container runtime cannot be asked"));
  CHECK(has(state.detail, "unix:///nonexistent/docker.sock (--docker-host)"));
  CHECK(by_id(report, "exposition.valid").status == Status::pass);
  CHECK(report.exit_code == 0);
}

TEST_CASE("a named container with a broken runtime fails: the operator asked for it",
          "[doctor][containers]") {
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.docker_host = "unix:///nonexistent/docker.sock";
  o.container = "e2e3d-reconstruction-service";
  o.only = {"container.state"};
  auto report = run(o);
  CHECK(by_id(report, "container.state").status == Status::fail);
}

TEST_CASE("an address Docker's clients refuse is named with its origin", "[doctor][containers]") {
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.own_environment =
      std::vector<std::pair<std::string, std::string>>{{"DOCKER_HOST", "ssh://me@box"}};
  o.only = {"container.state"};
  auto report = run(o);
  const auto& state = by_id(report, "container.state");
  CHECK(state.status == Status::skip);
  CHECK(has(state.summary, "DOCKER_HOST ssh://me@box"));
}
