#pragma once
// Test data for the document's alerts: series values, in promtool's expanding notation, that
// breach each alert and series that keep it quiet. Used to write `promtool test rules` files.

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace e2e3d::rules {

struct AlertScenario {
  std::string_view alert;  // the documented alert's name
  // Documented metric name -> promtool series values over one-minute steps.
  std::vector<std::pair<std::string_view, std::string_view>> breaching;
  int64_t breach_starts_ms;  // first evaluation at which the expression returns a series
  std::vector<std::pair<std::string_view, std::string_view>> healthy;
};

// One scenario per documented alert, in catalog order; throws std::logic_error when the catalog
// has an alert without one (the catalog changed: add its scenario).
const std::vector<AlertScenario>& alert_scenarios();

}  // namespace e2e3d::rules
