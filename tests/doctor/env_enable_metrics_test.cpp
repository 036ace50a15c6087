#include <catch2/catch.hpp>

#include "doctor_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

namespace {
using Env = std::vector<std::pair<std::string, std::string>>;
Options compose_options(const std::string& name, Env own = {}) {
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.compose_file = fixture_path("doctor/compose/" + name);
  o.own_environment = own;
  return o;
}
}  // namespace

TEST_CASE("env: Compose list form with true passes and names the source", "[doctor][env]") {
  auto r = run_check("env.enable_metrics", compose_options("list_form.yml"));
  CHECK(r.status == Status::pass);
  CHECK(has(r.summary, "ENABLE_METRICS=true"));
  CHECK(has(r.summary, "list_form.yml:6"));
}

TEST_CASE("env: any letter case of true passes", "[doctor][env]") {
  CHECK(run_check("env.enable_metrics", compose_options("map_form.yml")).status == Status::pass);
  CHECK(run_check("env.enable_metrics", compose_options("env_file.yml")).status == Status::pass);
}

TEST_CASE("env: 1 / yes and off fail and say what the service accepts", "[doctor][env]") {
  auto one = run_check("env.enable_metrics", compose_options("one_instead_of_true.yml"));
  CHECK(one.status == Status::fail);
  CHECK(has(one.summary, "ENABLE_METRICS=1"));
  CHECK(has(one.summary, "accepts only `true`"));
  CHECK(has(one.fix, "ENABLE_METRICS=true"));
  auto yes = run_check("env.enable_metrics", compose_options("yes_list.yml"));
  CHECK(yes.status == Status::fail);
  CHECK(has(yes.summary, "`yes`"));
  auto off = run_check("env.enable_metrics", compose_options("environment_beats_env_file.yml"));
  CHECK(off.status == Status::fail);
  CHECK(has(off.summary, "ENABLE_METRICS=off: metrics are off"));
}

TEST_CASE("env: a value with extra characters fails saying so", "[doctor][env]") {
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.own_environment = Env{{"ENABLE_METRICS", "true "}};
  auto r = run_check("env.enable_metrics", o);
  CHECK(r.status == Status::fail);
  CHECK(has(r.summary, "extra characters"));
}

TEST_CASE("env: unset in Compose fails - interpolation and the shell are followed",
          "[doctor][env]") {
  auto unset = run_check("env.enable_metrics", compose_options("not_set.yml"));
  CHECK(unset.status == Status::fail);
  CHECK(has(unset.summary, "not set"));
  auto interpolated = run_check(
      "env.enable_metrics", compose_options("interpolated.yml", {{"E2E3D_METRICS_SWITCH", "on"}}));
  CHECK(interpolated.status == Status::fail);
  CHECK(has(interpolated.detail, "interpolated"));
  auto shell = run_check("env.enable_metrics",
                         compose_options("from_shell.yml", {{"ENABLE_METRICS", "TRUE"}}));
  CHECK(shell.status == Status::pass);
  CHECK(has(shell.detail, "from the shell"));
}

TEST_CASE("env: a broken Compose file fails with its place", "[doctor][env]") {
  auto r = run_check("env.enable_metrics", compose_options("broken.yml"));
  CHECK(r.status == Status::fail);
  CHECK(has(r.detail, "broken.yml:5:"));
}

TEST_CASE("env: doctor's own environment is the last source - none at all is skip",
          "[doctor][env]") {
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.own_environment = Env{{"ENABLE_METRICS", "True"}};
  auto own = run_check("env.enable_metrics", o);
  CHECK(own.status == Status::pass);
  CHECK(has(own.summary, "doctor's own environment"));
  o.own_environment = Env{};
  auto none = run_check("env.enable_metrics", o);
  CHECK(none.status == Status::skip);
  CHECK(has(none.summary, "--pid"));
  CHECK(has(none.summary, "--compose"));
}

TEST_CASE("env: the owner of the listening socket beats Compose", "[doctor][env]") {
  // A /proc tree: PID 4343 owns 127.0.0.1:9101 and has ENABLE_METRICS=1.
  auto o = options_for_url("http://127.0.0.1:9101/metrics");
  o.proc_root = fixture_path("doctor/proc");
  o.compose_file = fixture_path("doctor/compose/list_form.yml");
  auto r = run_check("env.enable_metrics", o);
  CHECK(r.status == Status::fail);
  CHECK(has(r.summary, "ENABLE_METRICS=1"));
  CHECK(has(r.detail, "/proc/4343/environ"));
  CHECK(has(r.detail, "--password ***"));
  CHECK_FALSE(has(r.detail, "hunter2"));
  CHECK_FALSE(has(r.detail + r.summary + r.fix, "SECRET_TOKEN"));
}

TEST_CASE("env: a docker-proxy owner is not the service - Compose decides", "[doctor][env]") {
  auto o = options_for_url("http://127.0.0.1:9090/metrics");
  o.proc_root = fixture_path("doctor/proc");
  o.compose_file = fixture_path("doctor/compose/list_form.yml");
  auto r = run_check("env.enable_metrics", o);
  CHECK(r.status == Status::pass);
  CHECK(has(r.detail, "docker-proxy"));
  CHECK(has(r.summary, "list_form.yml"));
}

// The process named is the one to judge: neither the Compose file nor the port's owner stands
// in for a PID that names no process (issue 16 item 24).
TEST_CASE("env: --pid of a process that does not exist fails, naming it", "[doctor][env]") {
  auto o = compose_options("list_form.yml");
  o.pid = 0x3ffffff0;
  auto r = run_check("env.enable_metrics", o);
  CHECK(r.status == Status::fail);
  CHECK(has(r.summary, fmt::format("--pid {}: no such process", 0x3ffffff0)));
}
