// The functions over range vectors, as Prometheus 2.42's functions.go computes them, evaluated
// once at the evaluation time over recorded scrapes: rate/increase/delta with their
// extrapolation, irate/idelta, deriv and predict_linear (least squares with Kahan sums),
// holt_winters, resets, changes and the *_over_time family.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>
#include <span>

#include "promql/eval.hpp"

namespace e2e3d::promql {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
using Points = std::vector<Point>;

// kahanSumInc, with Neumaier's improvement.
void kahan_add(double inc, double& sum, double& c) {
  double t = sum + inc;
  if (std::fabs(sum) >= std::fabs(inc)) {
    c += (sum - t) + inc;
  } else {
    c += (inc - t) + sum;
  }
  sum = t;
}

// extrapolatedRate: the change over the samples, extrapolated towards the range's ends when
// the samples come close enough to them, never to below zero for a counter.
std::optional<double> extrapolated_rate(const Points& p, int64_t range_start, int64_t range_end,
                                        int64_t range_ms, bool is_counter, bool is_rate) {
  if (p.size() < 2) return std::nullopt;
  double result = p.back().value - p.front().value;
  if (is_counter) {
    double prev = p.front().value;
    for (std::size_t i = 1; i < p.size(); ++i) {
      if (p[i].value < prev) result += prev;
      prev = p[i].value;
    }
  }
  double to_start = static_cast<double>(p.front().t_ms - range_start) / 1000;
  double to_end = static_cast<double>(range_end - p.back().t_ms) / 1000;
  double sampled = static_cast<double>(p.back().t_ms - p.front().t_ms) / 1000;
  double average = sampled / static_cast<double>(p.size() - 1);
  if (is_counter && result > 0 && p.front().value >= 0) {
    double to_zero = sampled * (p.front().value / result);
    if (to_zero < to_start) to_start = to_zero;
  }
  double threshold = average * 1.1;
  double interval = sampled;
  interval += to_start < threshold ? to_start : average / 2;
  interval += to_end < threshold ? to_end : average / 2;
  double factor = interval / sampled;
  if (is_rate) factor /= static_cast<double>(range_ms) / 1000;
  return result * factor;
}

// instantValue: from the last two samples.
std::optional<double> instant_value(const Points& p, bool is_rate) {
  if (p.size() < 2) return std::nullopt;
  const Point& last = p[p.size() - 1];
  const Point& previous = p[p.size() - 2];
  double result = is_rate && last.value < previous.value ? last.value : last.value - previous.value;
  int64_t interval = last.t_ms - previous.t_ms;
  if (interval == 0) return std::nullopt;
  if (is_rate) result /= static_cast<double>(interval) / 1000;
  return result;
}

struct Regression {
  double slope = 0;
  double intercept = 0;
};

Regression linear_regression(const Points& p, int64_t intercept_time) {
  double n = 0;
  double sum_x = 0, c_x = 0, sum_y = 0, c_y = 0, sum_xy = 0, c_xy = 0, sum_x2 = 0, c_x2 = 0;
  double init_y = p.front().value;
  bool const_y = true;
  for (std::size_t i = 0; i < p.size(); ++i) {
    double y = p[i].value;
    if (const_y && i > 0 && y != init_y) const_y = false;
    n += 1.0;
    double x = static_cast<double>(p[i].t_ms - intercept_time) / 1e3;
    kahan_add(x, sum_x, c_x);
    kahan_add(y, sum_y, c_y);
    kahan_add(x * y, sum_xy, c_xy);
    kahan_add(x * x, sum_x2, c_x2);
  }
  if (const_y) {
    if (std::isinf(init_y)) return {kNaN, kNaN};
    return {0, init_y};
  }
  sum_x += c_x;
  sum_y += c_y;
  sum_xy += c_xy;
  sum_x2 += c_x2;
  double cov_xy = sum_xy - sum_x * sum_y / n;
  double var_x = sum_x2 - sum_x * sum_x / n;
  double slope = cov_xy / var_x;
  return {slope, sum_y / n - slope * sum_x / n};
}

double holt_winters(const Points& p, double sf, double tf) {
  double s0 = 0;
  double s1 = p[0].value;
  double b = p[1].value - p[0].value;
  for (std::size_t i = 1; i < p.size(); ++i) {
    double x = sf * p[i].value;
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;  // calcTrendValue
    double y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  return s1;
}

double avg_over_time(const Points& p) {
  double mean = 0, count = 0, c = 0;
  for (const Point& point : p) {
    double v = point.value;
    count++;
    if (std::isinf(mean)) {
      // Inf - Inf would turn the mean into NaN; the mean is already right.
      if (std::isinf(v) && (mean > 0) == (v > 0)) continue;
      if (!std::isinf(v) && !std::isnan(v)) continue;
    }
    kahan_add(v / count - mean / count, mean, c);
  }
  if (std::isinf(mean)) return mean;
  return mean + c;
}

double sum_over_time(const Points& p) {
  double sum = 0, c = 0;
  for (const Point& point : p)
    kahan_add(point.value, sum, c);
  if (std::isinf(sum)) return sum;
  return sum + c;
}

double variance_over_time(const Points& p) {
  double count = 0, mean = 0, c_mean = 0, aux = 0, c_aux = 0;
  for (const Point& point : p) {
    double v = point.value;
    count++;
    double delta = v - (mean + c_mean);
    kahan_add(delta / count, mean, c_mean);
    kahan_add(delta * (v - (mean + c_mean)), aux, c_aux);
  }
  return (aux + c_aux) / count;
}

double quantile_over_time(double q, const Points& p) {
  std::vector<ISample> values;
  values.reserve(p.size());
  for (const Point& point : p)
    values.push_back(ISample{{}, point.value});
  return quantile_of(q, values);
}

double extreme_over_time(const Points& p, bool want_max) {
  double best = p.front().value;
  for (const Point& point : p) {
    double v = point.value;
    if ((want_max ? v > best : v < best) || std::isnan(best)) best = v;
  }
  return best;
}

double count_changes(const Points& p, bool resets_only) {
  double count = 0;
  double prev = p.front().value;
  for (std::size_t i = 1; i < p.size(); ++i) {
    double current = p[i].value;
    bool counted = resets_only ? current < prev
                               : current != prev && !(std::isnan(current) && std::isnan(prev));
    if (counted) count++;
    prev = current;
  }
  return count;
}

// Go's %f: six decimals, infinities as +Inf and -Inf.
std::string go_percent_f(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{:.6f}", v);
}

// The position of the range-vector argument: quantile_over_time takes it second.
std::size_t matrix_argument(const Call& c) {
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    if (c.args[i]->type() == ValueType::matrix) return i;
  }
  return 0;
}

// A range function's input: the series of a range selector or of a subquery, with every point
// any of the evaluation's windows can see, and where each window ends: at the evaluation time
// minus the offset, or, with @, at the @ time minus the offset whatever the evaluation time.
struct RangeInput {
  std::vector<RangeSeries> series;
  int64_t range_ms = 0;
  bool fixed_end = false;
  int64_t end_or_offset = 0;

