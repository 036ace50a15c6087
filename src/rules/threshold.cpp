// The Monitoring Plugins development guidelines define the range syntax and the output line;
// this follows them (and parse_range_string in monitoring-plugins' utils_base.c).
#include "e2e3d/rules/threshold.hpp"

#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "e2e3d/error.hpp"

namespace e2e3d::rules {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

[[noreturn]] void bad_range(std::string_view text, std::string_view why) {
  throw Error(ErrorKind::config,
              fmt::format("invalid threshold range '{}': {}; use the Monitoring Plugins syntax: "
                          "10 (alert outside 0..10), 10: (below 10), ~:10 (above 10), 10:20 "
                          "(outside 10..20), @10:20 (inside 10..20)",
                          text, why));
}

double parse_number(std::string_view whole, std::string_view text) {
  double value = 0;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    bad_range(whole, fmt::format("'{}' is not a number", text));
  }
  return value;
}

// Shortest round-trip decimal without an exponent: plugin performance data is [-0-9.] only.
std::string perf_number(double value) {
  if (!std::isfinite(value)) return "U";
  char buffer[400];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  if (ec != std::errc()) return "U";
  return std::string(buffer, end);
}

// The value as people read it in the status text.
std::string status_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return perf_number(value);
}

}  // namespace

bool ThresholdRange::alerts(double value) const {
  if (std::isnan(value)) return false;
  bool within = value >= start && value <= end;
  return inside ? within : !within;
}

ThresholdRange parse_range(std::string_view text) {
  ThresholdRange range;
  range.text = std::string(text);
  std::string_view rest = text;
  if (rest.empty()) bad_range(text, "it is empty");
  if (rest.front() == '@') {
    range.inside = true;
    rest.remove_prefix(1);
  }
  size_t colon = rest.find(':');
  if (colon == std::string_view::npos) {
    if (rest.empty()) bad_range(text, "no end value");
    range.start = 0;
    range.end = parse_number(text, rest);
  } else {
    std::string_view start = rest.substr(0, colon);
    std::string_view end = rest.substr(colon + 1);
    if (start == "~") {
      range.start = -kInf;
    } else {
      range.start = start.empty() ? 0 : parse_number(text, start);
    }
    range.end = end.empty() ? kInf : parse_number(text, end);
  }
  if (range.start > range.end) bad_range(text, "the start is greater than the end");
  return range;
}

std::string_view plugin_status_name(PluginStatus status) {
  switch (status) {
    case PluginStatus::ok:
      return "OK";
    case PluginStatus::warning:
      return "WARNING";
    case PluginStatus::critical:
      return "CRITICAL";
    case PluginStatus::unknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

ThresholdVerdict judge(const std::vector<ThresholdValue>& values, const ThresholdRange* warning,
                       const ThresholdRange* critical) {
  ThresholdVerdict verdict;
  if (values.empty()) verdict.status = PluginStatus::unknown;
  for (const auto& v : values) {
    PluginStatus s = PluginStatus::ok;
    if (std::isnan(v.value)) {
      s = PluginStatus::unknown;
    } else if (critical && critical->alerts(v.value)) {
      s = PluginStatus::critical;
    } else if (warning && warning->alerts(v.value)) {
      s = PluginStatus::warning;
    }
    verdict.per_value.push_back(s);
    // Severity order for the summary: critical > warning > unknown > ok (as check_multi does).
    auto rank = [](PluginStatus p) {
      switch (p) {
        case PluginStatus::critical:
          return 3;
        case PluginStatus::warning:
          return 2;
        case PluginStatus::unknown:
          return 1;
        default:
          return 0;
      }
    };
    if (rank(s) > rank(verdict.status)) verdict.status = s;
  }
  return verdict;
}

std::string plugin_text(std::string_view text) {
  std::string out;
  for (char c : one_line(text)) {
    if (c == '|') {
      out += "\\x7c";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string perfdata_label(std::string_view label) {
  std::string out;
  bool quote = false;
  for (char c : label) {
    auto u = static_cast<unsigned char>(c);
    // '=' ends a label and ' quotes it; '|' and ';' split the data for naive readers, a line
    // break starts the long output: none may come from a label value.
    if (c == '=' || c == '\'' || c == '|' || c == ';' || u < 0x20 || u == 0x7f) {
      out.push_back('_');
    } else {
      if (c == ' ') quote = true;
      out.push_back(c);
    }
  }
  if (out.empty()) out = "value";
  return quote ? "'" + out + "'" : out;
}

std::string plugin_line(PluginStatus status, const std::vector<ThresholdValue>& values,
                        const ThresholdRange* warning, const ThresholdRange* critical,
                        std::string_view message) {
  std::string line = fmt::format("E2E3D-METRICS {} - ", plugin_status_name(status));
  if (values.empty()) {
    line += plugin_text(message);
    return line;
  }
  std::string perf;
  for (size_t i = 0; i < values.size(); ++i) {
    const auto& v = values[i];
    line += fmt::format("{}{}={}", i ? ", " : "", plugin_text(v.label), status_number(v.value));
    perf += fmt::format("{}{}={}", i ? " " : "", perfdata_label(v.label), perf_number(v.value));
    if (warning || critical) {
      perf += fmt::format(";{};{}", warning ? warning->text : "", critical ? critical->text : "");
    }
  }
  if (!message.empty()) line += fmt::format(" ({})", plugin_text(message));
  line += " | " + perf;
  return line;
}

}  // namespace e2e3d::rules
