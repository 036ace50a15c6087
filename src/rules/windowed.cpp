// The window of a windowed rule, and the document's alerts over it.
#include "e2e3d/rules/windowed.hpp"

#include <fmt/format.h>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/duration.hpp"

namespace e2e3d::rules {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kDefaultWindowMs = 15 * kMinuteMs;

}  // namespace

int64_t default_window_ms(const Rule& rule) {
  return rule.for_ms >= kMinuteMs ? rule.for_ms : kDefaultWindowMs;
}

void check_rate_window(int64_t window_ms, std::string_view option) {
  if (window_ms < kMinuteMs) {
    throw Error(ErrorKind::config,
                fmt::format("{} {} is too short for rate(): it needs several scrapes in the window "
                            "(four at the document's {} scrape interval); use 1m or more, e.g. 15m",
                            option, format_duration(window_ms), catalog::kScrapeInterval));
  }
}

std::optional<std::string> windowed_alert_expression(
    std::string_view name, const std::vector<catalog::ResolvedName>& names, int64_t window_ms) {
  const auto* windowed = catalog::find_windowed_alert(name);
  if (!windowed) return std::nullopt;
  std::string expr = catalog::with_window(windowed->expr, format_duration(window_ms));
  return catalog::rewrite_expression(expr, names);
}

}  // namespace e2e3d::rules
