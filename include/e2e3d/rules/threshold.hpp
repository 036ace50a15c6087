#pragma once
// Thresholds in the Monitoring Plugins range syntax, and the plugin output line, so `check
// --value` drops into Nagios, Icinga and Sensu unchanged.
//
//   10      alert when the value is < 0 or > 10
//   10:     alert when < 10
//   ~:10    alert when > 10
//   10:20   alert when < 10 or > 20
//   @10:20  alert when 10 <= value <= 20 (inside, endpoints included)

#include <string>
#include <string_view>
#include <vector>

namespace e2e3d::rules {

struct ThresholdRange {
  std::string text;     // as given, for the performance data
  double start = 0;     // -inf for `~`
  double end = 0;       // +inf when omitted after ':'
  bool inside = false;  // `@`: alert inside the range instead of outside

  // Whether `value` should raise an alert. NaN never matches a range (the caller decides).
  bool alerts(double value) const;
};

// Throws Error(config) naming the range and the fix when `text` is not a valid range.
ThresholdRange parse_range(std::string_view text);

enum class PluginStatus { ok = 0, warning = 1, critical = 2, unknown = 3 };
std::string_view plugin_status_name(PluginStatus status);  // "OK", "WARNING", ...

struct ThresholdValue {
  std::string label;  // performance-data label
  double value;
};

struct ThresholdVerdict {
  PluginStatus status = PluginStatus::ok;
  std::vector<PluginStatus> per_value;  // the status of each value, in order
};

// Critical wins over warning; an absent range never alerts. A NaN value is unknown.
ThresholdVerdict judge(const std::vector<ThresholdValue>& values, const ThresholdRange* warning,
                       const ThresholdRange* critical);

// `E2E3D-METRICS OK - label=value | label=value;warn;crit`, one performance datum per value.
// With no values (`message` then says why) the line has no performance data.
std::string plugin_line(PluginStatus status, const std::vector<ThresholdValue>& values,
                        const ThresholdRange* warning, const ThresholdRange* critical,
                        std::string_view message = {});

// A performance-data label: quoted with ' when it has spaces; '=', quotes, '|', ';' and control
// characters (which would end or split the datum, or start a line) become '_'.
std::string perfdata_label(std::string_view label);

// Text for a plugin line before its '|': Nagios takes the first '|' as the start of the
// performance data and a line break as the start of the long output, so a label value must
// not bring either. Control characters are escaped as \xNN (a line break as \n), '|' as \x7c.
std::string plugin_text(std::string_view text);

}  // namespace e2e3d::rules
