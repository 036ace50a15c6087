// Small inputs that expand: each is refused with one clear line, quickly, through the binary.
// (Peak memory of the same cases: bench/amplification_bench.sh.)
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <string>

#include "robustness/temp_file.hpp"
#include "support/child_process.hpp"

using namespace e2e3d::test;

namespace {

std::string billion_laughs(const std::string& key) {
  std::string a = "[", b = "[", c = "[";
  for (int i = 0; i < 400; ++i) {
    a += i ? ",x" : "x";
    b += i ? ",*a" : "*a";
    c += i ? ",*b" : "*b";
  }
  return "x-a: &a " + a + "]\nx-b: &b " + b + "]\n" + key + ": " + c + "]\n";
}

std::string fixture(const std::string& name) {
  return std::string(E2E3D_FIXTURES_DIR) + "/" + name;
}

// An expanded input would take minutes and gigabytes; a refusal costs about what an ordinary
// run does. The baseline is this machine's, measured now: CI is several times slower.
void took_about_an_ordinary_run(const RunResult& r) {
  auto ordinary = run_tool({"query", "--file", fixture("e2e3d_python.txt"), "up"});
  CHECK(r.seconds < 20 * ordinary.seconds + 1);
}

}  // namespace

TEST_CASE("a rule file of aliases is refused with its place, in bounded time") {
  TempFile rules("laughs.yml", billion_laughs("groups"));
  auto r = run_tool({"alerts", "--file", fixture("e2e3d_python.txt"), "--rules", rules.path()});
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(r.err.find(rules.path() + ":3:") != std::string::npos);
  CHECK(r.err.find("more than 200000 nodes once its aliases are expanded") != std::string::npos);
  took_about_an_ordinary_run(r);
}

TEST_CASE("a file_sd targets file of aliases is refused with its place, in bounded time") {
  // A list of target groups whose targets list is 400 x 400 x 400 addresses.
  std::string a = "[", b = "[", c = "[";
  for (int i = 0; i < 400; ++i) {
    a += i ? ",\"127.0.0.1:1\"" : "\"127.0.0.1:1\"";
    b += i ? ",*a" : "*a";
    c += i ? ",*b" : "*b";
  }
  TempFile sd("laughs.yml", "- targets: &a " + a + "]\n- targets: &b " + b +
                                "]\n  labels: {x: y}\n- targets: " + c + "]\n");
  auto r = run_tool({"query", "--targets-file", sd.path(), "up"});
  INFO(r.err);
  CHECK(r.exit_code != 0);
  CHECK(r.err.find(sd.path() + ":") != std::string::npos);
  CHECK(r.err.find("more than 200000 nodes once its aliases are expanded") != std::string::npos);
  took_about_an_ordinary_run(r);
}

TEST_CASE("templates that grow are stopped, and the alert says why") {
  std::string doubling = "{{$x := \"ab\"}}";
  for (int i = 0; i < 40; ++i)
    doubling += "{{$x = print $x $x}}";
  TempFile rules("rules.yml",
                 "groups:\n- name: g\n  rules:\n  - alert: Grow\n    expr: vector(1)\n"
                 "    annotations:\n      summary: '" +
                     doubling + "{{$x}}'\n");
  auto r = run_tool(
      {"alerts", "--file", fixture("e2e3d_python.txt"), "--rules", rules.path(), "-o", "json"});
  INFO(r.err);
  CHECK(r.out.find("<error expanding template: ") != std::string::npos);
  CHECK(r.out.find("the limit of a template's output") != std::string::npos);
  CHECK(r.out.size() < 100'000);
  took_about_an_ordinary_run(r);
}
