#pragma once
// How a command plugs into main: it registers a CLI11 subcommand and the function that runs it.

#include <functional>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/global_options.hpp"

namespace e2e3d::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;  // returns the exit code; may throw e2e3d::Error
};

using CommandList = std::vector<Command>;

}  // namespace e2e3d::cli
