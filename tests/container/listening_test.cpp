// The server inside the container: bound to loopback (docker-proxy cannot reach it), or unable
// to bind because the port is taken.
#include "container/container_test_support.hpp"

using namespace e2e3d::test;

TEST_CASE("bound to 127.0.0.1 inside the container: a failure with the addr fix, which works",
          "[container]") {
  Deployment d;
  d.bind = "127.0.0.1";
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  Running up(d);
  std::string service = up.container();
  wait_for_log(service, "9101");

  auto r = doctor({"--url", metrics_url(port)});
  std::string text = r.text("port.listening");
  INFO(text);
  CHECK(r.status("port.listening") == "fail");
  CHECK(contains(text, "loopback only inside container " + service));
  CHECK(contains(text, "127.0.0.1:9101"));
  const std::string fix = r.check("port.listening")["fix"];
  CHECK(contains(fix, "addr='0.0.0.0'"));
  CHECK(r.status("env.enable_metrics") == "pass");

  d.bind = "0.0.0.0";  // the fix: the server on every address of the container
  up.project.write("docker-compose.yml", compose_yaml(d));
  up.project.up({"reconstruction-service"});
  wait_for_metrics(metrics_url(port));
  auto after = doctor({"--url", metrics_url(port)});
  CHECK(after.status("port.listening") == "pass");
  CHECK(after.status("http.endpoint") == "pass");
}

TEST_CASE("Address already in use: the log's Errno 98 is quoted by container.logs", "[container]") {
  Deployment d;
  int port = free_port();
  d.ports = fmt::format("{}:9101", port);
  // Something else takes 9101 first; the exporter then fails to bind, as the service would.
  d.service_command =
      R"x(["/usr/bin/python3", "-c", "import socket, subprocess, sys, time\ns = socket.socket()\ns.bind(('0.0.0.0', 9101))\ns.listen()\nsubprocess.call([sys.executable, '/support/e2e3d_exporter.py', '--bind', '0.0.0.0', '--port', '9101'])\ntime.sleep(3600)"])x";
  Running up(d);
  std::string service = up.container();
  wait_for_log(service, "Address already in use");

  auto r = doctor({"--url", metrics_url(port)}, {}, "3");
  std::string text = r.text("container.logs");
  INFO(text);
  CHECK(r.status("container.logs") == "fail");
  CHECK(contains(text, "[Errno 98] Address already in use"));
  CHECK(contains(text, "docker logs --tail 200 " + service));
  // The squatter's command line (a python -c with newlines) is printed on one line, escaped.
  std::string process = r.text("process.metrics_server");
  INFO(process);
  CHECK(contains(process, "python3 -c import socket, subprocess, sys, time\\ns = socket"));
}
