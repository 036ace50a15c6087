// Where target options come from: flag > environment > configuration file > default.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"

using e2e3d::test::fixture_path;
using e2e3d::test::run_tool;

namespace {

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = "/tmp/e2e3d-options-XXXXXX";
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    auto p = path / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
};

std::string source_of(const e2e3d::test::RunResult& r) {
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out)["source"];
}

}  // namespace

TEST_CASE("flag beats environment beats configuration file") {
  TempDir dir;
  std::string a = fixture_path("e2e3d_python.txt");
  std::string b = fixture_path("e2e3d_python.om.txt");
  std::string c = fixture_path("node_exporter.txt");
  std::string config = dir.write("config.toml", "file = \"" + c + "\"\noutput = \"json\"\n");

  CHECK(source_of(run_tool({"show", "--config", config})) == c);
  CHECK(source_of(run_tool({"show", "--config", config}, {"E2E3D_METRICS_FILE=" + b})) == b);
  CHECK(source_of(
            run_tool({"show", "--config", config, "--file", a}, {"E2E3D_METRICS_FILE=" + b})) == a);
}

TEST_CASE("the default configuration file is read from XDG_CONFIG_HOME") {
  TempDir dir;
  std::string c = fixture_path("node_exporter.txt");
  dir.write("e2e3d-metrics/config.toml", "file = \"" + c + "\"\noutput = \"json\"\n");
  auto r = run_tool({"show"}, {"XDG_CONFIG_HOME=" + dir.path.string()});
  CHECK(source_of(r) == c);
}

TEST_CASE("a bad configuration file is a usage error naming the file and key") {
  TempDir dir;
  std::string config = dir.write("config.toml", "no_such_key = 1\n");
  auto r = run_tool({"show", "--config", config});
  CHECK(r.exit_code == 64);
  CHECK(r.err.find("no_such_key") != std::string::npos);
  CHECK(r.err.find(config) != std::string::npos);
  auto bad_value = run_tool({"show", "--config", dir.write("b.toml", "timeout = \"soon\"\n")});
  CHECK(bad_value.exit_code == 64);
  CHECK(bad_value.err.find("timeout") != std::string::npos);
  auto missing = run_tool({"show", "--config", (dir.path / "absent.toml").string()});
  CHECK(missing.exit_code == 64);
}

TEST_CASE("an unknown option suggests the nearest one") {
  auto r = run_tool({"show", "--timout", "3"});
  CHECK(r.exit_code == 64);
  CHECK(r.err.find("did you mean --timeout?") != std::string::npos);
}

TEST_CASE("the version flag names the version and the git revision") {
  auto r = run_tool({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("e2e3d-metrics 0.", 0) == 0);
  CHECK(r.out.find('(') != std::string::npos);
}

TEST_CASE("a repeatable option takes one value each time, leaving the expression to the command") {
  auto ok = run_tool(
      {"query", "--file", fixture_path("e2e3d_python.txt"), "-H", "X-A: b", "e2e3d_active_jobs"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out == "e2e3d_active_jobs => 3\n");
  auto fleet = run_tool({"query", "--target", "http://127.0.0.1:1/metrics", "up"});
  CHECK(fleet.out.find("up{instance=\"127.0.0.1:1\", job=\"e2e3d\"} => 0") == 0);
}
