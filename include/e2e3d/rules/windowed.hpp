#pragma once
// Rules over a window instead of lifetime totals. An alert that compares a counter's value
// compares what happened since the process started: after a month of uptime one bad hour
// hardly moves it (never fires), and after a bad start it stays high for days (never clears).
// The windowed form compares what happened in the last window.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/catalog.hpp"
#include "e2e3d/rules/rule_file.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d::rules {

// The window a rewrite uses when none is asked for: the rule's `for:` (the document's alerts
// say "for the last 15 minutes" and hold for 15m), 15m when it has none or less than a minute.
int64_t default_window_ms(const Rule& rule);

// Throws Error(config) with the fix when `window_ms` cannot be a rate window: under a minute
// (four of the document's 15s scrape intervals, the fewest rate() needs to be reliable).
void check_rate_window(int64_t window_ms, std::string_view option = "--window");

// The documented alert `name` over `window_ms`, its names resolved with `names`; nullopt when
// the document's alert needs no window (a gauge threshold) or there is no such alert.
std::optional<std::string> windowed_alert_expression(
    std::string_view name, const std::vector<catalog::ResolvedName>& names, int64_t window_ms);

struct LifetimeComparison {
  std::vector<std::string> counters;  // the counters whose lifetime totals are compared
  int64_t window_ms = 0;
  // The expression over the window: the document's windowed form when the rule is a document
  // alert, otherwise each lifetime total `x` becomes `increase(x[window])` (a ratio of two
  // increases is the ratio of the rates; a count compares with the same threshold).
  std::string windowed_expr;
};

// When the alerting rule compares counters' lifetime totals (a counter selected without a range
// and compared, through arithmetic and aggregation, with a threshold): what, and the rewrite of
// `expr` (the rule's expression, or it with the exposed names). A counter is a name the scrape
// types as counter, a documented counter, or a name ending in _total. Throws ParseError.
std::optional<LifetimeComparison> find_lifetime_comparison(const Rule& rule, std::string_view expr,
                                                           const Scrape* scrape);

}  // namespace e2e3d::rules
