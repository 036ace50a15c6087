#pragma once
// The optional configuration file. Precedence is flag > environment > file > default, which
// CLI11's own config support cannot give (it lets a file beat the environment), so the file's
// values are applied as the options' defaults before parsing.

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace e2e3d::cli {

// `--config PATH` from argv when given (a missing file is then an error), else
// $XDG_CONFIG_HOME/e2e3d-metrics/config.toml (or ~/.config/...) when it exists.
std::optional<std::string> config_path(int argc, const char* const* argv);

// Applies every `key = value` of the file (TOML or INI, as CLI11 reads them) as the default of
// the top-level option `--key`. Throws CLI::ValidationError naming the file and key for unknown
// keys and invalid values; CLI::FileError when the file cannot be read.
void apply_config_file(CLI::App& app, const std::string& path);

}  // namespace e2e3d::cli
