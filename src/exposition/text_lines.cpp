// The Prometheus text format 0.0.4, as Prometheus 2.42's promlex reads it: spaces and tabs
// between any two tokens, blank lines and `#` comments allowed, a trailing comma in label
// sets allowed, timestamps in integer milliseconds.

#include <fmt/format.h>

#include "exposition/parser_impl.hpp"
#include "exposition/syntax.hpp"

namespace e2e3d {

namespace {

const char* skip_blanks(const char* p, const char* end) {
  while (p < end && (*p == ' ' || *p == '\t'))
    ++p;
  return p;
}

const char* skip_token(const char* p, const char* end) {
  while (p < end && *p != ' ' && *p != '\t')
    ++p;
  return p;
}

const char* skip_metric_name(const char* p, const char* end) {
  if (p < end && detail::is_metric_name_start(*p)) {
    ++p;
    while (p < end && detail::is_metric_name_char(*p))
      ++p;
  }
  return p;
}

bool keyword_at(const char* p, const char* end, std::string_view keyword) {
  const auto n = keyword.size();
  return static_cast<std::size_t>(end - p) > n && std::string_view(p, n) == keyword &&
         (p[n] == ' ' || p[n] == '\t');
}

std::optional<MetricType> text_type(std::string_view word) {
  if (word == "counter") return MetricType::counter;
  if (word == "gauge") return MetricType::gauge;
  if (word == "histogram") return MetricType::histogram;
  if (word == "summary") return MetricType::summary;
  if (word == "untyped") return MetricType::unknown;
  return std::nullopt;
}

}  // namespace

void ExpositionParser::Impl::text_line(const char* p, const char* end) {
  p = skip_blanks(p, end);
  if (p == end) return;  // blank line
  if (*p == '#') {
    text_comment(p + 1, end);
  } else {
    text_sample(p, end);
  }
}

void ExpositionParser::Impl::text_comment(const char* p, const char* end) {
  // "#HELP" or "# anything else" is a comment, as in promlex.
  if (p == end || (*p != ' ' && *p != '\t')) return;
  p = skip_blanks(p, end);
  MetaKind kind;
  if (keyword_at(p, end, "HELP")) {
    kind = MetaKind::help;
  } else if (keyword_at(p, end, "TYPE")) {
    kind = MetaKind::type;
  } else {
    return;
  }
  const std::string_view keyword = kind == MetaKind::help ? "# HELP" : "# TYPE";
  p = skip_blanks(p + 4, end);
  const char* name_at = p;
  p = skip_metric_name(p, end);
  if (p == name_at) fail(p, fmt::format("expected a metric name after \"{}\"", keyword));
  const std::string_view name(name_at, p - name_at);
  if (p < end && *p != ' ' && *p != '\t') {
    fail(p, fmt::format("expected a space after the metric name \"{}\" in \"{}\"", name, keyword));
  }
  p = skip_blanks(p, end);
  if (kind == MetaKind::help) {
    on_meta(kind, name, unescape_help(p, end, false), MetricType::unknown);
    return;
  }
  const char* type_end = end;
  while (type_end > p && (type_end[-1] == ' ' || type_end[-1] == '\t'))
    --type_end;
  const std::string_view word(p, type_end - p);
  const auto type = text_type(word);
  if (!type) {
    fail(p, fmt::format("invalid type for \"{}\": expected counter, gauge, histogram, summary or "
                        "untyped",
                        name));
  }
  on_meta(kind, name, word, *type);
}

void ExpositionParser::Impl::text_sample(const char* p, const char* end) {
  const char* name_at = p;
  p = skip_metric_name(p, end);
  if (p == name_at) fail(p, "expected a metric name, a comment (\"#\") or an empty line");
  const std::string_view name(name_at, p - name_at);
  if (p < end && *p != ' ' && *p != '\t' && *p != '{') {
    fail(p, "invalid character in the metric name: names match [a-zA-Z_:][a-zA-Z0-9_:]*");
  }
  labels.clear();
  pending_values.clear();
  pending_arena.clear();
  label_positions.clear();
  p = skip_blanks(p, end);
  if (p < end && *p == '{') p = skip_blanks(parse_labels(p + 1, end, false, true), end);

  const char* value_at = p;
  while (p < end && *p != ' ' && *p != '\t' && *p != '{')
    ++p;
  if (p == value_at) {
    fail(p, fmt::format("expected a sample value after \"{}\"",
                        printable(std::string_view(name_at, value_at - name_at))));
  }
  const auto value = detail::parse_go_float(std::string_view(value_at, p - value_at));
  if (!value)
    fail(value_at, "expected a number (such as 1, 2.5e-3, NaN, +Inf or -Inf) as the value");

  int64_t timestamp = Series::kNoTimestamp;
  p = skip_blanks(p, end);
  if (p < end) {
    const char* timestamp_at = p;
    p = skip_token(p, end);
    const auto parsed =
        detail::parse_decimal_int64(std::string_view(timestamp_at, p - timestamp_at));
    if (!parsed) {
      fail(timestamp_at,
           "expected the end of the line or a timestamp (integer milliseconds) after the value");
    }
    timestamp = *parsed;
    p = skip_blanks(p, end);
    if (p < end) fail(p, "expected the end of the line after the timestamp");
  }
  add_sample(name_at, name, *value, timestamp);
}

// The same as on_line followed by text_sample, with the tokens the lexer found: the checks left
// here are the ones that need the parser's state (format, families, interned names).
void ExpositionParser::Impl::on_lexed_line(const detail::LexedLine& line,
                                           const detail::LexedLabel* lexed) {
  const std::string_view text(line.begin, line.size);
  if (line.name_size == detail::LexedLine::kNotLexed) {
    on_line(text);
    return;
  }
  if (!format && held_for_detection(text)) return;
  if (*format != ExpositionFormat::prometheus_text || eof_seen) {
    handle_line(text);
    return;
  }
  ++line_number;
  line_begin = line.begin;
  line_end = line.begin + line.size;
  labels.clear();
  pending_values.clear();
  pending_arena.clear();
  label_positions.clear();
  for (uint32_t i = 0; i < line.label_count; ++i) {
    const detail::LexedLabel& label = lexed[line.first_label + i];
    add_label(line.begin + label.name_offset,
              std::string_view(line.begin + label.name_offset, label.name_size),
              std::string_view(line.begin + label.value_offset, label.value_size),
              label.value_hash);
  }
  add_sample(line.begin, std::string_view(line.begin, line.name_size), line.value,
             line.timestamp_ms);
}

}  // namespace e2e3d
