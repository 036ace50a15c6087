#pragma once
// Prometheus durations as rule files and scrape configs write them: `15m`, `1h30m`, `0`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace e2e3d::rules {

// Milliseconds, or nullopt when `text` is not a Prometheus duration (units y w d h m s ms, in
// that order, each at most once; a bare `0` is allowed; `1.5m` is not).
std::optional<int64_t> parse_duration(std::string_view text);

// The shortest Prometheus spelling of a duration: 900000 -> "15m", 5400000 -> "1h30m", 0 -> "0s".
std::string format_duration(int64_t milliseconds);

}  // namespace e2e3d::rules
