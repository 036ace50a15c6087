#pragma once

#include "cli/command.hpp"

namespace e2e3d::cli {

// `alerts`: evaluate alerting rules (the metrics document's, or a rule file) on the scrape.
void add_alerts_command(CLI::App& app, GlobalOptions& global, CommandList& commands);

}  // namespace e2e3d::cli
