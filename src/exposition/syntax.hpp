#pragma once
// The lexical pieces both exposition formats share: name characters, numbers as Prometheus
// reads them, UTF-8 validity.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace e2e3d::detail {

// Character classes as one table lookup each: the name scanners run on every byte of a scrape.
enum : uint8_t { kLabelStart = 1, kLabelChar = 2, kMetricStart = 4, kMetricChar = 8 };
struct NameClasses {
  uint8_t table[256] = {};
  constexpr NameClasses() {
    for (int c = 0; c < 256; ++c) {
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      const bool digit = c >= '0' && c <= '9';
      table[c] = static_cast<uint8_t>((letter ? kLabelStart | kMetricStart : 0) |
                                      (letter || digit ? kLabelChar | kMetricChar : 0) |
                                      (c == ':' ? kMetricStart | kMetricChar : 0));
    }
  }
};
inline constexpr NameClasses kNameClasses{};

// [a-zA-Z_:][a-zA-Z0-9_:]*
inline bool is_metric_name_start(char c) {
  return kNameClasses.table[static_cast<uint8_t>(c)] & kMetricStart;
}
inline bool is_metric_name_char(char c) {
  return kNameClasses.table[static_cast<uint8_t>(c)] & kMetricChar;
}
// [a-zA-Z_][a-zA-Z0-9_]*
inline bool is_label_name_start(char c) {
  return kNameClasses.table[static_cast<uint8_t>(c)] & kLabelStart;
}
inline bool is_label_name_char(char c) {
  return kNameClasses.table[static_cast<uint8_t>(c)] & kLabelChar;
}

bool is_metric_name(std::string_view name);
bool is_label_name(std::string_view name);

// A sample value as Prometheus 2.42 reads it (textparse.parseFloat: Go's strconv.ParseFloat
// without hex floats or underscores): decimal with optional sign and exponent, "Inf"/"Infinity"
// with optional sign, "NaN", all case-insensitive. Out of range (1e400) is an error, as in Go.
std::optional<double> parse_go_float(std::string_view text);

// A text-format timestamp: decimal digits only (the lexer's {D}+), milliseconds, fits int64.
std::optional<int64_t> parse_decimal_int64(std::string_view text);

// Offset of the first byte that is not valid UTF-8 (or is NUL), or npos.
std::size_t find_invalid_utf8(std::string_view text);

}  // namespace e2e3d::detail
