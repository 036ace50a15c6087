// Files of the wrong shape (a scalar where a mapping belongs, control characters in names and
// YAML errors) become findings with printable one-line summaries, never exceptions of yaml-cpp.
// The inputs are the ones the YAML fuzzers found (fuzz/regressions), kept here as plain text.
#include <catch2/catch.hpp>

#include "doctor/compose.hpp"
#include "doctor_test_support.hpp"
#include "e2e3d/error.hpp"
#include "e2e3d/rules/rule_file.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

namespace {

bool printable_line(const std::string& text, bool multi_line) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t' && !(multi_line && c == '\n')) || u == 0x7f) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("prometheus.config: wrongly shaped files are findings", "[doctor][hostile]") {
  for (std::string text : {"x\n", "scrape_configs: [x]\n",
                           "scrape_configs: [{job_name: e2e3d, static_configs: [x]}]\n",
                           "scrape_configs: [{job_name: e2e3d, static_configs: [{targets: x}]}]\n",
                           "global: x\nscrape_configs: []\n", "\x01: \"\\x01\"\n"}) {
    TempFile file(text, ".yml");
    auto o = options_for_url("http://127.0.0.1:9101/metrics");
    o.prometheus_config = file.path;
    Result r;
    REQUIRE_NOTHROW(r = run_check("prometheus.config", o));
    INFO(text << " -> " << r.summary << "\n" << r.detail);
    CHECK(r.status == Status::fail);
    CHECK(printable_line(r.summary, false));
    CHECK(printable_line(r.detail, true));
  }
}

TEST_CASE("rule files of the wrong shape are Errors with file:line", "[doctor][hostile]") {
  for (std::string text : {"x\n", "groups: [x]\n", "groups: [{name: g, rules: [x]}]\n",
                           "groups: [{name: g, rules: [{alert: [1], expr: up}]}]\n"}) {
    TempFile file(text, ".yml");
    try {
      auto rules = rules::load_rule_file(file.path);
      CHECK(rules.rule_count() <= 1);
    } catch (const Error& e) {
      INFO(text << " -> " << e.what());
      CHECK(has(e.what(), file.path + ":"));
      CHECK(printable_line(e.what(), false));
    }
  }
}

TEST_CASE("Compose files of the wrong shape are Errors without control characters",
          "[doctor][hostile]") {
  for (std::string text : {"just a scalar\n", "services:\n  reconstruction-service: x\n",
                           "services: {\"\x1b[31mred\": {}}\n", "a: \"\\x01\x01\"\n",
                           "services:\n  a: {}\n  b: {}\n"}) {
    TempFile file(text, ".yml");
    try {
      auto v = read_compose_variable(file.path, std::nullopt, "ENABLE_METRICS", {});
      CHECK_FALSE(v.value);
    } catch (const Error& e) {
      INFO(text << " -> " << e.what());
      CHECK(e.kind() == ErrorKind::config);
      CHECK(printable_line(e.what(), false));
    }
  }
  // Through the check, a service name with an escape sequence is shown escaped.
  TempFile file("services:\n  \"\x1b[31mred\":\n    environment: [ENABLE_METRICS=1]\n", ".yml");
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.compose_file = file.path;
  auto r = run_check("env.enable_metrics", o);
  CHECK(r.status == Status::fail);
  CHECK(has(r.detail + r.fix, "\\x1b[31mred"));
  CHECK(printable_line(r.fix, true));
}

namespace {

// 400 aliases of 400 aliases of a list of 400 under `key`: 64 million nodes from 5 KB.
std::string billion_laughs(const std::string& prefix, const std::string& key) {
  std::string a = "[", b = "[", c = "[";
  for (int i = 0; i < 400; ++i) {
    a += i ? ",x" : "x";
    b += i ? ",*a" : "*a";
    c += i ? ",*b" : "*b";
  }
  return prefix + "x-a: &a " + a + "]\nx-b: &b " + b + "]\n" + key + ": " + c + "]\n";
}

}  // namespace

TEST_CASE("YAML aliases that expand past the node limit are refused by every doctor reader",
          "[doctor][hostile]") {
  SECTION("prometheus.yml") {
    TempFile file(billion_laughs("", "scrape_configs"), ".yml");
    auto o = options_for_url("http://127.0.0.1:9101/metrics");
    o.prometheus_config = file.path;
    Result r = run_check("prometheus.config", o);
    INFO(r.summary << "\n" << r.detail);
    CHECK(r.status == Status::fail);
    CHECK(has(r.detail, file.path + ":3:"));
    CHECK(has(r.detail, "more than 200000 nodes once its aliases are expanded"));
  }
  SECTION("a Compose file") {
    TempFile file(billion_laughs("", "services"), ".yml");
    REQUIRE_THROWS_WITH(
        read_compose_variable(file.path, std::nullopt, "ENABLE_METRICS", {}),
        Catch::Contains(file.path) && Catch::Contains("more than 200000 nodes once its aliases"));
  }
  SECTION("a rule file") {
    TempFile file(billion_laughs("", "groups"), ".yml");
    REQUIRE_THROWS_WITH(rules::load_rule_file(file.path),
                        Catch::Contains(file.path + ":3:") &&
                            Catch::Contains("more than 200000 nodes once its aliases"));
  }
  SECTION("an alias inside its own anchor") {
    TempFile file("scrape_configs: &s [*s]\n", ".yml");
    auto o = options_for_url("http://127.0.0.1:9101/metrics");
    o.prometheus_config = file.path;
    Result r = run_check("prometheus.config", o);
    CHECK(r.status == Status::fail);
    CHECK(has(r.detail, "would contain itself"));
  }
}
