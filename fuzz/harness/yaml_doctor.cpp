// The YAML readers of `doctor` other than Compose, on arbitrary bytes: the first byte picks the
// prometheus.config check (--prometheus-config FILE) or the rule-file reader doctor's --rules uses.
// A check must turn any file into a Result, never an exception; its summary is one line and
// none of its texts carry control characters other than line breaks and tabs.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "doctor/checks/checks.hpp"
#include "e2e3d/doctor/context.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "support.hpp"

namespace e2e3d::fuzz {
namespace {

constexpr std::string_view kTarget = "fuzz_yaml_doctor";

// Allocated once and never destroyed: the atexit handler that removes the directory runs after
// static destructors registered later, so it must not use a static object.
const std::string& input_path() {
  static const std::string* path = [] {
    auto dir = std::filesystem::temp_directory_path() /
               ("e2e3d_fuzz_yaml_doctor." + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    auto* p = new std::string((dir / "input.yml").string());
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(std::filesystem::path(input_path()).parent_path(), ignored);
    });
    return p;
  }();
  return *path;
}

void check_text(std::string_view text, bool multi_line, std::string_view what) {
  if (std::getenv("E2E3D_FUZZ_ALLOW_CONTROL_CHARACTERS")) return;
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool allowed = c == '\t' || (multi_line && c == '\n');
    if ((u < 0x20 && !allowed) || u == 0x7f) {
      throw Finding(kTarget, "control character " + std::to_string(u) + " in the result's " +
                                 std::string(what) + ": " + std::string(text.substr(0, 300)));
    }
  }
}

}  // namespace

void yaml_doctor_input(std::string_view data) {
  if (data.empty()) return;
  {
    std::ofstream out(input_path(), std::ios::binary | std::ios::trunc);
    out.write(data.data() + 1, static_cast<std::streamsize>(data.size() - 1));
  }
  if (data[0] & 1) {
    try {
      (void)rules::load_rule_file(input_path());
    } catch (const Error& e) {
      check_error_message(e, kTarget);
    }
    return;
  }
  doctor::Options options;
  options.prometheus_config = input_path();
  options.only = {"prometheus.config"};
  doctor::Context context(options);
  doctor::Result result = doctor::check_prometheus_config(context);
  check_text(result.summary, false, "summary");
  check_text(result.detail, true, "detail");
  check_text(result.fix, true, "fix");
}

}  // namespace e2e3d::fuzz
