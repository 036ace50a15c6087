// The functions of Prometheus 2.42's functions.go that work on one sample per series. Functions
// over range vectors are in range_functions.cpp; on a single scrape they fail with an
// explanation.
#include <fmt/format.h>
#include <re2/re2.h>

#include <cmath>
#include <ctime>
#include <functional>
#include <limits>
#include <unordered_map>

#include "e2e3d/promql/regex.hpp"
#include "promql/eval.hpp"
#include "promql/go_text.hpp"
#include "promql/names.hpp"

namespace e2e3d::promql {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

IVector map_values(IVector v, const std::function<double(double)>& f) {
  for (auto& s : v) {
    drop_metric_name(s.labels);
    s.value = f(s.value);
  }
  return v;
}

// ---- dates (time.Unix(sec, 0).UTC()) ----
struct Civil {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
  int hour;
  int minute;
  int weekday;   // Sunday = 0
  int year_day;  // 1..366
};

int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

bool leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

Civil civil(int64_t seconds) {
  int64_t days = floor_div(seconds, 86400);
  // days * 86400 overflows for INT64_MIN (what NaN and ±Inf become, as in Go); the
  // remainder itself always fits, so compute it in wrapping unsigned arithmetic.
  auto rem = static_cast<int64_t>(static_cast<uint64_t>(seconds) -
                                  static_cast<uint64_t>(days) * uint64_t{86400});
  Civil c{};
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>((rem % 3600) / 60);
  c.weekday = static_cast<int>(((days % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday
  // Howard Hinnant's civil_from_days.
  int64_t z = days + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = c.month <= 2 ? y + 1 : y;
  static constexpr int kBefore[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  c.year_day = kBefore[c.month - 1] + c.day + ((c.month > 2 && leap(c.year)) ? 1 : 0);
  return c;
}

int days_in_month(const Civil& c) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (c.month == 2 && leap(c.year)) return 29;
  return kDays[c.month - 1];
}

// Go's int64(float64) on amd64: NaN and out-of-range values become math.MinInt64.
int64_t go_int64(double v) {
  if (!(v >= -9.223372036854775808e18 && v < 9.223372036854775808e18)) {
    return std::numeric_limits<int64_t>::min();
  }
  return static_cast<int64_t>(v);
}

IVector date_function(Evaluator& ev, const Call& c, const std::function<double(const Civil&)>& f) {
  if (c.args.empty()) {
    int64_t seconds = ev.time_ms() / 1000;
    return IVector{ISample{{}, f(civil(seconds))}};
  }
  IVector v = ev.eval_vector(*c.args[0]);
  for (auto& s : v) {
    drop_metric_name(s.labels);
    s.value = f(civil(go_int64(s.value)));
  }
  return v;
}

// Regexp.ExpandString: $1, ${1}, $name, ${name}, $$.
// Returns false, leaving `out` incomplete, as soon as the value would pass `limit` bytes.
bool expand(std::string& out, const RE2& re, std::string_view tmpl,
            const std::vector<re2::StringPiece>& groups, std::size_t limit) {
  const auto& named = re.NamedCapturingGroups();
  while (!tmpl.empty()) {
    auto dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) break;
    out.append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar + 1);
    if (!tmpl.empty() && tmpl[0] == '$') {
      out += '$';
      tmpl.remove_prefix(1);
      continue;
    }
    // extract(): a name of letters, digits and underscores, optionally in braces.
    std::string_view str = tmpl;
    bool brace = false;
    if (!str.empty() && str[0] == '{') {
      brace = true;
      str.remove_prefix(1);
    }
    std::size_t i = 0;
    while (i < str.size()) {
      auto c = static_cast<unsigned char>(str[i]);
      if (!(std::isalnum(c) || c == '_' || c >= 0x80)) break;
      ++i;
    }
    if (i == 0 || (brace && (i >= str.size() || str[i] != '}'))) {
      out += '$';  // malformed: the $ is literal text
      continue;
    }
    std::string_view name = str.substr(0, i);
    if (brace) ++i;
    tmpl = str.substr(i);
    int64_t num = 0;
    for (char ch : name) {
      if (ch < '0' || ch > '9' || num >= 100000000) {
        num = -1;
        break;
      }
      num = num * 10 + (ch - '0');
    }
    if (name[0] == '0' && name.size() > 1) num = -1;
    if (num >= 0) {
      if (static_cast<std::size_t>(num) < groups.size() &&
          groups[static_cast<std::size_t>(num)].data()) {
        out.append(groups[static_cast<std::size_t>(num)].data(),
                   groups[static_cast<std::size_t>(num)].size());
      }
      if (out.size() > limit) return false;
    } else {
      auto it = named.find(std::string(name));
      if (it != named.end() && static_cast<std::size_t>(it->second) < groups.size() &&
          groups[static_cast<std::size_t>(it->second)].data()) {
        const auto& g = groups[static_cast<std::size_t>(it->second)];
        out.append(g.data(), g.size());
      }
      if (out.size() > limit) return false;
    }
  }
  out.append(tmpl);
  return out.size() <= limit;
}

[[noreturn]] void value_too_long(Evaluator& ev, const Expr& e, std::string_view function) {
  eval_error(fmt::format(
      "{}: {}() would make a label value longer than {} bytes, the limit of one label value; "
      "the expression multiplies a label's text (a replacement such as \"$1$1\" nested)",
      ev.position(e.pos), function, kMaxLabelValueBytes));
}

IVector label_replace(Evaluator& ev, const Call& c, const Expr& e) {
  IVector v = ev.eval_vector(*c.args[0]);
  std::string_view dst = ev.eval_string(*c.args[1]);
  std::string_view repl = ev.eval_string(*c.args[2]);
  std::string_view src = ev.eval_string(*c.args[3]);
  std::string_view regex = ev.eval_string(*c.args[4]);
  std::string error;
  auto re = compile_anchored(regex, error);
  if (!re) eval_error(fmt::format("invalid regular expression in label_replace(): {}", regex));
  if (!is_label_name(dst)) {
    eval_error(fmt::format("invalid destination label name in label_replace(): {}", dst));
  }
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(re->NumberOfCapturingGroups()) + 1);
  for (auto& s : v) {
    std::string_view value = get(s.labels, src);
    if (!re->Match(value, 0, value.size(), RE2::UNANCHORED, groups.data(),
                   static_cast<int>(groups.size()))) {
      continue;
    }
    std::string result;
    if (!expand(result, *re, repl, groups, kMaxLabelValueBytes)) {
      value_too_long(ev, e, "label_replace");
    }
    del_label(s.labels, dst);
    if (!result.empty()) set_label(s.labels, dst, ev.keep(std::move(result)));
  }
  return v;
}

IVector label_join(Evaluator& ev, const Call& c, const Expr& e) {
  IVector v = ev.eval_vector(*c.args[0]);
  std::string_view dst = ev.eval_string(*c.args[1]);
  std::string_view sep = ev.eval_string(*c.args[2]);
  std::vector<std::string_view> srcs;
  for (std::size_t i = 3; i < c.args.size(); ++i) {
    std::string_view src = ev.eval_string(*c.args[i]);
    if (!is_label_name(src)) {
      eval_error(fmt::format("invalid source label name in label_join(): {}", src));
    }
    srcs.push_back(src);
  }
  if (!is_label_name(dst)) {
    eval_error(fmt::format("invalid destination label name in label_join(): {}", dst));
  }
  for (auto& s : v) {
    std::string joined;
    for (std::size_t i = 0; i < srcs.size(); ++i) {
      if (i > 0) joined += sep;
      joined += get(s.labels, srcs[i]);
      if (joined.size() > kMaxLabelValueBytes) value_too_long(ev, e, "label_join");
    }
    if (joined.empty()) {
      del_label(s.labels, dst);
    } else {
      set_label(s.labels, dst, ev.keep(std::move(joined)));
    }
  }
  return v;
}

}  // namespace

