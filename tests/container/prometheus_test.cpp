// Prometheus cannot reach the service: the containers share no network, or the configuration
// inside Prometheus's container targets the port published on the host. Both named from the
// containers themselves, and both fixes applied.
#include "container/container_test_support.hpp"

using namespace e2e3d::test;

TEST_CASE("Prometheus on another network: prometheus.target names the networks, connect fixes it",
          "[container]") {
  Deployment d;
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  d.service_extra = "    networks: [service]\n";
  d.prometheus_extra = "    networks: [monitoring]\n";
  d.networks = "networks:\n  service: {}\n  monitoring: {}\n";
  Running up(d);
  std::string service = up.container(), prometheus = up.container("prometheus");
  wait_for_metrics(metrics_url(port));
  wait_for_target(prometheus, "down");

  auto r = doctor({"--url", metrics_url(port)});
  std::string text = r.text("prometheus.target");
  INFO(r.raw.out);
  CHECK(r.status("prometheus.target") == "fail");
  CHECK(contains(text, fmt::format("containers {} and {} share no network", service, prometheus)));
  CHECK(contains(text, up.project.name() + "_service"));
  CHECK(contains(text, up.project.name() + "_monitoring"));
  const std::string fix = r.check("prometheus.target")["fix"];
  std::string connect =
      fmt::format("docker network connect --alias reconstruction-service {}_monitoring {}",
                  up.project.name(), service);
  REQUIRE(contains(fix, connect));
  CHECK(r.status("port.listening") == "pass");  // published on every address: reachable

  auto applied = docker({"network", "connect", "--alias", "reconstruction-service",
                         up.project.name() + "_monitoring", service});
  REQUIRE(applied.exit_code == 0);
  wait_for_target(prometheus, "up");
  auto after = doctor({"--url", metrics_url(port)});
  CHECK(after.status("prometheus.target") == "pass");
}

TEST_CASE("the configuration in Prometheus's container targets the host-published port",
          "[container]") {
  Deployment d;
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  Running up(d, prometheus_yaml(fmt::format("reconstruction-service:{}", port)));
  std::string service = up.container(), prometheus = up.container("prometheus");
  wait_for_metrics(metrics_url(port));
  wait_for_target(prometheus, "down");

  auto r = doctor({"--url", metrics_url(port)});
  INFO(r.raw.out);
  std::string config = r.text("prometheus.config");
  CHECK(r.status("prometheus.config") == "fail");
  CHECK(
      contains(config, fmt::format("target `reconstruction-service:{}` uses the port container {} "
                                   "is published on",
                                   port, service)));
  CHECK(contains(config, "write `reconstruction-service:9101`"));
  CHECK(contains(config, prometheus + ":/config/prometheus.yml:8"));
  CHECK(r.status("prometheus.target") == "fail");
  CHECK(contains(r.text("prometheus.target"),
                 fmt::format("the target's port {} is the one published on the host", port)));

  up.project.write("prometheus.yml", prometheus_yaml("reconstruction-service:9101"));
  // Prometheus reloads its configuration on SIGHUP (docker-init passes it on): the fix as an
  // operator applies it, without the seconds a restart costs.
  REQUIRE(docker({"kill", "--signal", "HUP", prometheus}).exit_code == 0);
  wait_for_target(prometheus, "up");
  auto after = doctor({"--url", metrics_url(port)});
  CHECK(after.status("prometheus.config") == "pass");
  CHECK(after.status("prometheus.target") == "pass");
}
