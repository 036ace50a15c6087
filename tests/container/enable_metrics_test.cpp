// The document's first cause: ENABLE_METRICS missing (or not `true`) in the container. The
// container's Config.Env is read, the cause named, and the printed fix, applied, works.
#include "container/container_test_support.hpp"

using namespace e2e3d::test;

namespace {

// Applies the fix doctor printed for a Compose deployment: the variable in the file, then
// `docker compose up -d reconstruction-service`.
void apply_compose_fix(Running& up, Deployment d, const std::string& fix) {
  REQUIRE(contains(fix, "docker compose up -d reconstruction-service"));
  d.environment = {"ENABLE_METRICS=true"};
  up.project.write("docker-compose.yml", compose_yaml(d));
  up.project.up({"reconstruction-service"});
}

}  // namespace

TEST_CASE("ENABLE_METRICS missing: named from the container's environment, fixed by the fix",
          "[container]") {
  Deployment d;
  d.environment = {};
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  Running up(d);
  std::string service = up.container();
  wait_for_log(service, "0");  // the exporter printed that it idles without a server

  auto r = doctor({"--url", metrics_url(port)});
  INFO(r.raw.out);
  CHECK(r.status("env.enable_metrics") == "fail");
  CHECK(contains(r.text("env.enable_metrics"), "ENABLE_METRICS is not set"));
  CHECK(contains(r.text("env.enable_metrics"), "docker inspect " + service));
  CHECK(r.status("port.listening") == "fail");
  CHECK(contains(r.text("port.listening"),
                 "nothing listens on port 9101 inside container " + service));
  CHECK(r.status("process.metrics_server") == "fail");
  CHECK(contains(r.text("process.metrics_server"), "e2e3d_exporter.py"));  // running, no server
  CHECK_FALSE(contains(r.text("process.metrics_server"), "docker-proxy"));
  CHECK(r.status("container.state") == "pass");
  // docker-proxy resets the connection; the endpoint's failure names the cause it hides.
  CHECK(r.status("http.endpoint") == "fail");
  CHECK(contains(r.text("http.endpoint"),
                 "nothing listens on port 9101 inside container " + service));

  apply_compose_fix(up, d, r.check("env.enable_metrics")["fix"]);
  wait_for_metrics(metrics_url(port));
  auto after = doctor({"--url", metrics_url(port)});
  for (const char* id :
       {"env.enable_metrics", "process.metrics_server", "port.listening", "http.endpoint"}) {
    INFO(id << ": " << after.text(id));
    CHECK(after.status(id) == "pass");
  }
}

TEST_CASE("ENABLE_METRICS=1: the service accepts only true, fixed by the fix", "[container]") {
  Deployment d;
  d.environment = {"ENABLE_METRICS=1"};
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  Running up(d);
  wait_for_log(up.container(), "0");

  auto r = doctor({"--url", metrics_url(port), "--compose", up.project.file()});
  INFO(r.raw.out);
  CHECK(r.status("env.enable_metrics") == "fail");
  CHECK(
      contains(r.text("env.enable_metrics"), "ENABLE_METRICS=1: the service accepts only `true`"));
  CHECK(r.status("port.listening") == "fail");

  apply_compose_fix(up, d, r.check("env.enable_metrics")["fix"]);
  wait_for_metrics(metrics_url(port));
  auto after = doctor({"--url", metrics_url(port), "--compose", up.project.file()});
  CHECK(after.status("env.enable_metrics") == "pass");
  CHECK(after.status("port.listening") == "pass");
}

TEST_CASE("the Compose file says true, the running container has none: the drift is named",
          "[container]") {
  Deployment d;
  d.environment = {};
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  Running up(d);
  std::string service = up.container();
  wait_for_log(service, "0");
  // The file is fixed, the container is not recreated: what an operator sees after editing.
  Deployment fixed = d;
  fixed.environment = {"ENABLE_METRICS=true"};
  up.project.write("docker-compose.yml", compose_yaml(fixed));

  auto r = doctor({"--url", metrics_url(port), "--compose", up.project.file()});
  std::string text = r.text("env.enable_metrics");
  INFO(text);
  CHECK(r.status("env.enable_metrics") == "fail");
  CHECK(contains(text, "the Compose file says ENABLE_METRICS=true, but container " + service));
  CHECK(contains(text, "has none"));
  const std::string fix = r.check("env.enable_metrics")["fix"];
  CHECK(contains(fix, "docker compose up -d reconstruction-service"));

  up.project.up({"reconstruction-service"});
  wait_for_metrics(metrics_url(port));
  auto after = doctor({"--url", metrics_url(port), "--compose", up.project.file()});
  CHECK(after.status("env.enable_metrics") == "pass");
  CHECK(after.status("http.endpoint") == "pass");
}
