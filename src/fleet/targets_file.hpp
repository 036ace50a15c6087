#pragma once
// The two forms of a --targets-file, read into targets that remember where they were written.

#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/error.hpp"
#include "e2e3d/fleet.hpp"

namespace e2e3d::fleet_detail {

struct ListedTarget {
  FleetTarget target;
  Position where;  // 1-based line and column in the file
};

// "FILE:LINE:COLUMN: MESSAGE" as Error(ErrorKind::config).
Error file_error(const std::string& path, Position where, std::string_view message);

// One URL per line; blank lines and # comments skipped.
std::vector<ListedTarget> read_url_list(const std::string& path, std::string_view text,
                                        std::string_view job);

// Prometheus file_sd: a JSON or YAML list of {targets: [...], labels: {...}} groups.
std::vector<ListedTarget> read_file_sd(const std::string& path, const std::string& text,
                                       std::string_view job, bool json);

}  // namespace e2e3d::fleet_detail
