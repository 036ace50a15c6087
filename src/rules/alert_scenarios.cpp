#include "rules/alert_scenarios.hpp"

#include <stdexcept>
#include <string>

#include "e2e3d/catalog.hpp"

namespace e2e3d::rules {
namespace {

// Spelled through the catalog so a renamed metric breaks here, not silently in promtool.
std::string_view metric(std::string_view documented) {
  const auto* m = catalog::find_metric(documented);
  if (!m)
    throw std::logic_error("alert scenario names an undocumented metric: " +
                           std::string(documented));
  return m->name;
}

}  // namespace

const std::vector<AlertScenario>& alert_scenarios() {
  static const std::vector<AlertScenario> kScenarios = [] {
    std::vector<AlertScenario> s = {
        // 3 of every 10 jobs fail: a ratio of 0.3 from the first minute (0/0 at t=0 is NaN).
        {"HighFailureRate",
         {{metric("reconstruction_failure"), "0+3x40"},
          {metric("reconstruction_total"), "0+10x40"}},
         60'000,
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

}  // namespace e2e3d::rules
