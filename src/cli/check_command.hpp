#pragma once

#include "cli/command.hpp"

namespace e2e3d::cli {

// `check`: CI assertions (every expression must return something) and Nagios-style thresholds.
void add_check_command(CLI::App& app, GlobalOptions& global, CommandList& commands);

}  // namespace e2e3d::cli