// createLabelsForAbsentFunction: equality matchers of a plain selector argument.
LabelSet absent_labels(const Expr& arg) {
  const VectorSelector* vs = nullptr;
  if (const auto* s = std::get_if<VectorSelector>(&arg.node)) vs = s;
  if (const auto* m = std::get_if<MatrixSelector>(&arg.node)) {
    vs = &std::get<VectorSelector>(m->selector->node);
  }
  LabelSet out;
  if (!vs) return out;
  std::vector<std::string_view> ambiguous;
  for (const auto& m : vs->matchers) {
    if (m.name == kMetricName) continue;
    bool has = !get(out, m.name).empty();
    if (m.type == LabelMatcher::Type::equal && !has) {
      set_label(out, m.name, m.value);
    } else {
      ambiguous.push_back(m.name);
    }
  }
  for (auto n : ambiguous)
    del_label(out, n);
  return out;
}

const Expr& unwrap_parens(const Expr& e) {
  if (const auto* p = std::get_if<ParenExpr>(&e.node)) return unwrap_parens(*p->expr);
  return e;
}

namespace {

IVector timestamp(Evaluator& ev, const Call& c) {
  const Expr& arg = unwrap_parens(*c.args[0]);
  if (const auto* vs = std::get_if<VectorSelector>(&arg.node)) {
    std::vector<int64_t> ts;
    IVector v;
    if (vs->has_at || vs->has_offset) {
      if (!ev.history()) {
        ev.needs_history(arg, vs->has_at ? "the @ modifier" : "the offset modifier");
      }
      v = ev.select_at(*vs, ev.selector_time(*vs), &ts);
    } else {
      v = ev.select_now(*vs, &ts);
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      drop_metric_name(v[i].labels);
      v[i].value = static_cast<double>(ts[i]) / 1000;
    }
    return v;
  }
  IVector v = ev.eval_vector(*c.args[0]);
  for (auto& s : v) {
    drop_metric_name(s.labels);
    s.value = static_cast<double>(ev.time_ms()) / 1000;
  }
  return v;
}

using Simple = double (*)(double);
const std::unordered_map<std::string_view, Simple>& simple_functions() {
  static const std::unordered_map<std::string_view, Simple> table = {
      {"abs", [](double v) { return std::fabs(v); }},
      {"ceil", [](double v) { return std::ceil(v); }},
      {"floor", [](double v) { return std::floor(v); }},
      {"exp", [](double v) { return go_exp(v); }},
      {"sqrt", [](double v) { return std::sqrt(v); }},
      {"ln", [](double v) { return go_log(v); }},
      {"log2", [](double v) { return go_log2(v); }},
      {"log10", [](double v) { return go_log10(v); }},
      {"sin", [](double v) { return std::sin(v); }},
      {"cos", [](double v) { return std::cos(v); }},
      {"tan", [](double v) { return std::tan(v); }},
      {"asin", [](double v) { return std::asin(v); }},
      {"acos", [](double v) { return std::acos(v); }},
      {"atan", [](double v) { return std::atan(v); }},
      {"sinh", [](double v) { return std::sinh(v); }},
      {"cosh", [](double v) { return std::cosh(v); }},
      {"tanh", [](double v) { return std::tanh(v); }},
      {"asinh", [](double v) { return std::asinh(v); }},
      {"acosh", [](double v) { return std::acosh(v); }},
      {"atanh", [](double v) { return std::atanh(v); }},
      {"deg", [](double v) { return v * 180 / M_PI; }},
      {"rad", [](double v) { return v * M_PI / 180; }},
      {"sgn", [](double v) { return v < 0   ? -1.0
                                    : v > 0 ? 1.0
                                            : v; }},
  };
  return table;
}

IVector vector_function(Evaluator& ev, const Call& c, const Expr& e) {
  std::string_view name = c.func->name;
  for (const auto& arg : c.args) {
    if (arg->type() != ValueType::matrix) continue;
    if (ev.history()) return range_function(ev, c, e);
    ev.needs_history(e, fmt::format("{}()", name));
  }
  if (auto it = simple_functions().find(name); it != simple_functions().end()) {
    return map_values(ev.eval_vector(*c.args[0]), it->second);
  }
  if (name == "round") {
    IVector v = ev.eval_vector(*c.args[0]);
    double to_nearest = c.args.size() >= 2 ? ev.eval_scalar(*c.args[1]) : 1;
    double inverse = 1.0 / to_nearest;
    return map_values(std::move(v),
                      [inverse](double x) { return std::floor(x * inverse + 0.5) / inverse; });
  }
  if (name == "clamp") {
    IVector v = ev.eval_vector(*c.args[0]);
    double lo = ev.eval_scalar(*c.args[1]);
    double hi = ev.eval_scalar(*c.args[2]);
    if (hi < lo) return {};
    return map_values(std::move(v), [lo, hi](double x) { return go_max(lo, go_min(hi, x)); });
  }
  if (name == "clamp_max") {
    IVector v = ev.eval_vector(*c.args[0]);
    double hi = ev.eval_scalar(*c.args[1]);
    return map_values(std::move(v), [hi](double x) { return go_min(x, hi); });
  }
  if (name == "clamp_min") {
    IVector v = ev.eval_vector(*c.args[0]);
    double lo = ev.eval_scalar(*c.args[1]);
    return map_values(std::move(v), [lo](double x) { return go_max(x, lo); });
  }
  if (name == "absent") {
    IVector v = ev.eval_vector(*c.args[0]);
    if (!v.empty()) return {};
    return IVector{ISample{absent_labels(*c.args[0]), 1}};
  }
  if (name == "vector") return IVector{ISample{{}, ev.eval_scalar(*c.args[0])}};
  if (name == "sort") {
    IVector v = ev.eval_vector(*c.args[0]);
    go_sort(v, [](const ISample& a, const ISample& b) { return by_reverse_value_less(b, a); });
    return v;
  }
  if (name == "sort_desc") {
    IVector v = ev.eval_vector(*c.args[0]);
    go_sort(v, [](const ISample& a, const ISample& b) { return by_value_less(b, a); });
    return v;
  }
  if (name == "label_replace") return label_replace(ev, c, e);
  if (name == "label_join") return label_join(ev, c, e);
  if (name == "timestamp") return timestamp(ev, c);
  if (name == "histogram_quantile") {
    double q = ev.eval_scalar(*c.args[0]);
    return histogram_quantile(q, ev.eval_vector(*c.args[1]));
  }
  if (name == "histogram_count" || name == "histogram_sum") {
    ev.eval_vector(*c.args[0]);
    return {};  // native histograms only; a text-format scrape has none
  }
  if (name == "histogram_fraction") {
    ev.eval_scalar(*c.args[0]);
    ev.eval_scalar(*c.args[1]);
    ev.eval_vector(*c.args[2]);
    return {};
  }
  if (name == "year") return date_function(ev, c, [](const Civil& t) { return double(t.year); });
  if (name == "month") return date_function(ev, c, [](const Civil& t) { return double(t.month); });
  if (name == "day_of_month")
    return date_function(ev, c, [](const Civil& t) { return double(t.day); });
  if (name == "day_of_week")
    return date_function(ev, c, [](const Civil& t) { return double(t.weekday); });
  if (name == "day_of_year")
    return date_function(ev, c, [](const Civil& t) { return double(t.year_day); });
  if (name == "days_in_month") {
    return date_function(ev, c, [](const Civil& t) { return double(days_in_month(t)); });
  }
  if (name == "hour") return date_function(ev, c, [](const Civil& t) { return double(t.hour); });
  if (name == "minute")
    return date_function(ev, c, [](const Civil& t) { return double(t.minute); });
  ev.needs_history(e, fmt::format("{}()", name));
}

}  // namespace

EvalValue call_function(Evaluator& ev, const Call& c, const Expr& e) {
  std::string_view name = c.func->name;
  if (name == "time") return static_cast<double>(ev.time_ms()) / 1000;
  if (name == "pi") return M_PI;
  if (name == "scalar") {
    IVector v = ev.eval_vector(*c.args[0]);
    return v.size() == 1 ? v[0].value : kNaN;
  }
  IVector out = vector_function(ev, c, e);
  if (contains_same_labelset(out))
    eval_error("vector cannot contain metrics with the same labelset");
  return out;
}

}  // namespace e2e3d::promql
