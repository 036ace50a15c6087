// What doctor sees when the containers' /proc is not ours to read (a remote daemon, rootless
// Podman, another PID namespace): Prometheus's configuration comes through the archive endpoint
// (a tar stream, what `docker cp` uses), and what needs the container's sockets says it cannot
// know instead of guessing.
#include "container/container_test_support.hpp"
#include "e2e3d/doctor/doctor.hpp"

using namespace e2e3d;
using namespace e2e3d::test;

TEST_CASE("without the containers' /proc: the config through docker cp, the sockets unknown",
          "[container]") {
  Deployment d;
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  Running up(d);
  wait_for_metrics(metrics_url(port));

  doctor::Options o;
  o.source.fetch.url = metrics_url(port);
  o.timeout_seconds = 10;
  o.docker_host = require_docker_host();
  o.own_environment = std::vector<std::pair<std::string, std::string>>{};
  o.proc_root = "/nonexistent-proc";
  o.only = {"prometheus.config", "process.metrics_server", "port.listening", "env.enable_metrics"};
  auto report = doctor::run(o);
  auto result = [&](std::string_view id) {
    for (const auto& r : report.results) {
      if (r.id == id) return r;
    }
    FAIL("no " << id);
    return doctor::Result{};
  };
  auto config = result("prometheus.config");
  INFO(config.summary << "\n" << config.detail);
  CHECK(config.status == doctor::Status::pass);
  CHECK(contains(config.detail,
                 "docker cp " + up.container("prometheus") + ":/config/prometheus.yml"));
  auto process = result("process.metrics_server");
  INFO(process.summary << "\n" << process.detail);
  CHECK(process.status == doctor::Status::skip);
  CHECK(contains(process.summary, "cannot be seen from here"));
  CHECK(contains(process.detail, "e2e3d_exporter.py"));  // docker top still lists it
  CHECK(result("port.listening").status == doctor::Status::skip);
  CHECK(result("env.enable_metrics").status == doctor::Status::pass);  // Config.Env needs no /proc
}
