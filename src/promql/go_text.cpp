#include "promql/go_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace e2e3d::promql {

std::pair<char32_t, std::size_t> decode_rune(std::string_view s) {
  if (s.empty()) return {0xFFFD, 0};
  auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  auto cont = [&](std::size_t i) {
    return i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  };
  auto at = [&](std::size_t i) {
    return static_cast<char32_t>(static_cast<unsigned char>(s[i]) & 0x3F);
  };
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) return {(char32_t(b0 & 0x1F) << 6) | at(1), 2};
  if (b0 >= 0xE0 && b0 <= 0xEF && cont(1) && cont(2)) {
    char32_t r = (char32_t(b0 & 0x0F) << 12) | (at(1) << 6) | at(2);
    if (r >= 0x800 && (r < 0xD800 || r > 0xDFFF)) return {r, 3};
  }
  if (b0 >= 0xF0 && b0 <= 0xF4 && cont(1) && cont(2) && cont(3)) {
    char32_t r = (char32_t(b0 & 0x07) << 18) | (at(1) << 12) | (at(2) << 6) | at(3);
    if (r >= 0x10000 && r <= 0x10FFFF) return {r, 4};
  }
  return {0xFFFD, 1};
}

std::size_t rune_count(std::string_view s) {
  std::size_t n = 0;
  while (!s.empty()) {
    s.remove_prefix(decode_rune(s).second);
    ++n;
  }
  return n;
}

std::string_view truncate_runes(std::string_view s, std::size_t runes) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < runes && pos < s.size(); ++i)
    pos += decode_rune(s.substr(pos)).second;
  return s.substr(0, pos);
}

void append_utf8(std::string& out, char32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

namespace {
// unicode.IsPrint, close enough for label values: controls, C1 controls, the soft hyphen and
// the line/paragraph separators are not printable.
bool is_print(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r >= 0x80 && r <= 0x9F) return false;
  if (r == 0xAD || r == 0x2028 || r == 0x2029 || r == 0xFEFF) return false;
  return true;
}

void append_quoted_rune(std::string& out, char32_t r, std::size_t width, std::string_view raw,
                        char quote) {
  if (width == 1 && r == 0xFFFD) {
    out += fmt::format("\\x{:02x}", static_cast<unsigned char>(raw[0]));
    return;
  }
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out += '\\';
    out += static_cast<char>(r);
    return;
  }
  if (is_print(r)) {
    out.append(raw.substr(0, width));
    return;
  }
  switch (r) {
    case '\a':
      out += "\\a";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\v':
      out += "\\v";
      return;
    default:
      break;
  }
  if (r < ' ' || r == 0x7F) {
    out += fmt::format("\\x{:02x}", static_cast<unsigned>(r));
  } else if (r < 0x10000) {
    out += fmt::format("\\u{:04x}", static_cast<unsigned>(r));
  } else {
    out += fmt::format("\\U{:08x}", static_cast<unsigned>(r));
  }
}
}  // namespace

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  while (!s.empty()) {
    auto [r, w] = decode_rune(s);
    append_quoted_rune(out, r, w, s, '"');
    s.remove_prefix(w);
  }
  out += '"';
  return out;
}

std::string go_quote_rune(char32_t r) {
  std::string raw;
  append_utf8(raw, r);
  std::string out = "'";
  append_quoted_rune(out, r, raw.size(), raw, '\'');
  out += '\'';
  return out;
}

std::string go_sharp_u(char32_t r) {
  std::string out = fmt::format("U+{:04X}", static_cast<unsigned>(r));
  if (is_print(r)) {
    out += " '";
    append_utf8(out, r);
    out += '\'';
  }
  return out;
}

namespace {
// Shortest round-trip decimal digits and the decimal point position: v = 0.d1d2... * 10^point.
struct Digits {
  std::string digits;
  int point = 0;
};

Digits shortest_digits(double v) {
  std::array<char, 64> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), std::fabs(v),
                         std::chars_format::scientific);
  // The shortest form is at most 24 characters; a failure would leave the buffer unwritten.
  if (r.ec != std::errc()) throw std::logic_error("float formatting overflowed its buffer");
  std::string_view s(buf.data(), static_cast<std::size_t>(r.ptr - buf.data()));
  auto e = s.find('e');
  Digits d;
  for (char c : s.substr(0, e)) {
    if (c != '.') d.digits += c;
  }
  int exponent = std::atoi(std::string(s.substr(e + 1)).c_str());
  while (d.digits.size() > 1 && d.digits.back() == '0')
    d.digits.pop_back();
  d.point = exponent + 1;
  return d;
}
}  // namespace

std::string format_float_f(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::string out = std::signbit(v) ? "-" : "";
  if (v == 0) return out + "0";
  Digits d = shortest_digits(v);
  int n = static_cast<int>(d.digits.size());
  if (d.point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-d.point), '0');
    out += d.digits;
  } else if (d.point >= n) {
    out += d.digits;
    out.append(static_cast<std::size_t>(d.point - n), '0');
  } else {
    out += d.digits.substr(0, static_cast<std::size_t>(d.point));
    out += '.';
    out += d.digits.substr(static_cast<std::size_t>(d.point));
  }
  return out;
}

std::string format_float_e(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::string out = std::signbit(v) ? "-" : "";
  if (v == 0) return out + "0e+00";
  Digits d = shortest_digits(v);
  int exp = d.point - 1;
  out += d.digits[0];
  if (d.digits.size() > 1) {
    out += '.';
    out += d.digits.substr(1);
  }
  out += fmt::format("e{}{:02d}", exp < 0 ? '-' : '+', std::abs(exp));
  return out;
}

std::string format_float_g(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  int exp = shortest_digits(v).point - 1;
  if (exp < -4 || exp >= 6) return format_float_e(v);
  return format_float_f(v);
}

std::optional<double> parse_go_float(std::string_view s) {
  if (s.empty()) return std::nullopt;
  bool negative = false;
  std::string_view body = s;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  std::string lower(body);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "inf" || lower == "infinity") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (lower == "nan") return std::numeric_limits<double>::quiet_NaN();
  if (body.empty()) return std::nullopt;
  double value = 0;
  if (lower.starts_with("0x")) {
    std::string_view hex = std::string_view(lower).substr(2);
    // Go's ParseFloat needs a 'p' exponent for a hex mantissa.
    if (hex.empty() || hex.find('p') == std::string_view::npos) return std::nullopt;
    // Go requires a 'p' exponent for hex floats with a fraction; hex integers are fine.
    auto r = std::from_chars(hex.data(), hex.data() + hex.size(), value, std::chars_format::hex);
    if (r.ec == std::errc::invalid_argument || r.ptr != hex.data() + hex.size())
      return std::nullopt;
  } else {
    for (char c : lower) {
      if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '+' ||
            c == '-')) {
        return std::nullopt;
      }
    }
    auto r = std::from_chars(lower.data(), lower.data() + lower.size(), value,
                             std::chars_format::general);
    if (r.ptr != lower.data() + lower.size()) return std::nullopt;
    if (r.ec == std::errc::result_out_of_range) {
      // Go returns ±Inf (with an error we do not need) or 0 for underflow; strtod agrees.
      value = std::strtod(lower.c_str(), nullptr);
    } else if (r.ec != std::errc()) {
      return std::nullopt;
    }
  }
  return negative ? -value : value;
}

}  // namespace e2e3d::promql
