#pragma once
// "Did you mean --timeout?" for a mistyped option.

#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace e2e3d::cli {

// For the first `--word` in argv that no command knows, the closest known long option (an edit
// distance of at most a third of its length), or nullopt.
std::optional<std::string> suggest_option(const CLI::App& app, int argc, const char* const* argv);

}  // namespace e2e3d::cli
