#include "demo/python_float.hpp"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

namespace e2e3d::demo {
namespace {

// Both layouts are built in a stack buffer and appended once: a scrape of a service with many
// jobs formats hundreds of thousands of numbers.
constexpr std::size_t kMaxLength = 40;

// `value` is an exponent or a digit count: at most 4 characters.
char* append_decimal(char* out, int value) {
  auto result = std::to_chars(out, out + 8, value);
  if (result.ec != std::errc()) throw std::logic_error("integer formatting overflowed its buffer");
  return result.ptr;
}

// Python's repr(float); returns the end of the text written at `out`.
char* write_repr(char* out, double value) {
  // std::to_chars without a precision gives the shortest round-trip digits, like Python's
  // repr; only the layout differs, and Python's rule for it is simple.
  char buffer[kMaxLength];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  // The shortest form is at most 24 characters; a failure would leave the buffer unwritten.
  if (result.ec != std::errc()) throw std::logic_error("float formatting overflowed its buffer");
  std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  if (text.front() == '-') {
    *out++ = '-';
    text.remove_prefix(1);
  }
  std::size_t e = text.find('e');
  std::string_view exponent_text = text.substr(e + 1);
  if (exponent_text.front() == '+') exponent_text.remove_prefix(1);
  int exponent = 0;
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);
  char digits[24] = {};
  int count = 0;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits[count++] = c;
  }
  int point = exponent + 1;  // the digits are 0.DDDD x 10^point

  if (point <= -4 || point > 16) {
    *out++ = digits[0];
    if (count > 1) {
      *out++ = '.';
      for (int i = 1; i < count; ++i)
        *out++ = digits[i];
    }
    *out++ = 'e';
    *out++ = exponent < 0 ? '-' : '+';
    int magnitude = std::abs(exponent);
    if (magnitude < 10) *out++ = '0';
    return append_decimal(out, magnitude);
  }
  if (point <= 0) {
    *out++ = '0';
    *out++ = '.';
    for (int i = 0; i < -point; ++i)
      *out++ = '0';
    for (int i = 0; i < count; ++i)
      *out++ = digits[i];
    return out;
  }
  for (int i = 0; i < point; ++i)
    *out++ = i < count ? digits[i] : '0';
  *out++ = '.';
  if (point >= count) {
    *out++ = '0';
    return out;
  }
  for (int i = point; i < count; ++i)
    *out++ = digits[i];
  return out;
}

}  // namespace

void append_python_repr(std::string& out, double value) {
  char buffer[kMaxLength];
  out.append(buffer, write_repr(buffer, value));
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
  char repr[kMaxLength];
  char* repr_end = write_repr(repr, value);
  std::string_view text(repr, static_cast<std::size_t>(repr_end - repr));
  std::size_t dot = text.find('.');
  if (!(value > 0 && dot != std::string_view::npos && dot > 6)) {
    out.append(text);
    return;
  }
  // Go's layout for large numbers: d.ddd + "e+0" + (dot - 1), trailing zeros and dot removed.
  char go[kMaxLength + 8];
  char* end = go;
  *end++ = text[0];
  *end++ = '.';
  for (char c : text.substr(1)) {
    if (c != '.') *end++ = c;
  }
  while (end > go && (end[-1] == '0' || end[-1] == '.'))
    --end;
  *end++ = 'e';
  *end++ = '+';
  *end++ = '0';
  end = append_decimal(end, static_cast<int>(dot - 1));
  out.append(go, end);
}

std::string python_sample_value(double value) {
  std::string out;
  append_python_sample_value(out, value);
  return out;
}

}  // namespace e2e3d::demo
