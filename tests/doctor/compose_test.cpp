#include <catch2/catch.hpp>

#include "doctor/compose.hpp"
#include "doctor_test_support.hpp"
#include "e2e3d/error.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

namespace {
using Env = std::vector<std::pair<std::string, std::string>>;
ComposeValue read(const std::string& name, std::optional<std::string> service = std::nullopt,
                  Env env = {}) {
  return read_compose_variable(fixture_path("doctor/compose/" + name), service, "ENABLE_METRICS",
                               env);
}
}  // namespace

TEST_CASE("compose: list form / the documented service chosen by name", "[doctor][compose]") {
  auto v = read("list_form.yml");
  CHECK(v.service == "reconstruction-service");
  CHECK(v.value == "true");
  CHECK(has(v.origin, "list_form.yml:6"));
  CHECK(has(v.origin, "list form"));
  CHECK(v.services == std::vector<std::string>{"reconstruction-service", "prometheus"});
}

TEST_CASE("compose: map form keeps the literal text of the YAML value", "[doctor][compose]") {
  auto v = read("map_form.yml");
  CHECK(v.service == "api");  // the only service
  CHECK(v.value == "True");
  CHECK(has(v.origin, "map form"));
  CHECK(read("one_instead_of_true.yml").value == "1");
  CHECK(read("yes_list.yml").value == "yes");
}

TEST_CASE("compose: env_file entries / later files win / environment beats env_file",
          "[doctor][compose]") {
  auto v = read("env_file.yml");
  CHECK(v.value == "TRUE");
  CHECK(has(v.origin, "metrics.env:1"));
  auto w = read("environment_beats_env_file.yml");
  CHECK(w.value == "off");
  CHECK(has(w.origin, "environment"));
}

TEST_CASE("compose: interpolation and variables passed from the shell", "[doctor][compose]") {
  auto v = read("interpolated.yml");
  CHECK(v.value == "true");
  CHECK(v.raw == "${E2E3D_METRICS_SWITCH:-true}");
  auto off = read("interpolated.yml", std::nullopt, {{"E2E3D_METRICS_SWITCH", "0"}});
  CHECK(off.value == "0");
  auto shell = read("from_shell.yml", std::nullopt, {{"ENABLE_METRICS", "yes"}});
  CHECK(shell.from_shell);
  CHECK(shell.value == "yes");
  auto unset_shell = read("from_shell.yml");
  CHECK(unset_shell.from_shell);
  CHECK_FALSE(unset_shell.value);
}

TEST_CASE("compose: a service without the variable", "[doctor][compose]") {
  auto v = read("not_set.yml");
  CHECK(v.service == "reconstruction-service");
  CHECK_FALSE(v.value);
  CHECK(v.origin.empty());
}

TEST_CASE("compose: errors name the file / the place and the way out", "[doctor][compose]") {
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  auto several = message([] { read("two_services.yml"); });
  CHECK(has(several, "web, worker"));
  CHECK(has(several, "--service"));
  auto missing = message([] { read("list_form.yml", "api"); });
  CHECK(has(missing, "no service api"));
  CHECK(has(missing, "reconstruction-service, prometheus"));
  auto broken = message([] { read("broken.yml"); });
  CHECK(has(broken, "broken.yml:5:"));
  CHECK(has(message([] { read("does-not-exist.yml"); }), "cannot read"));
}

TEST_CASE("interpolate handles Compose's forms", "[doctor][compose]") {
  Env env{{"A", "x"}, {"EMPTY", ""}};
  CHECK(interpolate("$A-${A}", env) == "x-x");
  CHECK(interpolate("${EMPTY:-d}|${EMPTY-d}|${NONE-d}", env) == "d||d");
  CHECK(interpolate("$$A", env) == "$A");
  CHECK(interpolate("${NONE}", env).empty());
}

TEST_CASE("parse_env_file handles comments / export and quotes", "[doctor][compose]") {
  auto entries = parse_env_file("# c\n\nexport A=\"1 2\"\nB='x'\nC=plain # note\nD\n");
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].key == "A");
  CHECK(entries[0].value == "1 2");
  CHECK(entries[0].line == 3);
  CHECK(entries[1].value == "x");
  CHECK(entries[2].value == "plain");
}
