#pragma once
// The test groups of a `promtool test rules` file, as data: input series over a fixed interval
// and what one alert must do at chosen evaluation times. Scenario files produce them; the
// emitter in generate.cpp writes them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace e2e3d::rules {

struct RuleTestSeries {
  std::string_view metric;  // documented name; resolved when written
  std::string values;       // promtool's expanding notation: "0+10x40 400+0x5"
};

struct RuleTestCheck {
  int64_t at_ms = 0;
  bool firing = false;
  double value = 0;  // of the firing alert, for annotation templates that show $value
};

struct RuleTestGroup {
  std::string name;
  std::string_view alert;
  int64_t interval_ms = 60'000;
  std::vector<RuleTestSeries> series;
  std::vector<RuleTestCheck> checks;
};

// The document's alerts as written: each breaches, is not yet firing one evaluation before
// `for` elapses, fires when it has, and stays quiet on healthy series.
std::vector<RuleTestGroup> documented_alert_tests();

// The windowed failure-rate alert over `window_ms` holding for `for_ms`: it fires on a fresh
// burst on a process that has run for a month, clears after recovery, stays quiet when idle, and
// clears after a bad start (where lifetime totals would stay high).
std::vector<RuleTestGroup> windowed_failure_rate_tests(int64_t window_ms, int64_t for_ms);

// promtool's expanding notation for a counter that starts at `start` and then grows by each
// phase's increment per step for that phase's steps: {{10, 2}, {5, 0}} -> "start+2x10 ...".
struct CounterPhase {
  int64_t steps;
  int64_t increment;
};
std::string counter_values(int64_t start, const std::vector<CounterPhase>& phases);

}  // namespace e2e3d::rules
