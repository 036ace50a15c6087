#pragma once
// The metric names a PromQL expression selects, found by a small PromQL-aware scan: names
// inside strings, label matchers, `by (...)` lists, durations and function calls are not
// metric names. Used by alerts.rules to say which series an alert rule needs.

#include <string>
#include <string_view>
#include <vector>

namespace e2e3d::doctor {

// Distinct names in order of first appearance; `{__name__="x"}` selectors are included.
std::vector<std::string> expression_metric_names(std::string_view expr);

}  // namespace e2e3d::doctor
