// recording_text: a recorded window as one OpenMetrics document with timestamps, readable by
// `--replay` and by `promtool tsdb create-blocks-from openmetrics`.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "e2e3d/live/recording.hpp"

namespace e2e3d::live {
namespace {

// Whether OpenMetrics allows a sample of this name in a family of this name and type. A family
// whose samples do not fit (a text-format counter without _total, say) is written as `unknown`
// families, one per sample name: PromQL does not look at types, so no query changes.
bool fits(std::string_view family, MetricType type, std::string_view sample) {
  if (!sample.starts_with(family)) return false;
  std::string_view suffix = sample.substr(family.size());
  switch (type) {
    case MetricType::counter:
      return suffix == "_total" || suffix == "_created";
    case MetricType::histogram:
    case MetricType::gaugehistogram:
      return suffix == "_bucket" || suffix == "_count" || suffix == "_sum" ||
             suffix == "_created" || suffix == "_gcount" || suffix == "_gsum";
    case MetricType::summary:
      return suffix.empty() || suffix == "_count" || suffix == "_sum" || suffix == "_created";
    case MetricType::info:
      return suffix == "_info";
    case MetricType::gauge:
    case MetricType::stateset:
    case MetricType::unknown:
      return suffix.empty();
  }
  return false;
}

void append_escaped(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// Milliseconds as OpenMetrics seconds: 1700000000123 -> "1700000000.123".
std::string seconds_text(int64_t ms) {
  bool negative = ms < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  std::string out = fmt::format("{}{}", negative ? "-" : "", magnitude / 1000);
  if (uint64_t frac = magnitude % 1000; frac != 0) {
    std::string digits = fmt::format("{:03}", frac);
    while (digits.back() == '0')
      digits.pop_back();
    out += '.' + digits;
  }
  return out;
}

void append_series(std::string& out, const Labels& labels, const StoredSeries& s) {
  std::string head(promql::metric_name(labels));
  bool any = false;
  for (const auto& [name, value] : labels) {
    if (name == "__name__") continue;
    head += any ? "," : "{";
    any = true;
    head += name;
    head += "=\"";
    append_escaped(head, value);
    head += '"';
  }
  if (any) head += '}';
  for (const Point& p : s.points) {
    if (promql::is_stale_marker(p.value)) continue;
    out += head;
    out += ' ';
    out += promql::format_value(p.value);
    out += ' ';
    out += seconds_text(p.t_ms);
    out += '\n';
  }
}

}  // namespace

std::string recording_text(const History& history) {
  // Family name -> its series, in label-set order.
  struct FamilyOut {
    MetricType type = MetricType::unknown;
    std::vector<const std::pair<const Labels, StoredSeries>*> series;
  };
  std::map<std::string, FamilyOut> families;
  for (const auto& entry : history.series()) {
    const auto& [labels, s] = entry;
    std::string_view sample = promql::metric_name(labels);
    if (fits(s.family, s.type, sample)) {
      auto& f = families[s.family];
      f.type = s.type;
      f.series.push_back(&entry);
    } else {
      families[std::string(sample)].series.push_back(&entry);
    }
  }
  std::string out;
  for (const auto& [name, family] : families) {
    out += fmt::format("# TYPE {} {}\n", name, metric_type_name(family.type));
    for (const auto* entry : family.series)
      append_series(out, entry->first, entry->second);
  }
  out += "# EOF\n";
  return out;
}

}  // namespace e2e3d::live
