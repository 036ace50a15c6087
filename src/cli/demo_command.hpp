#pragma once

#include "cli/command.hpp"

namespace e2e3d::cli {

// `demo`: the built-in exporter that simulates the E2E3D service, until SIGINT or SIGTERM.
void add_demo_command(CLI::App& app, GlobalOptions& global, CommandList& commands);

}  // namespace e2e3d::cli
