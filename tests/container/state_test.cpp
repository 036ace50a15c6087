// A container that is not running: exited with a Python traceback, or restarting in a loop. The
// state, the exit code and the log's exception line are the diagnosis.
#include "container/container_test_support.hpp"

using namespace e2e3d::test;

namespace {

const char* kCrash =
    R"x(["/usr/bin/python3", "-c", "import sys\nprint('starting reconstruction service', flush=True)\nraise RuntimeError('cannot open /data/jobs.db')"])x";

}  // namespace

TEST_CASE("exited with a traceback: container.state and container.logs name it", "[container]") {
  Deployment d;
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  d.service_command = kCrash;
  Running up(d);
  std::string service = up.container();
  REQUIRE(wait_until([&] {
    auto r = docker({"inspect", "--format", "{{.State.Status}}", service});
    return contains(r.out, "exited");
  }));

  auto r = doctor({"--url", metrics_url(port), "--compose", up.project.file()});
  std::string state = r.text("container.state");
  INFO(r.raw.out);
  CHECK(r.status("container.state") == "fail");
  CHECK(contains(state, "container " + service + " is exited: exit code 1"));
  CHECK(contains(state, "RuntimeError: cannot open /data/jobs.db"));
  CHECK(contains(state, "service reconstruction-service of " + up.project.file()));
  CHECK(contains(r.check("container.state")["fix"].get<std::string>(),
                 "docker compose up -d reconstruction-service"));
  CHECK(r.status("container.logs") == "fail");
  CHECK(contains(r.check("container.logs")["summary"].get<std::string>(),
                 "RuntimeError: cannot open /data/jobs.db"));
  // What needs a running container is skipped for that reason, not failed on its own.
  CHECK(r.status("process.metrics_server") == "skip");
  CHECK(contains(r.text("process.metrics_server"), "container.state"));
  CHECK(r.status("port.listening") == "skip");
}

TEST_CASE("restart loop: restarting, with the restart count and the last lines", "[container]") {
  Deployment d;
  d.service_command = kCrash;
  d.service_extra = "    restart: always\n";
  Running up(d);
  std::string service = up.container();
  // Docker's back-off keeps it in `restarting` most of the time after a few crashes.
  REQUIRE(wait_until([&] {
    auto r = docker({"inspect", "--format", "{{.RestartCount}}", service});
    return std::atoi(r.out.c_str()) >= 2;
  }));
  std::string summary;
  bool restarting = wait_until(
      [&] {
        auto r = doctor({"--container", service});
        summary = r.text("container.state");
        return r.status("container.state") == "fail" && contains(summary, "is restarting");
      },
      std::chrono::seconds(20));
  INFO(summary);
  CHECK(restarting);
  CHECK(contains(summary, "has been restarted"));
  CHECK(contains(summary, "--container " + service));
  CHECK(contains(summary, "RuntimeError: cannot open /data/jobs.db"));
}
