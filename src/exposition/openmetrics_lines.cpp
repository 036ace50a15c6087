// OpenMetrics 1.0 text, as Prometheus 2.42's openmetricslex reads it: single spaces, no blank
// lines, no comments but HELP/TYPE/UNIT/EOF, timestamps in (float) seconds, exemplars after
// " # ". Exemplars are checked and dropped: nothing in this tool reads them.

#include <cmath>

#include <fmt/format.h>

#include "exposition/parser_impl.hpp"
#include "exposition/syntax.hpp"

namespace e2e3d {

namespace {

const char* skip_metric_name(const char* p, const char* end) {
  if (p < end && detail::is_metric_name_start(*p)) {
    ++p;
    while (p < end && detail::is_metric_name_char(*p))
      ++p;
  }
  return p;
}

const char* skip_token(const char* p, const char* end) {
  while (p < end && *p != ' ')
    ++p;
  return p;
}

bool at_exemplar(const char* p, const char* end) {
  return end - p >= 4 && p[0] == ' ' && p[1] == '#' && p[2] == ' ' && p[3] == '{';
}

std::optional<MetricType> om_type(std::string_view word) {
  if (word == "counter") return MetricType::counter;
  if (word == "gauge") return MetricType::gauge;
  if (word == "histogram") return MetricType::histogram;
  if (word == "gaugehistogram") return MetricType::gaugehistogram;
  if (word == "summary") return MetricType::summary;
  if (word == "info") return MetricType::info;
  if (word == "stateset") return MetricType::stateset;
  if (word == "unknown") return MetricType::unknown;
  return std::nullopt;
}

constexpr std::string_view kNumberExpected =
    "expected a number (such as 1, 2.5e-3, NaN, +Inf or -Inf) as the value";

}  // namespace

void ExpositionParser::Impl::om_line(const char* p, const char* end) {
  if (p == end) {
    fail(p,
         "expected a sample or \"# HELP\", \"# TYPE\", \"# UNIT\", \"# EOF\": OpenMetrics "
         "allows no empty lines");
  }
  if (*p == '#') {
    om_comment(p, end);
  } else {
    om_sample(p, end);
  }
}

void ExpositionParser::Impl::om_comment(const char* p, const char* end) {
  const std::string_view line(p, end - p);
  if (line == "# EOF") {
    eof_seen = true;
    return;
  }
  MetaKind kind;
  const std::string_view head = line.substr(0, 7);
  if (head == "# HELP ") {
    kind = MetaKind::help;
  } else if (head == "# TYPE ") {
    kind = MetaKind::type;
  } else if (head == "# UNIT ") {
    kind = MetaKind::unit;
  } else {
    fail(p,
         "expected \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\" (OpenMetrics has no other "
         "comments)");
  }
  const std::string_view keyword = line.substr(0, 6);
  p += 7;
  const char* name_at = p;
  p = skip_metric_name(p, end);
  if (p == name_at) fail(p, fmt::format("expected a metric name after \"{}\"", keyword));
  const std::string_view name(name_at, p - name_at);
  if (p < end && *p != ' ') {
    fail(p, fmt::format("expected a space after the metric name \"{}\" in \"{}\"", name, keyword));
  }
  if (p < end) ++p;
  const std::string_view rest(p, end - p);
  switch (kind) {
    case MetaKind::help:
      on_meta(kind, name, unescape_help(p, end, true), MetricType::unknown);
      return;
    case MetaKind::type: {
      const auto type = om_type(rest);
      if (!type) {
        fail(p, fmt::format("invalid type for \"{}\": expected counter, gauge, histogram, "
                            "gaugehistogram, summary, info, stateset or unknown",
                            name));
      }
      on_meta(kind, name, rest, *type);
      return;
    }
    case MetaKind::unit:
      // The unit is part of the name: "# UNIT foo_seconds seconds".
      if (!rest.empty() && !(name.size() > rest.size() + 1 && name.ends_with(rest) &&
                             name[name.size() - rest.size() - 1] == '_')) {
        fail(p, fmt::format("the unit must be the suffix of the metric name (\"{}\" does not end "
                            "in \"_{}\")",
                            name, printable(rest)));
      }
      on_meta(kind, name, rest, MetricType::unknown);
      return;
  }
}

void ExpositionParser::Impl::om_sample(const char* p, const char* end) {
  const char* name_at = p;
  p = skip_metric_name(p, end);
  if (p == name_at) {
    fail(p, "expected a metric name or \"#\" (OpenMetrics allows no leading blanks)");
  }
  const std::string_view name(name_at, p - name_at);
  labels.clear();
  pending_values.clear();
  pending_arena.clear();
  label_positions.clear();
  if (p < end && *p == '{') p = parse_labels(p + 1, end, true, true);
  if (p == end || *p != ' ') {
    fail(p, fmt::format("expected {}a single space and the value after \"{}\"",
                        p == end || *p == '{' || labels.size() ? "" : "\"{\" or ",
                        printable(std::string_view(name_at, p - name_at))));
  }
  ++p;
  const char* value_at = p;
  p = skip_token(p, end);
  if (p == value_at) fail(p, "expected the value after a single space");
  const auto value = detail::parse_go_float(std::string_view(value_at, p - value_at));
  if (!value) fail(value_at, kNumberExpected);

  int64_t timestamp = Series::kNoTimestamp;
  if (p < end && !at_exemplar(p, end)) {
    const char* timestamp_at = ++p;
    p = skip_token(p, end);
    const auto seconds = detail::parse_go_float(std::string_view(timestamp_at, p - timestamp_at));
    // Seconds with an optional fraction; the range keeps milliseconds inside int64.
    if (!seconds || std::isnan(*seconds) || std::fabs(*seconds) > 9.2e15) {
      fail(timestamp_at,
           "expected the end of the line, an exemplar (\" # {\") or a timestamp (seconds, such as "
           "1700000000.123) after the value");
    }
    // Truncated to milliseconds, as Prometheus does (int64(ts * 1000)).
    timestamp = static_cast<int64_t>(*seconds * 1000.0);
  }
  if (p < end) {
    if (!at_exemplar(p, end)) fail(p, "expected the end of the line or an exemplar (\" # {\")");
    p = parse_labels(p + 4, end, true, false);
    if (p == end || *p != ' ') fail(p, "expected a space and the exemplar's value");
    const char* exemplar_value_at = ++p;
    p = skip_token(p, end);
    if (!detail::parse_go_float(std::string_view(exemplar_value_at, p - exemplar_value_at))) {
      fail(exemplar_value_at, "expected a number as the exemplar's value");
    }
    if (p < end) {
      const char* exemplar_ts_at = ++p;
      p = skip_token(p, end);
      const auto ts = detail::parse_go_float(std::string_view(exemplar_ts_at, p - exemplar_ts_at));
      if (!ts || !std::isfinite(*ts)) {
        fail(exemplar_ts_at, "expected a timestamp (seconds) after the exemplar's value");
      }
      if (p < end) fail(p, "expected the end of the line after the exemplar");
    }
  }
  add_sample(name_at, name, *value, timestamp);
}

}  // namespace e2e3d
