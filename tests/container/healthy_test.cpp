// The document's deployment, healthy, and the two ways of publishing it that are fine when
// Prometheus shares the service's network: on 127.0.0.1 only, and not at all.
#include "container/container_test_support.hpp"

using namespace e2e3d::test;

TEST_CASE("healthy Compose deployment: every container-aware check passes and names its source",
          "[container]") {
  Deployment d;
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  Running up(d);
  std::string service = up.container(), prometheus = up.container("prometheus");
  wait_for_metrics(metrics_url(port));
  wait_for_target(prometheus, "up");

  auto r = doctor({"--url", metrics_url(port)});
  std::vector<std::string> ids;
  for (const auto& c : r.report["checks"])
    ids.push_back(c["id"]);
  CHECK(ids == std::vector<std::string>{"env.enable_metrics", "container.state",
                                        "process.metrics_server", "port.listening", "http.endpoint",
                                        "exposition.valid", "metrics.documented", "metrics.sanity",
                                        "container.logs", "prometheus.config", "prometheus.target",
                                        "alerts.rules"});
  for (const char* id :
       {"env.enable_metrics", "container.state", "process.metrics_server", "port.listening",
        "http.endpoint", "container.logs", "prometheus.config", "prometheus.target"}) {
    INFO(id << ": " << r.text(id));
    CHECK(r.status(id) == "pass");
  }
  CHECK(contains(r.text("env.enable_metrics"), "docker inspect " + service));
  CHECK(contains(r.text("env.enable_metrics"), fmt::format("publishes port {}", port)));
  CHECK(contains(r.text("container.state"), "docker inspect " + service));
  CHECK(contains(r.text("process.metrics_server"), "docker top " + service));
  CHECK(contains(r.text("process.metrics_server"), "e2e3d_exporter.py"));
  CHECK_FALSE(contains(r.text("process.metrics_server"), "docker-proxy"));
  CHECK(contains(r.text("port.listening"), fmt::format("0.0.0.0:{}->9101/tcp", port)));
  CHECK(contains(r.text("prometheus.config"), "/config/prometheus.yml in container " + prometheus));
  CHECK(contains(r.text("prometheus.target"), "container " + prometheus));
  CHECK(contains(r.text("container.logs"), "docker logs"));
}

TEST_CASE("published on 127.0.0.1 only: fine, Prometheus shares the network, no bind fix",
          "[container]") {
  Deployment d;
  int port = free_port();
  d.ports = fmt::format("127.0.0.1:{}:9101", port);
  Running up(d);
  wait_for_metrics(metrics_url(port));

  auto r = doctor({"--url", metrics_url(port)});
  INFO(r.text("port.listening"));
  CHECK(r.status("port.listening") == "pass");
  CHECK(contains(r.text("port.listening"), fmt::format("127.0.0.1:{}->9101/tcp only", port)));
  CHECK(contains(r.text("port.listening"), "Prometheus (" + up.container("prometheus")));
  for (const auto& c : r.report["checks"]) {
    CHECK_FALSE(contains(c["fix"].get<std::string>(), "addr='0.0.0.0'"));
  }
  CHECK(r.status("process.metrics_server") == "pass");
}

TEST_CASE("published on 127.0.0.1 only and no Prometheus on its network: a warning about ports:",
          "[container]") {
  Deployment d;
  int port = free_port();
  d.ports = fmt::format("127.0.0.1:{}:9101", port);
  d.with_prometheus = false;
  Running up(d);
  wait_for_metrics(metrics_url(port));

  auto r = doctor({"--url", metrics_url(port)});
  INFO(r.text("port.listening"));
  CHECK(r.status("port.listening") == "warn");
  CHECK(contains(r.check("port.listening")["fix"].get<std::string>(), "ports:"));
  CHECK_FALSE(contains(r.text("port.listening"), "addr="));
}

TEST_CASE("not published, Prometheus on the same network: found by its address, passes",
          "[container]") {
  Deployment d;  // no ports:
  Running up(d);
  std::string service = up.container();
  std::string url = fmt::format("http://{}:9101/metrics", container_ip(service));
  wait_for_metrics(url);

  auto r = doctor({"--url", url});
  INFO(r.text("port.listening"));
  CHECK(r.status("port.listening") == "pass");
  CHECK(contains(r.text("port.listening"), "not published on the host"));
  CHECK(contains(r.text("env.enable_metrics"), "address or network name is"));
  CHECK(r.status("env.enable_metrics") == "pass");
  CHECK(r.status("process.metrics_server") == "pass");
  CHECK(r.status("http.endpoint") == "pass");
}
