#include "duration.hpp"

#include <cmath>

#include <fmt/format.h>

namespace e2e3d::doctor {

std::optional<double> parse_prometheus_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    double value = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start) return std::nullopt;
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
      ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    double factor = 0;
    if (unit == "ms")
      factor = 0.001;
    else if (unit == "s")
      factor = 1;
    else if (unit == "m")
      factor = 60;
    else if (unit == "h")
      factor = 3600;
    else if (unit == "d")
      factor = 86400;
    else if (unit == "w")
      factor = 7 * 86400;
    else if (unit == "y")
      factor = 365 * 86400;
    else
      return std::nullopt;
    total += value * factor;
  }
  return total;
}

std::string format_duration(double seconds) {
  if (seconds < 1 && seconds > 0) return fmt::format("{}ms", std::llround(seconds * 1000));
  long long s = std::llround(seconds);
  std::string out;
  if (s >= 3600) {
    out += fmt::format("{}h", s / 3600);
    s %= 3600;
  }
  if (s >= 60) {
    out += fmt::format("{}m", s / 60);
    s %= 60;
  }
  if (s > 0 || out.empty()) out += fmt::format("{}s", s);
  return out;
}

}  // namespace e2e3d::doctor
