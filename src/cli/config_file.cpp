#include "cli/config_file.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "e2e3d/error.hpp"
#include "e2e3d/sys/bounded_file.hpp"

namespace e2e3d::cli {

std::optional<std::string> config_path(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") break;
    if (arg == "--config" && i + 1 < argc) return std::string(argv[i + 1]);
    if (arg.starts_with("--config=")) return std::string(arg.substr(9));
  }
  std::filesystem::path dir;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    dir = xdg;
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    dir = std::filesystem::path(home) / ".config";
  } else {
    return std::nullopt;
  }
  auto path = dir / "e2e3d-metrics" / "config.toml";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return path.string();
  return std::nullopt;
}

void apply_config_file(CLI::App& app, const std::string& path) {
  std::string text;
  try {
    text = sys::read_bounded_file(path, {"the configuration file", sys::kMaxConfigBytes});
  } catch (const Error& e) {
    throw CLI::FileError(e.what());
  }
  std::istringstream in(text);
  CLI::ConfigTOML reader;
  for (const CLI::ConfigItem& item : reader.from_config(in)) {
    std::string key = item.fullname();
    if (key == "++" || key == "--") continue;  // CLI11's section markers
    CLI::Option* option = app.get_option_no_throw("--" + key);
    if (option == nullptr || key == "config") {
      throw CLI::ValidationError(
          fmt::format("{}: unknown key '{}' (keys are the global options without dashes, "
                      "e.g. url, timeout, header)",
                      path, key));
    }
    try {
      option->run_callback_for_default();
      if (option->get_expected_max() > 1 && item.inputs.size() > 1) {
        option->default_val(item.inputs);
      } else {
        option->default_val(item.inputs.empty() ? std::string() : item.inputs.front());
      }
    } catch (const CLI::Error& e) {
      throw CLI::ValidationError(fmt::format("{}: key '{}': {}", path, key, e.what()));
    }
  }
}

}  // namespace e2e3d::cli
