#pragma once
// Prometheus durations ("15s", "1m30s", "500ms", "1h", "2d", "1w", "1y"), as in prometheus.yml,
// rule files and the targets API.

#include <optional>
#include <string>
#include <string_view>

namespace e2e3d::doctor {

// Seconds, or nullopt when `text` is not a Prometheus duration.
std::optional<double> parse_prometheus_duration(std::string_view text);

// "15s", "1m30s", "2h": the shortest way Prometheus would write it.
std::string format_duration(double seconds);

}  // namespace e2e3d::doctor
