// A socket that refuses doctor (a user outside the docker group): the container checks skip with
// the fix, and the service is not blamed for it.
#include <sys/stat.h>

#include "container/container_test_support.hpp"

using namespace e2e3d::test;

TEST_CASE("a socket that refuses permission: skip with the docker-group fix, nothing fails for it",
          "[container]") {
  const std::string& host = require_docker_host();
  if (!host.starts_with("unix://")) {
    WARN("the daemon is not on a Unix socket: nothing to refuse; checked by the doctor tests");
    return;
  }
  struct stat st {};
  REQUIRE(stat(host.substr(7).c_str(), &st) == 0);
  REQUIRE((st.st_mode & S_IRWXO) == 0);  // dockerd's socket is root:docker 0660
  Deployment d;
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  d.with_prometheus = false;
  Running up(d);
  wait_for_metrics(metrics_url(port));

  // As nobody, without supplementary groups: what a user outside the docker group gets.
  auto r = run({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                E2E3D_METRICS_BIN, "doctor", "--url", metrics_url(port), "--docker-host", host,
                "--output", "json"});
  INFO(r.out << r.err);
  auto report = nlohmann::json::parse(r.out, nullptr, false);
  REQUIRE(report.is_object());
  for (const auto& c : report["checks"]) {
    std::string id = c["id"];
    if (id.starts_with("container.")) {
      CHECK(c["status"] == "skip");
      CHECK(contains(c["summary"], "the container runtime refuses doctor"));
      CHECK(contains(c["detail"], "docker group"));
    }
    if (id == "http.endpoint") CHECK(c["status"] == "pass");
    CHECK_FALSE(contains(c["summary"].get<std::string>() + c["detail"].get<std::string>(),
                         "docker inspect"));
  }
}
