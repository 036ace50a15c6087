#include "e2e3d/exposition_parser.hpp"

#include <cstring>

#include <fmt/format.h>

#include "exposition/parser_impl.hpp"
#include "exposition/syntax.hpp"

namespace e2e3d {

namespace {

// What a line says about the format before the format is known.
enum class Evidence { none, text, openmetrics };

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

ExpositionParser::Impl::Impl(std::optional<ExpositionFormat> format_, std::string source_)
    : format(format_), source(std::move(source_)), builder(scrape.builder()) {
  if (format) builder.set_format(*format);
}

// Lines are split here and parsed whole: only a line that straddles two chunks is copied.
void ExpositionParser::Impl::on_line(std::string_view line) {
  if (!format && held_for_detection(line)) return;
  handle_line(line);
}

bool ExpositionParser::Impl::held_for_detection(std::string_view line) {
  Evidence evidence = Evidence::none;
  if (line.empty() || line[0] == ' ' || line[0] == '\t') {
    evidence = Evidence::text;  // OpenMetrics has no empty lines and no indentation
  } else if (line[0] == '#') {
    if (line == "# EOF" || starts_with(line, "# UNIT ")) {
      evidence = Evidence::openmetrics;
    } else if (starts_with(line, "# TYPE ")) {
      std::string_view rest = line.substr(7);
      const auto space = rest.find(' ');
      const std::string_view name = rest.substr(0, space);
      const std::string_view type =
          space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
      if (type == "untyped") {
        evidence = Evidence::text;
      } else if (type == "unknown" || type == "info" || type == "stateset" ||
                 type == "gaugehistogram") {
        evidence = Evidence::openmetrics;
      } else {
        detect_type_name.assign(name);
        detect_type = type == "counter"     ? MetricType::counter
                      : type == "histogram" ? MetricType::histogram
                      : type == "summary"   ? MetricType::summary
                                            : MetricType::gauge;
      }
    } else if (!starts_with(line, "# HELP ")) {
      evidence = Evidence::text;  // a plain comment: OpenMetrics has none
    }
  } else if (!detect_type_name.empty()) {
    // The first sample after a TYPE tells: text names a counter's sample like the family,
    // OpenMetrics adds _total (and _created, also to histograms and summaries).
    std::size_t n = 0;
    while (n < line.size() && detail::is_metric_name_char(line[n]))
      ++n;
    const std::string_view name = line.substr(0, n);
    const std::string_view family = detect_type_name;
    if (starts_with(name, family)) {
      const std::string_view suffix = name.substr(family.size());
      if (suffix == "_created") {
        evidence = Evidence::openmetrics;
      } else if (detect_type == MetricType::counter) {
        evidence = suffix == "_total" ? Evidence::openmetrics
                   : suffix.empty()   ? Evidence::text
                                      : Evidence::none;
      }
    }
  }
  if (evidence == Evidence::none && pending.size() + line.size() < kDetectLimit) {
    pending.append(line);
    pending.push_back('\n');
    return true;
  }
  decide(evidence == Evidence::openmetrics ? ExpositionFormat::openmetrics
                                           : ExpositionFormat::prometheus_text);
  return false;
}

void ExpositionParser::Impl::decide(ExpositionFormat decided) {
  format = decided;
  builder.set_format(decided);
  const std::string lines = std::move(pending);
  pending.clear();
  std::string_view rest = lines;
  while (!rest.empty()) {
    const auto newline = rest.find('\n');
    handle_line(rest.substr(0, newline));
    rest.remove_prefix(newline + 1);
  }
}

void ExpositionParser::Impl::handle_line(std::string_view line) {
  ++line_number;
  line_begin = line.data();
  line_end = line.data() + line.size();
  if (eof_seen) {
    if (line.empty()) {
      fail_at({line_number, 1}, "unexpected data after \"# EOF\": OpenMetrics ends there",
              "an empty line");
    }
    fail(line_begin, "unexpected data after \"# EOF\": OpenMetrics ends there");
  }
  if (line_number == 1 && line.starts_with("\xef\xbb\xbf")) {
    fail_at({1, 1},
            "the input starts with a UTF-8 byte order mark, which Prometheus rejects (save it "
            "as UTF-8 without BOM)",
            "\"\\xef\\xbb\\xbf\"");
  }
  if (!line.empty() && line.back() == '\r') {
    // Prometheus's lexers do not take \r as whitespace, so it rejects CRLF sample lines too.
    fail(line_end - 1,
         "carriage return before the line feed: the exposition formats use \\n line endings "
         "(convert CRLF with dos2unix)");
  }
  if (*format == ExpositionFormat::prometheus_text) {
    text_line(line_begin, line_end);
  } else {
    om_line(line_begin, line_end);
  }
}

void ExpositionParser::Impl::finish_input() {
  if (!carry.empty()) {
    // The last line may lack its '\n' (OpenMetrics: only "# EOF" may).
    std::string last = std::move(carry);
    carry.clear();
    if (format == ExpositionFormat::openmetrics && !eof_seen && last != "# EOF") {
      line_begin = last.data();
      line_end = last.data() + last.size();
      line_number++;
      fail(line_begin,
           "the line has no line feed and the input no \"# EOF\": "
           "the OpenMetrics input is truncated");
    }
    on_line(last);
  }
  if (!format) decide(ExpositionFormat::prometheus_text);
  if (*format == ExpositionFormat::openmetrics && !eof_seen) {
    fail_at({line_number + 1, 1},
            "expected \"# EOF\" as the last line: OpenMetrics requires it, so the input is "
            "truncated or is not OpenMetrics",
            "end of input");
  }
  if (!samples_over_time) check_duplicates();
  builder.finish();
}

// ---- errors ----

namespace {

// The offending text for a message: the rest of the line, cut short, control characters and
// bytes that are not UTF-8 shown escaped so the message stays one printable line.
std::string excerpt(const char* at, const char* end);

}  // namespace

std::string printable(std::string_view text) {
  return excerpt(text.data(), text.data() + text.size());
}

namespace {

std::string excerpt(const char* at, const char* end) {
  constexpr std::size_t kMax = 40;
  std::string out;
  std::size_t shown = 0;
  const char* p = at;
  while (p < end && shown < kMax) {
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x20 || c == 0x7f) {
      out += c == '\t' ? "\\t" : c == '\r' ? "\\r" : fmt::format("\\x{:02x}", c);
      ++p;
    } else if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++p;
    } else {
      const std::size_t valid =
          detail::find_invalid_utf8(std::string_view(p, std::min<std::size_t>(end - p, 4)));
      std::size_t length = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : 4;
      if ((valid != std::string_view::npos && valid == 0) ||
          static_cast<std::size_t>(end - p) < length) {
        out += fmt::format("\\x{:02x}", c);
        ++p;
      } else {
        out.append(p, length);
        p += length;
      }
    }
    ++shown;
  }
  if (p < end) out += "...";
  return out;
}

uint32_t column_of(const char* begin, const char* at) {
  uint32_t column = 1;
  for (const char* p = begin; p < at; ++p) {
    if ((static_cast<unsigned char>(*p) & 0xc0) != 0x80) ++column;
  }
  return column;
}

}  // namespace

