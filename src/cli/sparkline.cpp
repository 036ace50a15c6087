#include "cli/sparkline.hpp"

#include <algorithm>
#include <cmath>

namespace e2e3d::cli {

std::string sparkline(const std::vector<std::optional<double>>& values) {
  static const char* const kBars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  double lo = INFINITY;
  double hi = -INFINITY;
  for (const auto& v : values) {
    if (!v || !std::isfinite(*v)) continue;
    lo = std::min(lo, *v);
    hi = std::max(hi, *v);
  }
  std::string out;
  for (const auto& v : values) {
    if (!v || !std::isfinite(*v)) {
      out += ' ';
      continue;
    }
    int level = hi > lo ? static_cast<int>(std::lround((*v - lo) / (hi - lo) * 7)) : 0;
    out += kBars[std::clamp(level, 0, 7)];
  }
  return out;
}

}  // namespace e2e3d::cli
