#pragma once
// The loop behind --watch: one round every interval, on a fixed schedule (a slow round does
// not push the next ones back), until SIGINT or SIGTERM, or until --count rounds are done.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

namespace e2e3d::cli {

struct WatchSchedule {
  double interval_seconds = 5;
  std::optional<std::size_t> count;  // stop after this many rounds
};

// Runs `round(n)` for n = 0, 1, ... A signal ends the wait for the next round at once; the
// round in progress is completed first. Returns the number of rounds run.
std::size_t watch(const WatchSchedule& schedule, const std::function<void(std::size_t)>& round);

// An interval or window as the user wrote it: a Prometheus duration (`5s`, `1m30s`, `500ms`) or
// a number of seconds (`2.5`). Throws CLI::ValidationError naming `option`.
int64_t parse_interval_ms(std::string_view text, std::string_view option);

}  // namespace e2e3d::cli