void ExpositionParser::Impl::fail(const char* at, std::string_view what) const {
  const Position position{line_number, column_of(line_begin, at)};
  if (at >= line_end) fail_at(position, what, "end of line");
  fail_at(position, what, fmt::format("\"{}\"", excerpt(at, line_end)));
}

void ExpositionParser::Impl::fail_at(Position position, std::string_view what,
                                     std::string_view found) const {
  throw ParseError(position, fmt::format("{}:{}:{}: {}, found {}", source, position.line,
                                         position.column, what, found));
}

// ---- public API ----

ExpositionParser::ExpositionParser(std::optional<ExpositionFormat> format, std::string source_name)
    : impl_(std::make_unique<Impl>(format, std::move(source_name))) {}

ExpositionParser::~ExpositionParser() = default;

void ExpositionParser::expect_input_bytes(std::size_t bytes) {
  // One distinct string per 256 bytes: about what a scrape with an id label on every series
  // has (the generated 1M-job scrape: one per 230 bytes). Typical exporters have far fewer,
  // and then the table holds a few percent of the input's size in memory.
  impl_->builder.reserve_strings(bytes / 256);
}

void ExpositionParser::feed(std::string_view chunk) {
  Impl& impl = *impl_;
  if (impl.failure) throw *impl.failure;
  if (impl.finished) throw Error(ErrorKind::parse, "ExpositionParser::feed after finish");
  try {
    const char* p = chunk.data();
    const char* const end = p + chunk.size();
    if (!impl.carry.empty()) {
      const auto* newline = static_cast<const char*>(std::memchr(p, '\n', end - p));
      if (newline == nullptr) {
        impl.carry.append(p, end);
        return;
      }
      impl.carry.append(p, newline);
      std::string line = std::move(impl.carry);
      impl.carry.clear();
      impl.on_line(line);
      p = newline + 1;
    }
    while (p < end) {
      const auto* newline = static_cast<const char*>(std::memchr(p, '\n', end - p));
      if (newline == nullptr) {
        impl.carry.assign(p, end);
        break;
      }
      impl.on_line(std::string_view(p, newline - p));
      p = newline + 1;
    }
  } catch (const ParseError& error) {
    impl.failure = error;
    throw;
  }
}

void ExpositionParser::allow_samples_over_time() {
  impl_->samples_over_time = true;
}

Scrape ExpositionParser::finish() {
  Impl& impl = *impl_;
  if (impl.failure) throw *impl.failure;
  if (impl.finished) throw Error(ErrorKind::parse, "ExpositionParser::finish called twice");
  try {
    impl.finish_input();
  } catch (const ParseError& error) {
    impl.failure = error;
    throw;
  }
  impl.finished = true;
  return std::move(impl.scrape);
}

Scrape parse_exposition(std::string_view text, std::optional<ExpositionFormat> format,
                        std::string source_name) {
  ExpositionParser parser(format, std::move(source_name));
  parser.feed(text);
  return parser.finish();
}

}  // namespace e2e3d
