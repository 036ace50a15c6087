#pragma once
// The durations of the watch options (--watch INTERVAL, --window), as the user writes them.

#include <cstdint>
#include <string_view>

namespace e2e3d::cli {

// An interval or window as the user wrote it: a Prometheus duration (`5s`, `1m30s`, `500ms`) or
// a number of seconds (`2.5`). Throws CLI::ValidationError naming `option`.
int64_t parse_interval_ms(std::string_view text, std::string_view option);

}  // namespace e2e3d::cli
