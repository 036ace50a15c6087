#pragma once

#include "cli/command.hpp"

namespace e2e3d::cli {

// `show`: the documented metrics, the values of the document's queries, the process metrics.
void add_show_command(CLI::App& app, GlobalOptions& global, CommandList& commands);

}  // namespace e2e3d::cli
