#include "demo/python_float.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <string_view>

namespace e2e3d::demo {

void append_python_repr(std::string& out, double value) {
  // std::to_chars without a precision gives the shortest round-trip digits, like Python's
  // repr; only the layout differs, and Python's rule for it is simple.
  char buffer[40];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  bool negative = text.front() == '-';
  if (negative) text.remove_prefix(1);
  std::size_t e = text.find('e');
  std::string_view mantissa = text.substr(0, e);
  int exponent = 0;
  std::string_view exponent_text = text.substr(e + 1);
  if (exponent_text.front() == '+') exponent_text.remove_prefix(1);
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  char digits[24];
  std::size_t digit_count = 0;
  for (char c : mantissa) {
    if (c != '.') digits[digit_count++] = c;
  }
  std::string_view all(digits, digit_count);
  int point = exponent + 1;  // digits are 0.DDDD x 10^point

  if (negative) out += '-';
  if (point <= -4 || point > 16) {
    out += all.front();
    if (digit_count > 1) {
      out += '.';
      out.append(all.substr(1));
    }
    out += exponent < 0 ? "e-" : "e+";
    int magnitude = std::abs(exponent);
    if (magnitude < 10) out += '0';
    out += std::to_string(magnitude);
  } else if (point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out.append(all);
  } else if (static_cast<std::size_t>(point) >= digit_count) {
    out.append(all);
    out.append(static_cast<std::size_t>(point) - digit_count, '0');
    out += ".0";
  } else {
    out.append(all.substr(0, static_cast<std::size_t>(point)));
    out += '.';
    out.append(all.substr(static_cast<std::size_t>(point)));
  }
}

void append_python_sample_value(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  std::size_t start = out.size();
  append_python_repr(out, value);
  std::string_view repr(out.data() + start, out.size() - start);
  std::size_t dot = repr.find('.');
  if (!(value > 0 && dot != std::string_view::npos && dot > 6)) return;
  // Go's layout for large numbers: d.ddd + "e+0" + (dot - 1), trailing zeros and dot removed.
  char mantissa[48];
  std::size_t length = 0;
  mantissa[length++] = repr[0];
  mantissa[length++] = '.';
  for (char c : repr.substr(1)) {
    if (c != '.') mantissa[length++] = c;
  }
  while (length > 0 && (mantissa[length - 1] == '0' || mantissa[length - 1] == '.'))
    --length;
  out.resize(start);
  out.append(mantissa, length);
  out += "e+0";
  out += std::to_string(dot - 1);
}

std::string python_sample_value(double value) {
  std::string out;
  append_python_sample_value(out, value);
  return out;
}

}  // namespace e2e3d::demo
