#pragma once

#include "cli/command.hpp"

namespace e2e3d::cli {

// `doctor`: the document's troubleshooting checklist as one run.
void add_doctor_command(CLI::App& app, GlobalOptions& global, CommandList& commands);

}  // namespace e2e3d::cli
