#pragma once
// What `promtool check config` checks once the configuration has loaded: the files it names
// exist (rule files, credentials, client certificates), the file_sd files parse, every static
// and file_sd target is one Prometheus would scrape, and the rule files are valid.

#include <string>

#include "promconfig/model.hpp"

namespace e2e3d::promconfig::detail {

// Throws Stop with promtool's message for the first failure; adds promtool's warnings and the
// file_sd targets to `loaded.config`. Without `files_here` (a configuration read from a
// container) the files it names are not looked for: they are listed in not_checked instead.
void run_promtool_checks(Loaded& loaded, const std::string& name, bool files_here);

}  // namespace e2e3d::promconfig::detail
