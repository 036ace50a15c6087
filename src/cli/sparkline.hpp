#pragma once
// A Unicode sparkline of recent values: ▁▂▃▄▅▆▇█, a space where a value is unknown.

#include <optional>
#include <string>
#include <vector>

namespace e2e3d::cli {

// Scaled from the smallest to the largest known value; all equal values draw as ▁.
std::string sparkline(const std::vector<std::optional<double>>& values);

}  // namespace e2e3d::cli
