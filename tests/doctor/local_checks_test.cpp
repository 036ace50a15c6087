// port.listening and process.metrics_server on a /proc tree built from a real capture
// (tests/fixtures/doctor/proc): 127.0.0.1:9101 owned by PID 4343 (python3 app.py),
// 0.0.0.0:9090 owned by PID 4242 (docker-proxy), [::]:9102 whose owner is not visible.
#include <catch2/catch.hpp>

#include "doctor_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

namespace {
Result local_check(std::string_view id, int port) {
  auto o = options_for_url(fmt::format("http://localhost:{}/metrics", port));
  o.proc_root = fixture_path("doctor/proc");
  return run_check(id, o);
}
}  // namespace

TEST_CASE("port.listening: every address passes / loopback only warns / none fails",
          "[doctor][local]") {
  auto any = local_check("port.listening", 9090);
  CHECK(any.status == Status::pass);
  CHECK(any.summary == "port 9090 is listening on 0.0.0.0:9090");
  auto v6 = local_check("port.listening", 9102);
  CHECK(v6.status == Status::pass);
  CHECK(has(v6.summary, "[::]:9102"));
  auto loopback = local_check("port.listening", 9101);
  CHECK(loopback.status == Status::warn);
  CHECK(has(loopback.summary, "loopback only (127.0.0.1:9101)"));
  auto loopback6 = local_check("port.listening", 9103);
  CHECK(loopback6.status == Status::warn);
  CHECK(has(loopback6.summary, "[::1]:9103"));
  auto none = local_check("port.listening", 9999);
  CHECK(none.status == Status::fail);
  CHECK(has(none.summary, "nothing listens on port 9999"));
}

TEST_CASE("process.metrics_server: owner / docker-proxy / invisible owner", "[doctor][local]") {
  auto owner = local_check("process.metrics_server", 9101);
  CHECK(owner.status == Status::pass);
  CHECK(has(owner.summary, "PID 4343 listens on port 9101: /usr/bin/python3 app.py"));
  CHECK_FALSE(has(owner.summary + owner.detail, "hunter2"));
  auto proxy = local_check("process.metrics_server", 9090);
  CHECK(proxy.status == Status::pass);
  CHECK(has(proxy.summary, "published by PID 4242 (docker-proxy)"));
  CHECK(has(proxy.detail, "run doctor there"));
  auto hidden = local_check("process.metrics_server", 9102);
  CHECK(hidden.status == Status::warn);
  CHECK(has(hidden.summary, "its process is not visible"));
}

TEST_CASE("process.metrics_server: --pid that does not own the socket warns", "[doctor][local]") {
  auto o = options_for_url("http://127.0.0.1:9101/metrics");
  o.proc_root = fixture_path("doctor/proc");
  o.pid = 4242;
  auto r = run_check("process.metrics_server", o);
  CHECK(r.status == Status::warn);
  CHECK(has(r.summary, "PID 4343 listens on port 9101, not --pid 4242"));
}

TEST_CASE("the URL's host decides whether local checks run", "[doctor][local]") {
  for (auto host : {"localhost", "127.0.0.1", "[::1]", "127.1.2.3"}) {
    Context c(options_for_url(fmt::format("http://{}:9101/metrics", host)));
    CHECK(c.url_host_is_local() == true);
  }
  Context remote(options_for_url("http://192.0.2.7:9101/metrics"));
  CHECK(remote.url_host_is_local() == false);
  Context file(options_for_file(fixture_path("e2e3d_python.txt")));
  CHECK_FALSE(file.url_host_is_local());
}

TEST_CASE("parse_url", "[doctor][local]") {
  auto u = parse_url("HTTPS://user:pw@[::1]:9443/metrics?x=1");
  CHECK(u.scheme == "https");
  CHECK(u.host == "::1");
  CHECK(u.port == 9443);
  CHECK(u.path == "/metrics?x=1");
  CHECK(parse_url("http://example").port == 80);
  CHECK(parse_url("http://example").path == "/");
  CHECK_THROWS_AS(parse_url("example:9101"), Error);
  CHECK_THROWS_AS(parse_url("http://host:99999/"), Error);
}
