// The Docker Compose reader of `doctor --compose` on arbitrary bytes. The input is split at the
// first line "#.env": before it the Compose file, after it the text that is both the project's
// .env and an env file named vars.env next to it, so env_file: and interpolation get fuzzed too.
// The first byte picks whether --service is given. The reader takes a path, so each input is
// written to a private directory first (one per process, removed at exit).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "doctor/compose.hpp"
#include "support.hpp"

namespace e2e3d::fuzz {
namespace {

constexpr std::string_view kTarget = "fuzz_yaml_compose";

// Allocated once and never destroyed: the atexit handler that removes the directory runs after
// static destructors registered later, so it must not use a static object.
const std::filesystem::path& directory() {
  static const std::filesystem::path* dir = [] {
    auto* d = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                        ("e2e3d_fuzz_yaml_compose." + std::to_string(::getpid())));
    std::filesystem::create_directories(*d);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(directory(), ignored);
    });
    return d;
  }();
  return *dir;
}

void write(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

void yaml_compose_input(std::string_view data) {
  if (data.empty()) return;
  std::optional<std::string> service;
  if (data[0] & 1) service = "reconstruction-service";
  std::string_view input = data.substr(1);
  std::string_view compose = input;
  std::string_view env;
  if (auto split = input.find("\n#.env\n"); split != std::string_view::npos) {
    compose = input.substr(0, split + 1);
    env = input.substr(split + 7);
  }
  const auto& dir = directory();
  write(dir / "docker-compose.yml", compose);
  write(dir / ".env", env);
  write(dir / "vars.env", env);

  try {
    (void)doctor::read_compose_variable((dir / "docker-compose.yml").string(), service,
                                        "ENABLE_METRICS",
                                        {{"ENABLE_METRICS", "shell"}, {"HOME", "/root"}});
  } catch (const e2e3d::Error& e) {
    check_error_message(e, kTarget);
  }
  (void)doctor::interpolate(env, {{"A", "a"}, {"EMPTY", ""}});
}

}  // namespace e2e3d::fuzz
