#pragma once

#include "cli/command.hpp"

namespace e2e3d::cli {

// `query [--] EXPR`: evaluate PromQL on the scrape, or on a Prometheus server (--prometheus).
void add_query_command(CLI::App& app, GlobalOptions& global, CommandList& commands);

}  // namespace e2e3d::cli
