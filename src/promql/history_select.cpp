// Selectors over recorded scrapes: instant selectors with `offset`, range selectors, and the
// entry point that evaluates an expression over a SeriesStore.
#include <algorithm>

#include "e2e3d/promql/parser.hpp"
#include "e2e3d/promql/series_store.hpp"
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
  int64_t to = selector_time(vs);
  return select_range_between(ms, time_sub(to, ms.range_ms), to);
}

std::vector<RangeSeries> Evaluator::select_range_between(const MatrixSelector& ms, int64_t from,
                                                         int64_t to) {
  const auto& vs = std::get<VectorSelector>(ms.selector->node);
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

std::vector<RangeSeries> Evaluator::select_steps(const VectorSelector& vs, const Steps& steps) {
  std::vector<RangeSeries> out;
  const std::size_t count = steps.count();
  for (const auto& [labels, s] : history_->series()) {
    if (!matches(vs, labels)) continue;
    RangeSeries series{label_set(labels, &label_arena_), {}};
    for (std::size_t k = 0; k < count; ++k) {
      int64_t t = time_add(steps.start, static_cast<int64_t>(k) * steps.interval);
      int64_t at = vs.has_at ? selector_time(vs) : time_sub(t, vs.offset_ms);
      auto [begin, end] = points_between(s.points, time_sub(at, kLookbackMs), at);
      if (begin == end || is_stale_marker((end - 1)->value)) continue;
      series.points.push_back(Point{t, (end - 1)->value});
    }
    if (!series.points.empty()) out.push_back(std::move(series));
  }
  return out;
}

IVector Evaluator::select_now(const VectorSelector& vs, std::vector<int64_t>* timestamps) {
  if (history_ && !view_) return select_at(vs, time_ms_, timestamps);
  return select(vs, timestamps);
}

int64_t Evaluator::at_time(const AtModifier& at) const {
  return at.kind == AtModifier::Kind::timestamp ? at.ms : query_time_ms_;
}

int64_t Evaluator::selector_time(const VectorSelector& vs) const {
  return time_sub(vs.has_at ? at_time(vs.at) : time_ms_, vs.offset_ms);
}

namespace {
// The scrape of an evaluator without an instant view: empty, never read.
const Scrape& no_view() {
  static const Scrape* const empty = [] {
    auto* s = new Scrape();
    s->builder().finish();
    return s;
  }();
  return *empty;
}
}  // namespace

Evaluator::Evaluator(const Evaluator& parent, int64_t time_ms)
    : scrape_(no_view()),
      time_ms_(time_ms),
      query_time_ms_(parent.query_time_ms_),
      input_(parent.input_),
      history_(parent.history_),
      view_(false),
      budget_(parent.budget_) {}

Value evaluate(const SeriesStore& history, std::string_view expr, const EvalOptions& options) {
  return evaluate(history, history.instant_view(options.time_ms), expr, options);
}

namespace {
Matrix to_matrix(std::vector<RangeSeries> selected) {
  Matrix out;
  out.reserve(selected.size());
  for (auto& series : selected) {
    SeriesPoints sp;
    for (const auto& l : series.labels)
      sp.metric.emplace_back(l.name, l.value);
    sp.points = std::move(series.points);
    out.push_back(std::move(sp));
  }
  return out;
}
}  // namespace

Value evaluate(const SeriesStore& history, const Scrape& view, std::string_view expr,
               const EvalOptions& options) {
  ExprPtr tree = parse(expr);
  Evaluator ev(view, options.time_ms, expr);
  ev.set_history(&history);
  const Expr& top = unwrap_parens(*tree);
  if (const auto* ms = std::get_if<MatrixSelector>(&top.node))
    return to_matrix(ev.select_range(*ms));
  if (const auto* sq = std::get_if<SubqueryExpr>(&top.node)) {
    return to_matrix(ev.select_subquery(*sq, top));
  }
  return to_value(ev.eval(*tree));
}

}  // namespace e2e3d::promql
