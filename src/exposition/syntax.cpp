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

constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

// Reads [0-9]*(\.[0-9]*)?([eE][+-]?[0-9]+)? with at least one mantissa digit, all of `s`, in one
// pass. Returns false when `s` is not that. When the digits after leading zeros number at most
// 15 they fit a double exactly, and with a power of ten of at most 22 (itself exact), one
// correctly rounded multiplication or division gives the correctly rounded value (Clinger's
// fast path): `value` is set. Most exposition values take this path; for the others `value`
// stays empty and the caller converts the text the long way.
bool read_decimal(std::string_view s, std::optional<double>& value) {
  const char* p = s.data();
  const char* const end = p + s.size();
  uint64_t mantissa = 0;
  int significant = 0;
  int exponent = 0;
  bool any_digit = false;
  for (; p < end && is_digit(*p); ++p) {
    any_digit = true;
    significant += significant > 0 || *p != '0';
    mantissa = mantissa * 10 + static_cast<uint64_t>(*p - '0');  // wraps harmlessly past 15
  }
  if (p < end && *p == '.') {
    for (++p; p < end && is_digit(*p); ++p) {
      any_digit = true;
      significant += significant > 0 || *p != '0';
      mantissa = mantissa * 10 + static_cast<uint64_t>(*p - '0');
      --exponent;
    }
  }
  if (!any_digit) return false;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool negative_exponent = false;
    if (p < end && (*p == '+' || *p == '-')) negative_exponent = *p++ == '-';
    if (p == end || !is_digit(*p)) return false;
    int e = 0;
    for (; p < end && is_digit(*p); ++p) {
      if (e < 100000) e = e * 10 + (*p - '0');
    }
    exponent += negative_exponent ? -e : e;
  }
  if (p != end) return false;
  if (significant > 15) return true;
  if (mantissa == 0) {
    value = 0.0;
  } else if (exponent >= 0 && exponent <= 22) {
    value = static_cast<double>(mantissa) * kPowersOfTen[exponent];
  } else if (exponent < 0 && exponent >= -22) {
    value = static_cast<double>(mantissa) / kPowersOfTen[-exponent];
  }
  return true;
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
  std::optional<double> exact;
  if (!read_decimal(body, exact)) return std::nullopt;
  if (exact) return negative ? -*exact : *exact;
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
