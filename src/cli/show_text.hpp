#pragma once

#include <string>

#include "cli/style.hpp"
#include "e2e3d/fetch.hpp"
#include "e2e3d/show_report.hpp"

namespace e2e3d::cli {

// The aligned table `show` prints on a terminal.
std::string render_show_text(const ShowReport& report, const FetchInfo& info, const Style& style);

}  // namespace e2e3d::cli