  int64_t window_end(int64_t t) const {
    return fixed_end ? end_or_offset : time_sub(t, end_or_offset);
  }
};

RangeInput range_input(Evaluator& ev, const Expr& arg, const Steps& steps) {
  RangeInput in;
  if (const auto* ms = std::get_if<MatrixSelector>(&arg.node)) {
    const auto& vs = std::get<VectorSelector>(ms->selector->node);
    in.range_ms = ms->range_ms;
    in.fixed_end = vs.has_at;
    in.end_or_offset = vs.has_at ? time_sub(ev.at_time(vs.at), vs.offset_ms) : vs.offset_ms;
    int64_t last = in.window_end(steps.end);
    in.series =
        ev.select_range_between(*ms, time_sub(in.window_end(steps.start), in.range_ms), last);
    return in;
  }
  const auto& sq = std::get<SubqueryExpr>(arg.node);
  in.range_ms = sq.range_ms;
  in.fixed_end = sq.has_at;
  in.end_or_offset = sq.has_at ? time_sub(ev.at_time(sq.at), sq.offset_ms) : sq.offset_ms;
  // The subquery's steps cover every window: its first aligned step in the first window to the
  // end of the last one, as Prometheus evaluates it once for all steps.
  Steps inner = ev.subquery_steps(sq);
  Steps all{aligned_step(time_sub(in.window_end(steps.start), in.range_ms), inner.interval),
            in.window_end(steps.end), inner.interval};
  in.series = ev.eval_steps(*sq.expr, all);
  return in;
}

// The points of `p` in [from, to].
std::span<const Point> window(const Points& p, int64_t from, int64_t to) {
  auto begin = std::lower_bound(p.begin(), p.end(), from,
                                [](const Point& point, int64_t t) { return point.t_ms < t; });
  auto end = std::upper_bound(begin, p.end(), to,
                              [](int64_t t, const Point& point) { return t < point.t_ms; });
  return {begin, end};
}

}  // namespace

