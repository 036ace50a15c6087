// The grammar of Prometheus's model.ParseDuration: units from largest to smallest, each at most
// once, integers only.
#include "e2e3d/rules/duration.hpp"

#include <array>
#include <limits>

namespace e2e3d::rules {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t milliseconds;
};

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr std::array<Unit, 7> kUnits = {{{"y", 365 * kDay},
                                         {"w", 7 * kDay},
                                         {"d", kDay},
                                         {"h", kHour},
                                         {"m", kMinute},
                                         {"s", kSecond},
                                         {"ms", 1}}};

}  // namespace

std::optional<int64_t> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text == "0") return 0;
  int64_t total = 0;
  size_t next_unit = 0;  // units must come in kUnits order
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int64_t number = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (number > (std::numeric_limits<int64_t>::max() - 9) / 10) return std::nullopt;
      number = number * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start) return std::nullopt;
    // "ms" must be tried before "m" (longest match).
    size_t unit_index = kUnits.size();
    for (size_t u = next_unit; u < kUnits.size(); ++u) {
      std::string_view suffix = kUnits[u].suffix;
      if (text.substr(i, suffix.size()) != suffix) continue;
      if (suffix == "m" && text.substr(i, 2) == "ms") continue;
      unit_index = u;
      break;
    }
    if (unit_index == kUnits.size()) return std::nullopt;
    i += kUnits[unit_index].suffix.size();
    next_unit = unit_index + 1;
    const int64_t unit = kUnits[unit_index].milliseconds;
    if (number > (std::numeric_limits<int64_t>::max() - total) / unit) return std::nullopt;
    total += number * unit;
  }
  return total;
}

std::string format_duration(int64_t milliseconds) {
  if (milliseconds == 0) return "0s";
  std::string out;
  if (milliseconds < 0) {
    out = "-";
    milliseconds = -milliseconds;
  }
  for (const auto& unit : kUnits) {
    if (milliseconds >= unit.milliseconds) {
      out += std::to_string(milliseconds / unit.milliseconds);
      out += unit.suffix;
      milliseconds %= unit.milliseconds;
    }
  }
  return out;
}

}  // namespace e2e3d::rules
