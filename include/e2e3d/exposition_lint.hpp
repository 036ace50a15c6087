#pragma once
// Style findings on a parsed scrape, the checks of `promtool check metrics` (client_golang's
// promlint) with its wording, plus a few structural ones promtool does not make. doctor's
// exposition check reports them; none of them stops a scrape from being used.

#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/scrape.hpp"

namespace e2e3d {

struct LintFinding {
  std::string metric;      // the family's name
  std::string message;     // promtool's words where promtool has the check
  std::string_view check;  // a stable id, see kLintChecks
};

// Every check id lint() can return. The ones promtool also makes come first.
inline constexpr std::string_view kLintChecks[] = {
    "help",               // no help text
    "counter_total",      // a counter without _total (text format: the family is the sample name)
    "total_suffix",       // a non-counter with _total
    "reserved_suffix",    // _bucket/_count/_sum on a family that is not a histogram/summary
    "reserved_label",     // le / quantile on a family that is not a histogram/summary
    "base_unit",          // minutes, kilobytes, bits... instead of the base unit
    "unit_abbreviation",  // ms, s, kb... as a name part
    "type_in_name",       // the type's name in the metric name
    "colon",              // ':' is for recording rules
    "camel_case_name",    // camelCase metric name
    "camel_case_label",   // camelCase label name
    // Not in promtool:
    "histogram_le",      // a histogram bucket without an le label
    "histogram_inf",     // a histogram without an le="+Inf" bucket
    "summary_quantile",  // a summary quantile sample without a quantile label
};

// True for the checks `promtool check metrics` makes too.
bool lint_check_is_promtool(std::string_view check);

// Findings sorted by metric name, then message, as promtool prints them.
std::vector<LintFinding> lint(const Scrape& scrape);

}  // namespace e2e3d
