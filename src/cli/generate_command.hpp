#pragma once

#include "cli/command.hpp"

namespace e2e3d::cli {

// `generate prometheus-config | rules`: ready-to-use files for Prometheus.
void add_generate_command(CLI::App& app, GlobalOptions& global, CommandList& commands);

}  // namespace e2e3d::cli