std::vector<RangeSeries> range_function_steps(Evaluator& ev, const Call& c, const Expr& e,
                                              const Steps& steps) {
  std::string_view name = c.func->name;
  std::size_t index = matrix_argument(c);
  const Expr& arg = unwrap_parens(*c.args[index]);
  if (!std::holds_alternative<MatrixSelector>(arg.node) &&
      !std::holds_alternative<SubqueryExpr>(arg.node)) {
    ev.needs_history(arg, fmt::format("this argument of {}()", name));
  }
  const std::size_t count = steps.count();

  // The other arguments, at each step (they are scalars: one value per step).
  std::vector<std::vector<double>> scalars;
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    if (i == index) continue;
    std::vector<double> values;
    values.reserve(count);
    for (std::size_t k = 0; k < count; ++k) {
      int64_t t = time_add(steps.start, static_cast<int64_t>(k) * steps.interval);
      if (ev.has_view() && t == ev.time_ms()) {
        values.push_back(ev.eval_scalar(*c.args[i]));
      } else {
        Evaluator at_step(ev, t);
        values.push_back(at_step.eval_scalar(*c.args[i]));
      }
    }
    scalars.push_back(std::move(values));
  }
  RangeInput in = range_input(ev, arg, steps);
  // One step's value of one series: `p` is the window, which ends at `end` and is evaluated
  // at `t` (predict_linear's intercept), `k` the step.
  using Compute =
      std::function<std::optional<double>(const Points&, int64_t t, int64_t end, std::size_t k)>;
  Compute compute;
  auto rate_like = [&](bool counter, bool rate) -> Compute {
    return [=, range = in.range_ms](const Points& p, int64_t, int64_t end, std::size_t) {
      return extrapolated_rate(p, time_sub(end, range), end, range, counter, rate);
    };
  };
  auto simple = [](auto f) -> Compute {
    return [f](const Points& p, int64_t, int64_t, std::size_t) -> std::optional<double> {
      return f(p);
    };
  };
  if (name == "rate") compute = rate_like(true, true);
  if (name == "increase") compute = rate_like(true, false);
  if (name == "delta") compute = rate_like(false, false);
  if (name == "irate") compute = simple([](const Points& p) { return instant_value(p, true); });
  if (name == "idelta") compute = simple([](const Points& p) { return instant_value(p, false); });
  if (name == "deriv") {
    compute = simple([](const Points& p) -> std::optional<double> {
      if (p.size() < 2) return std::nullopt;
      return linear_regression(p, p.front().t_ms).slope;
    });
  }
  if (name == "predict_linear") {
    compute = [&](const Points& p, int64_t t, int64_t, std::size_t k) -> std::optional<double> {
      if (p.size() < 2) return std::nullopt;
      Regression r = linear_regression(p, t);
      return r.slope * scalars[0][k] + r.intercept;
    };
  }
  if (name == "holt_winters") {
    // Like funcHoltWinters, the factors are checked where a window has samples: with none
    // selected, bad factors are no error.
    compute = [&](const Points& p, int64_t, int64_t, std::size_t k) -> std::optional<double> {
      double sf = scalars[0][k];
      double tf = scalars[1][k];
      if (sf <= 0 || sf >= 1) {
        eval_error(fmt::format("invalid smoothing factor. Expected: 0 < sf < 1, got: {}",
                               go_percent_f(sf)));
      }
      if (tf <= 0 || tf >= 1) {
        eval_error(
            fmt::format("invalid trend factor. Expected: 0 < tf < 1, got: {}", go_percent_f(tf)));
      }
      if (p.size() < 2) return std::nullopt;
      return holt_winters(p, sf, tf);
    };
  }
  if (name == "resets") compute = simple([](const Points& p) { return count_changes(p, true); });
  if (name == "changes") compute = simple([](const Points& p) { return count_changes(p, false); });
  if (name == "avg_over_time") compute = simple(avg_over_time);
  if (name == "sum_over_time") compute = simple(sum_over_time);
  if (name == "count_over_time") {
    compute = simple([](const Points& p) { return static_cast<double>(p.size()); });
  }
  if (name == "min_over_time") {
    compute = simple([](const Points& p) { return extreme_over_time(p, false); });
  }
  if (name == "max_over_time") {
    compute = simple([](const Points& p) { return extreme_over_time(p, true); });
  }
  if (name == "stdvar_over_time") compute = simple(variance_over_time);
  if (name == "stddev_over_time") {
    compute = simple([](const Points& p) { return std::sqrt(variance_over_time(p)); });
  }
  if (name == "last_over_time") compute = simple([](const Points& p) { return p.back().value; });
  if (name == "present_over_time" || name == "absent_over_time") {
    compute = simple([](const Points&) { return 1.0; });
  }
  if (name == "quantile_over_time") {
    compute = [&](const Points& p, int64_t, int64_t, std::size_t k) -> std::optional<double> {
      return quantile_over_time(scalars[0][k], p);
    };
  }
  if (!compute) ev.needs_history(e, fmt::format("{}()", name));

  // Like Prometheus, one series at a time, every step of it.
  std::vector<RangeSeries> out;
  std::vector<bool> step_has_points(count, false);
  Points points;
  for (auto& series : in.series) {
    RangeSeries result{std::move(series.labels), {}};
    for (std::size_t k = 0; k < count; ++k) {
      int64_t t = time_add(steps.start, static_cast<int64_t>(k) * steps.interval);
      int64_t end = in.window_end(t);
      auto seen = window(series.points, time_sub(end, in.range_ms), end);
      if (seen.empty()) continue;
      step_has_points[k] = true;
      points.assign(seen.begin(), seen.end());
      if (std::optional<double> value = compute(points, t, end, k)) {
        result.points.push_back(Point{t, *value});
      }
    }
    if (result.points.empty()) continue;
    // last_over_time acts like an offset and keeps the name; the others drop it.
    if (name != "last_over_time") drop_metric_name(result.labels);
    out.push_back(std::move(result));
  }
  if (name == "absent_over_time") {
    // One series, at the steps where no series had a sample in its window.
    RangeSeries absent{absent_labels(arg), {}};
    for (std::size_t k = 0; k < count; ++k) {
      if (!step_has_points[k]) {
        absent.points.push_back(
            Point{time_add(steps.start, static_cast<int64_t>(k) * steps.interval), 1});
      }
    }
    out.clear();
    if (!absent.points.empty()) out.push_back(std::move(absent));
  }
  return out;
}

IVector range_function(Evaluator& ev, const Call& c, const Expr& e) {
  std::vector<RangeSeries> series =
      range_function_steps(ev, c, e, Steps{ev.time_ms(), ev.time_ms(), 1});
  IVector out;
  out.reserve(series.size());
  for (auto& s : series)
    out.push_back(ISample{std::move(s.labels), s.points.front().value});
  return out;
}

}  // namespace e2e3d::promql
