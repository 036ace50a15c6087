// Go's float formatting is strconv's: decimal digits (shortest round-trip, or rounded to a
// precision, trailing zeros dropped), then %e or %f layout by the rules of ftoa.go's
// formatDigits. std::to_chars gives the same correctly rounded digits.
#include "rules/go_format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <stdexcept>

#include <fmt/format.h>

namespace e2e3d::rules {
namespace {

// Decimal digits d[0..nd) and decimal point position dp: value = 0.d1d2... * 10^dp.
struct Digits {
  std::string d;
  int dp = 0;
};

// A double's exact decimal expansion is finite: at most 767 significant digits, and no digit
// past the 1074th after the point (its smallest step is 2^-1074). Asking std::to_chars for more
// would only add zeros, so precisions are capped here and the zeros appended by the layout:
// Go prints the exact digits for any precision fmt accepts (up to a million).
constexpr int kMaxSignificantDigits = 800;
constexpr int kMaxFractionDigits = 1080;

// Room for the longest text either call below can write: sign, 309 integer digits, the point and
// kMaxFractionDigits (fixed), or d.ddd with kMaxSignificantDigits and "e-324" (scientific).
using FloatText = std::array<char, 1 + 309 + 1 + kMaxFractionDigits + 16>;

std::string_view checked(const FloatText& buffer, std::to_chars_result r) {
  // Cannot fail with the caps above; if it ever did, the buffer must not be read.
  if (r.ec != std::errc()) throw std::logic_error("float formatting overflowed its buffer");
  return {buffer.data(), static_cast<std::size_t>(r.ptr - buffer.data())};
}

// `significant` < 0: shortest round-trip digits.
Digits decimal_digits(double v, int significant) {
  Digits out;
  if (v == 0) return out;
  FloatText buffer;
  char* first = buffer.data();
  char* last = buffer.data() + buffer.size();
  std::string_view text = checked(
      buffer, significant < 0 ? std::to_chars(first, last, v, std::chars_format::scientific)
                              : std::to_chars(first, last, v, std::chars_format::scientific,
                                              std::min(significant, kMaxSignificantDigits) - 1));
  size_t e = text.find('e');
  std::string_view mantissa = text.substr(0, e);
  int exponent = 0;
  std::string_view exp_text = text.substr(e + 1);
  if (!exp_text.empty() && exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);
  for (char c : mantissa) {
    if (c >= '0' && c <= '9') out.d.push_back(c);
  }
  while (!out.d.empty() && out.d.back() == '0')
    out.d.pop_back();
  out.dp = exponent + 1;
  return out;
}

// %f with a precision: the digits rounded at that place, then zeros past the exact expansion.
std::string fixed_digits(double v, int prec) {
  FloatText buffer;
  const int exact = std::min(prec, kMaxFractionDigits);
  std::string s(checked(buffer, std::to_chars(buffer.data(), buffer.data() + buffer.size(), v,
                                              std::chars_format::fixed, exact)));
  s.append(static_cast<std::size_t>(prec - exact), '0');
  return s;
}

std::string layout_e(const Digits& digs, int prec, char e) {
  std::string s;
  s.push_back(digs.d.empty() ? '0' : digs.d[0]);
  if (prec > 0) {
    s.push_back('.');
    for (int i = 1; i <= prec; ++i)
      s.push_back(i < static_cast<int>(digs.d.size()) ? digs.d[i] : '0');
  }
  int exp = digs.d.empty() ? 0 : digs.dp - 1;
  s.push_back(e);
  s.push_back(exp < 0 ? '-' : '+');
  if (exp < 0) exp = -exp;
  if (exp < 10) s.push_back('0');
  s += std::to_string(exp);
  return s;
}

std::string layout_f(const Digits& digs, int prec) {
  std::string s;
  const int nd = static_cast<int>(digs.d.size());
  if (digs.dp > 0) {
    for (int i = 0; i < digs.dp; ++i)
      s.push_back(i < nd ? digs.d[i] : '0');
  } else {
    s.push_back('0');
  }
  if (prec > 0) {
    s.push_back('.');
    for (int i = 1; i <= prec; ++i) {
      int j = digs.dp + i - 1;
      s.push_back(j >= 0 && j < nd ? digs.d[j] : '0');
    }
  }
  return s;
}

std::string format_finite(double v, char verb, int prec) {
  const bool shortest = prec < 0;
  Digits digs;
  switch (verb) {
    case 'e':
    case 'E':
      digs = decimal_digits(v, shortest ? -1 : prec + 1);
      if (shortest) prec = std::max(static_cast<int>(digs.d.size()) - 1, 0);
      return layout_e(digs, prec, verb);
    case 'f':
    case 'F': {
      if (shortest) {
        digs = decimal_digits(v, -1);
        return layout_f(digs, std::max(static_cast<int>(digs.d.size()) - digs.dp, 0));
      }
      return fixed_digits(v, prec);
    }
    default: {  // g, G
      if (prec == 0) prec = 1;
      digs = decimal_digits(v, shortest ? -1 : prec);
      const int nd = static_cast<int>(digs.d.size());
      if (shortest) prec = nd;
      int eprec = prec;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      if (shortest) eprec = 6;
      const int exp = digs.dp - 1;
      if (nd != 0 && (exp < -4 || exp >= eprec)) {
        if (prec > nd) prec = nd;
        return layout_e(digs, prec - 1, verb == 'G' ? 'E' : 'e');
      }
      if (prec > digs.dp) prec = nd;
      return layout_f(digs, std::max(prec - digs.dp, 0));
    }
  }
}

std::string type_name(const TemplateValue& v) {
  switch (v.index()) {
    case 0:
      return "float64";
    case 1:
      return "string";
    default:
      return "map[string]string";
  }
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

struct Spec {
  bool minus = false, plus = false, space = false, zero = false, sharp = false;
  int width = -1;
  int precision = -1;
};

std::string pad(std::string s, const Spec& spec, bool numeric) {
  if (spec.width < 0 || static_cast<int>(s.size()) >= spec.width) return s;
  size_t fill = spec.width - s.size();
  if (spec.minus) return s + std::string(fill, ' ');
  if (spec.zero && numeric) {
    size_t sign = (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) ? 1 : 0;
    return s.substr(0, sign) + std::string(fill, '0') + s.substr(sign);
  }
  return std::string(fill, ' ') + s;
}

std::string format_number(double v, char verb, const Spec& spec) {
  std::string body;
  bool numeric = true;
  if (std::isnan(v)) {
    body = "NaN";
    numeric = false;
    if (spec.plus)
      body = "+NaN";
    else if (spec.space)
      body = " NaN";
  } else if (std::isinf(v)) {
    body = v > 0 ? (spec.space && !spec.plus ? " Inf" : "+Inf") : "-Inf";
    numeric = false;
  } else {
    char layout = verb == 'v' ? 'g' : verb;
    int prec = spec.precision;
    if (prec < 0 && (verb == 'e' || verb == 'E' || verb == 'f' || verb == 'F')) prec = 6;
    body = format_finite(std::fabs(v), layout, prec);
    if (std::signbit(v))
      body = "-" + body;
    else if (spec.plus)
      body = "+" + body;
    else if (spec.space)
      body = " " + body;
  }
  return pad(body, spec, numeric);
}

}  // namespace

std::string go_format_float(double value, char verb, int precision) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  std::string body = format_finite(std::fabs(value), verb, precision);
  return std::signbit(value) ? "-" + body : body;
}

std::string go_sprint(const TemplateValue& value) {
  if (const double* d = std::get_if<double>(&value)) return go_format_float(*d, 'g', -1);
  if (const std::string* s = std::get_if<std::string>(&value)) return *s;
  const auto& map = std::get<2>(value);
  std::string out = "map[";
  bool first = true;
  for (const auto& [k, v] : map) {
    out += (first ? "" : " ") + k + ":" + v;
    first = false;
  }
  return out + "]";
}

std::string go_sprintf(std::string_view format, const std::vector<TemplateValue>& args,
                       std::size_t max_bytes) {
  std::string out;
  size_t arg = 0;
  size_t i = 0;
  while (i < format.size() && out.size() <= max_bytes) {
    char c = format[i];
    if (c != '%') {
      out.push_back(c);
      ++i;
      continue;
    }
    ++i;
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    Spec spec;
    for (; i < format.size(); ++i) {
      char f = format[i];
      if (f == '-')
        spec.minus = true;
      else if (f == '+')
        spec.plus = true;
      else if (f == ' ')
        spec.space = true;
      else if (f == '0')
        spec.zero = !spec.minus;
      else if (f == '#')
        spec.sharp = true;
      else
        break;
    }
    // fmt's parsenum: a number past a million is "crazy long", and it swallows the rest of
    // the format (which then has no verb).
    auto number = [&](int& into) {
      if (i < format.size() && format[i] >= '0' && format[i] <= '9') {
        int absent = into;
        into = 0;
        while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
          if (into > 1'000'000) {
            into = absent;
            i = format.size();
            return;
          }
          into = into * 10 + (format[i++] - '0');
        }
      }
    };
    number(spec.width);
    if (i < format.size() && format[i] == '.') {
      ++i;
      spec.precision = 0;
      number(spec.precision);
    }
    if (i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    char verb = format[i++];
    if (verb == '%') {
      out.push_back('%');
      continue;
    }
    if (arg >= args.size()) {
      out += fmt::format("%!{}(MISSING)", verb);
      continue;
    }
    const TemplateValue& a = args[arg++];
    const bool is_number = a.index() == 0;
    const bool is_string = a.index() == 1;
    std::string_view float_verbs = "vfFeEgG";
    if (is_number && float_verbs.find(verb) != std::string_view::npos) {
      out += format_number(std::get<double>(a), verb, spec);
    } else if (is_string && (verb == 's' || verb == 'v')) {
      std::string s = std::get<std::string>(a);
      if (spec.precision >= 0 && static_cast<size_t>(spec.precision) < s.size())
        s = s.substr(0, spec.precision);
      out += pad(s, spec, false);
    } else if (is_string && verb == 'q') {
      out += pad(go_quote(std::get<std::string>(a)), spec, false);
    } else if (a.index() == 2 && verb == 'v') {
      out += pad(go_sprint(a), spec, false);
    } else {
      out += fmt::format("%!{}({}={})", verb, type_name(a), go_sprint(a));
    }
  }
  if (arg < args.size()) {
    out += "%!(EXTRA ";
    for (size_t k = arg; k < args.size(); ++k)
      out += fmt::format("{}{}={}", k > arg ? ", " : "", type_name(args[k]), go_sprint(args[k]));
    out += ")";
  }
  return out;
}

}  // namespace e2e3d::rules
