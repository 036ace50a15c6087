// Selectors over recorded scrapes: instant selectors with `offset`, range selectors, and the
// entry point that evaluates an expression over a History.
#include <algorithm>

#include "e2e3d/promql/history.hpp"
#include "e2e3d/promql/parser.hpp"
#include "promql/eval.hpp"

namespace e2e3d::promql {
namespace {

bool matches(const VectorSelector& vs, const Labels& labels) {
  for (const auto& m : vs.matchers) {
    std::string_view value;
    for (const auto& [name, v] : labels) {
      if (name == m.name) {
        value = v;
        break;
      }
    }
    if (!m.matches(value)) return false;
  }
  return true;
}

LabelSet label_set(const Labels& labels, std::pmr::memory_resource* arena) {
  LabelSet out(arena);
  out.reserve(labels.size());
  for (const auto& [name, value] : labels)
    out.push_back(Label{name, value});
  return out;
}

// Iterators to the points with t in [from, to].
auto points_between(const std::vector<Point>& points, int64_t from, int64_t to) {
  auto begin = std::lower_bound(points.begin(), points.end(), from,
                                [](const Point& p, int64_t t) { return p.t_ms < t; });
  auto end = std::upper_bound(begin, points.end(), to,
                              [](int64_t t, const Point& p) { return t < p.t_ms; });
  return std::make_pair(begin, end);
}

}  // namespace

IVector Evaluator::select_at(const VectorSelector& vs, int64_t t_ms,
                             std::vector<int64_t>* timestamps) {
  IVector out;
  for (const auto& [labels, s] : history_->series()) {
    if (!matches(vs, labels)) continue;
    auto [begin, end] = points_between(s.points, t_ms - kLookbackMs, t_ms);
    if (begin == end || is_stale_marker((end - 1)->value)) continue;
    out.push_back(ISample{label_set(labels, &label_arena_), (end - 1)->value});
    if (timestamps) timestamps->push_back((end - 1)->t_ms);
  }
  return out;
}

std::vector<RangeSeries> Evaluator::select_range(const MatrixSelector& ms) {
  const auto& vs = std::get<VectorSelector>(ms.selector->node);
  if (vs.has_at) needs_history(*ms.selector, "the @ modifier");
  int64_t to = time_ms_ - vs.offset_ms;
  int64_t from = to - ms.range_ms;
  std::vector<RangeSeries> out;
  for (const auto& [labels, s] : history_->series()) {
    if (!matches(vs, labels)) continue;
    auto [begin, end] = points_between(s.points, from, to);
    RangeSeries series{label_set(labels, &label_arena_), {}};
    for (auto it = begin; it != end; ++it) {
      if (!is_stale_marker(it->value)) series.points.push_back(*it);
    }
    if (!series.points.empty()) out.push_back(std::move(series));
  }
  return out;
}

Value evaluate(const History& history, std::string_view expr, const EvalOptions& options) {
  return evaluate(history, history.instant_view(options.time_ms), expr, options);
}

Value evaluate(const History& history, const Scrape& view, std::string_view expr,
               const EvalOptions& options) {
  ExprPtr tree = parse(expr);
  Evaluator ev(view, options.time_ms, expr);
  ev.set_history(&history);
  const Expr& top = unwrap_parens(*tree);
  if (const auto* ms = std::get_if<MatrixSelector>(&top.node)) {
    Matrix out;
    for (auto& series : ev.select_range(*ms)) {
      SeriesPoints sp;
      for (const auto& l : series.labels)
        sp.metric.emplace_back(l.name, l.value);
      sp.points = std::move(series.points);
      out.push_back(std::move(sp));
    }
    return out;
  }
  if (std::holds_alternative<SubqueryExpr>(top.node)) ev.needs_history(top, "a subquery");
  return to_value(ev.eval(*tree), *tree);
}

}  // namespace e2e3d::promql
