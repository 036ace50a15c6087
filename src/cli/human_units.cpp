#include "cli/human_units.hpp"

#include <cmath>

#include <fmt/format.h>

namespace e2e3d::cli {

std::string human_bytes(double bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (std::fabs(bytes) >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  return unit == 0 ? fmt::format("{:.0f} B", bytes) : fmt::format("{:.1f} {}", bytes, kUnits[unit]);
}

std::string human_duration(double seconds) {
  if (!std::isfinite(seconds)) return fmt::format("{}", seconds);
  if (std::fabs(seconds) < 60) return fmt::format("{:.2f} s", seconds);
  // Exact seconds first: sums of job durations are compared with queries, not just read.
  std::string exact = fmt::format("{:.1f} s", seconds);
  auto total = static_cast<long long>(std::llround(seconds));
  long long days = total / 86400, hours = total % 86400 / 3600, minutes = total % 3600 / 60,
            secs = total % 60;
  if (days > 0) return fmt::format("{} ({}d {}h)", exact, days, hours);
  if (hours > 0) return fmt::format("{} ({}h {}m)", exact, hours, minutes);
  return fmt::format("{} ({}m {}s)", exact, minutes, secs);
}

std::string human_count(double value) {
  if (std::isfinite(value) && value == std::floor(value) && std::fabs(value) < 1e15) {
    return fmt::format("{:.0f}", value);
  }
  return fmt::format("{:.2f}", value);
}

std::string human_percent(double percent) {
  return fmt::format("{:.1f} %", percent);
}

}  // namespace e2e3d::cli
