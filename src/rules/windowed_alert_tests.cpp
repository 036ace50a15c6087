// Test data for the windowed failure-rate alert. Each group is a story an operator knows, told
// in counters sampled every step, with the evaluations that tell a windowed rule from one that
// divides lifetime totals (which fails the first, second and fourth group).
#include <stdexcept>

#include <fmt/format.h>

#include "e2e3d/catalog.hpp"
#include "e2e3d/rules/duration.hpp"
#include "rules/rule_tests.hpp"

namespace e2e3d::rules {
namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr int64_t kQuarterMinuteMs = 15'000;
constexpr std::string_view kAlert = "HighFailureRate";

// A process that has run for a month at about 20 jobs a minute, 2% of them failed.
constexpr int64_t kOldTotal = 1'000'000;
constexpr int64_t kOldFailures = 20'000;
// Per step: 20 jobs; healthy 1 fails (5%), a burst 10 (50%), recovered none.
constexpr int64_t kJobs = 20;
constexpr int64_t kHealthyFailures = 1;
constexpr int64_t kBurstFailures = 10;
constexpr double kBurstRatio = 0.5;

std::string_view metric(std::string_view documented) {
  const auto* m = catalog::find_metric(documented);
  if (!m) throw std::logic_error("undocumented metric " + std::string(documented));
  return m->name;
}

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

}  // namespace

std::vector<RuleTestGroup> windowed_failure_rate_tests(int64_t window_ms, int64_t for_ms) {
  if (!catalog::find_windowed_alert(kAlert))
    throw std::logic_error("the catalog has no windowed HighFailureRate");
  // Enough samples in every window for rate() (four at the shortest window, 1m).
  const int64_t step = window_ms >= 4 * kMinuteMs ? kMinuteMs : kQuarterMinuteMs;
  const int64_t w = ceil_div(window_ms, step);  // steps in a window
  const int64_t f = ceil_div(for_ms, step);     // steps `for` needs
  const std::string_view total = metric("reconstruction_total");
  const std::string_view failures = metric("reconstruction_failure");
  auto at = [&](int64_t k) { return k * step; };
  std::vector<RuleTestGroup> groups;

  {
    // A burst on an old process: the window sees it at once, lifetime totals hardly move. The
    // alert holds from the first burst sample at the earliest, so `for` cannot have elapsed f
    // steps into the burst; after f + w + 2 steps the window is all burst (ratio 0.5) and has
    // held long enough. After w + 3 good steps the window has no failure; idle, no job at all.
    const int64_t healthy = w + 2, burst = f + w + 2, recovery = w + 3, idle = w + 3;
    RuleTestGroup g{
        fmt::format("{} over {} fires on a fresh burst on an old process, clears "
                    "after recovery, stays quiet when idle",
                    kAlert, format_duration(window_ms)),
        kAlert,
        step,
        {{total, counter_values(kOldTotal,
                                {{healthy, kJobs}, {burst, kJobs}, {recovery, kJobs}, {idle, 0}})},
         {failures,
          counter_values(
              kOldFailures,
              {{healthy, kHealthyFailures}, {burst, kBurstFailures}, {recovery, 0}, {idle, 0}})}},
        {}};
    g.checks.push_back({at(healthy), false});
    g.checks.push_back({at(healthy + f), false});
    g.checks.push_back({at(healthy + burst), true, kBurstRatio});
    g.checks.push_back({at(healthy + burst + recovery), false});
    g.checks.push_back({at(healthy + burst + recovery + idle), false});
    groups.push_back(std::move(g));
  }
  {
    // Idle: a fresh process (0/0) and an old one whose lifetime ratio is 50% (which a rule on
    // totals would keep firing for) have no job in the window.
    const int64_t steps = w + f + 3;
    for (auto [name, start_total, start_failures] :
         {std::tuple{"a fresh process", int64_t{0}, int64_t{0}},
          std::tuple{"an old process that once failed half its jobs", kOldTotal, kOldTotal / 2}}) {
      groups.push_back({fmt::format("{} over {} stays quiet when {} is idle", kAlert,
                                    format_duration(window_ms), name),
                        kAlert,
                        step,
                        {{total, counter_values(start_total, {{steps, 0}})},
                         {failures, counter_values(start_failures, {{steps, 0}})}},
                        {{at(w), false}, {at(steps), false}}});
    }
  }
  {
    // A bad start: half the jobs fail until the alert fires, then 5%. The lifetime ratio is
    // still far over 10% when the window has only good jobs and the alert has cleared.
    const int64_t burst = f + w + 2, healthy = w + 3;
    groups.push_back(
        {fmt::format("{} over {} clears after a bad start", kAlert, format_duration(window_ms)),
         kAlert,
         step,
         {{total, counter_values(0, {{burst, kJobs}, {healthy, kJobs}})},
          {failures, counter_values(0, {{burst, kBurstFailures}, {healthy, kHealthyFailures}})}},
         {{at(burst), true, kBurstRatio}, {at(burst + healthy), false}}});
  }
  return groups;
}

}  // namespace e2e3d::rules
