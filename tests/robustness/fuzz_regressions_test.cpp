// Every input in fuzz/regressions/<target>/ once crashed a fuzz target or broke its contract
// (see fuzz/harness/support.hpp); every input in fuzz/corpus/<target>/ is a seed. Both are
// replayed here through the same harnesses, in the normal build (and under ASan+UBSan by
// scripts/sanitize.sh), so a fixed finding stays fixed without running the fuzzer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "../../fuzz/harness/support.hpp"
#include "support/child_process.hpp"

namespace {

namespace fs = std::filesystem;
using Harness = std::function<void(std::string_view)>;

const std::map<std::string, Harness>& harnesses() {
  static const std::map<std::string, Harness> all = {
      {"fuzz_exposition", e2e3d::fuzz::exposition_input},
      {"fuzz_promql", e2e3d::fuzz::promql_input},
      {"fuzz_yaml_compose", e2e3d::fuzz::yaml_compose_input},
      {"fuzz_yaml_rules", e2e3d::fuzz::yaml_rules_input},
      {"fuzz_yaml_doctor", e2e3d::fuzz::yaml_doctor_input},
      {"fuzz_yaml_load", e2e3d::fuzz::yaml_load_input},
      {"fuzz_template", e2e3d::fuzz::template_input},
      {"fuzz_recording", e2e3d::fuzz::recording_input},
      {"fuzz_json_api", e2e3d::fuzz::json_api_input},
      {"fuzz_json_file_sd", e2e3d::fuzz::json_file_sd_input},
  };
  return all;
}

std::vector<fs::path> inputs(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Replays every input of every target under `root`; returns how many ran.
std::size_t replay(const fs::path& root) {
  std::size_t count = 0;
  REQUIRE(fs::is_directory(root));
  for (const auto& target : fs::directory_iterator(root)) {
    if (!target.is_directory()) continue;
    std::string name = target.path().filename().string();
    INFO("target " << name);
    auto harness = harnesses().find(name);
    REQUIRE(harness != harnesses().end());  // a directory without a harness is a typo
    for (const auto& input : inputs(target.path())) {
      INFO("input " << input.string());
      std::string data = e2e3d::test::read_file(input.string());
      CHECK_NOTHROW(harness->second(data));
      ++count;
    }
  }
  return count;
}

}  // namespace

TEST_CASE("fuzz regressions: inputs that once failed pass their harness") {
  CHECK(replay(fs::path(E2E3D_SOURCE_DIR) / "fuzz" / "regressions") > 0);
}

TEST_CASE("fuzz seeds: every seed input passes its harness") {
  CHECK(replay(fs::path(E2E3D_SOURCE_DIR) / "fuzz" / "corpus") > 0);
}
