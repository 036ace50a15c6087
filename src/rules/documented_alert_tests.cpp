// Test data for the document's alerts as written: series that breach each alert, and series
// that keep it quiet.
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "e2e3d/catalog.hpp"
#include "e2e3d/rules/duration.hpp"
#include "rules/rule_tests.hpp"

namespace e2e3d::rules {
namespace {

constexpr int64_t kMinuteMs = 60'000;

// Spelled through the catalog so a renamed metric breaks here, not silently in promtool.
std::string_view metric(std::string_view documented) {
  const auto* m = catalog::find_metric(documented);
  if (!m)
    throw std::logic_error("alert scenario names an undocumented metric: " +
                           std::string(documented));
  return m->name;
}

struct Scenario {
  std::string_view alert;
  std::vector<RuleTestSeries> breaching;  // one-minute steps
  int64_t breach_starts_ms;               // first evaluation at which the expression returns
  std::vector<RuleTestSeries> healthy;
};

const std::vector<Scenario>& scenarios() {
  static const std::vector<Scenario> kScenarios = [] {
    std::vector<Scenario> s = {
        // 3 of every 10 jobs fail: a ratio of 0.3 from the first minute (0/0 at t=0 is NaN).
        {"HighFailureRate",
         {{metric("reconstruction_failure"), "0+3x40"},
          {metric("reconstruction_total"), "0+10x40"}},
         kMinuteMs,
         // 1 of every 20: 0.05, under the 0.1 threshold.
         {{metric("reconstruction_failure"), "0+1x40"},
          {metric("reconstruction_total"), "0+20x40"}}},
        // 12 active jobs against a limit of 10, from the start; 3 is healthy.
        {"TooManyActiveJobs",
         {{metric("e2e3d_active_jobs"), "12x40"}},
         0,
         {{metric("e2e3d_active_jobs"), "3x40"}}},
    };
    for (const auto& alert : catalog::alerts()) {
      bool found = false;
      for (const auto& scenario : s)
        found = found || scenario.alert == alert.name;
      if (!found)
        throw std::logic_error("no test scenario for the alert " + std::string(alert.name));
    }
    return s;
  }();
  return kScenarios;
}

}  // namespace

std::vector<RuleTestGroup> documented_alert_tests() {
  std::vector<RuleTestGroup> groups;
  for (const auto& scenario : scenarios()) {
    const catalog::DocumentedAlert* alert = nullptr;
    for (const auto& a : catalog::alerts()) {
      if (a.name == scenario.alert) alert = &a;
    }
    const int64_t for_ms = parse_duration(alert->for_duration).value_or(0);
    const int64_t fires_at = scenario.breach_starts_ms + for_ms;
    RuleTestGroup fires{
        fmt::format("{} fires once {} have passed", alert->name, alert->for_duration),
        alert->name,
        kMinuteMs,
        scenario.breaching,
        {}};
    // One evaluation earlier the alert is still pending: `for` has not elapsed.
    if (fires_at - kMinuteMs >= 0) fires.checks.push_back({fires_at - kMinuteMs, false});
    fires.checks.push_back({fires_at, true});
    groups.push_back(std::move(fires));
    groups.push_back({fmt::format("{} stays quiet on healthy series", alert->name),
                      alert->name,
                      kMinuteMs,
                      scenario.healthy,
                      {{fires_at + kMinuteMs, false}}});
  }
  return groups;
}

std::string counter_values(int64_t start, const std::vector<CounterPhase>& phases) {
  // `a+bxn` is n+1 values: a, a+b, ..., a+nb. The first phase carries the start value.
  std::string out = fmt::format("{}", start);
  int64_t value = start;
  bool first = true;
  for (const auto& phase : phases) {
    if (phase.steps <= 0) continue;
    if (first) {
      out = fmt::format("{}+{}x{}", start, phase.increment, phase.steps);
      value += phase.increment * phase.steps;
      first = false;
      continue;
    }
    value += phase.increment;
    out += fmt::format(" {}+{}x{}", value, phase.increment, phase.steps - 1);
    value += phase.increment * (phase.steps - 1);
  }
  return out;
}

}  // namespace e2e3d::rules
