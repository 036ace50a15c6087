// Subqueries over recorded scrapes: an instant vector expression evaluated at the subquery's
// steps, as Prometheus 2.42's range evaluation does it. The steps are aligned to multiples of
// the step (not to the evaluation time), and the result's series come in Prometheus's order:
// a selector's in label-set order, a range function's in the order of its input's series; for
// anything else Prometheus collects the series in a Go map, whose order is random, and ours
// is the order the series first appear in.
#include <fmt/format.h>

#include <string>
#include <unordered_map>

#include "promql/eval.hpp"

namespace e2e3d::promql {
namespace {

bool has_matrix_argument(const Call& c) {
  for (const auto& arg : c.args) {
    if (arg->type() == ValueType::matrix) return true;
  }
  return false;
}

std::string key_of(const LabelSet& labels) {
  std::string key;
  for (const auto& l : labels) {
    key += l.name;
    key += '\xff';
    key += l.value;
    key += '\xff';
  }
  return key;
}

void check_unique(const std::vector<RangeSeries>& series) {
  std::unordered_map<std::string, bool> seen;
  for (const auto& s : series) {
    if (!seen.emplace(key_of(s.labels), true).second) {
      eval_error("vector cannot contain metrics with the same labelset");
    }
  }
}

}  // namespace

Steps Evaluator::subquery_steps(const SubqueryExpr& sq) const {
  int64_t interval = sq.step_ms > 0 ? sq.step_ms : kDefaultSubqueryStepMs;
  int64_t end = time_sub(sq.has_at ? at_time(sq.at) : time_ms_, sq.offset_ms);
  return Steps{aligned_step(time_sub(end, sq.range_ms), interval), end, interval};
}

std::vector<RangeSeries> Evaluator::select_subquery(const SubqueryExpr& sq, const Expr& e) {
  if (!history_) needs_history(e, "a subquery");
  return eval_steps(*sq.expr, subquery_steps(sq));
}

LabelSet Evaluator::adopt(const LabelSet& labels) {
  LabelSet out(&label_arena_);
  out.reserve(labels.size());
  for (const auto& l : labels)
    out.push_back(Label{keep(std::string(l.name)), keep(std::string(l.value))});
  return out;
}

std::vector<RangeSeries> Evaluator::eval_steps(const Expr& e, const Steps& steps) {
  SubqueryBudget& limits = *budget_;
  const std::size_t count = steps.count();
  limits.steps += count;
  if (limits.steps > limits.max_steps) {
    eval_error(fmt::format(
        "{}: the subqueries of this query would be evaluated at more than {} steps; use a larger "
        "step or a shorter range",
        position(e.pos), limits.max_steps));
  }
  const Expr& inner = unwrap_parens(e);
  std::vector<RangeSeries> out;
  if (const auto* vs = std::get_if<VectorSelector>(&inner.node)) {
    out = select_steps(*vs, steps);
  } else if (const auto* u = std::get_if<UnaryExpr>(&inner.node)) {
    out = eval_steps(*u->expr, steps);
    if (u->op == Tok::sub) {
      for (auto& series : out) {
        drop_metric_name(series.labels);
        for (auto& p : series.points)
          p.value = -p.value;
      }
      check_unique(out);
    }
  } else if (const auto* c = std::get_if<Call>(&inner.node); c && has_matrix_argument(*c)) {
    out = range_function_steps(*this, *c, inner, steps);
    check_unique(out);
  } else {
    // Step by step, each series where it first appears.
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t k = 0; k < count; ++k) {
      int64_t t = time_add(steps.start, static_cast<int64_t>(k) * steps.interval);
      Evaluator at_step(*this, t);
      for (auto& sample : at_step.eval_vector(inner)) {
        auto [it, inserted] = index.emplace(key_of(sample.labels), out.size());
        if (inserted) out.push_back(RangeSeries{adopt(sample.labels), {}});
        out[it->second].points.push_back(Point{t, sample.value});
      }
    }
  }
  for (const auto& series : out)
    limits.samples += series.points.size();
  if (limits.samples > limits.max_samples) {
    eval_error(fmt::format(
        "query processing would load too many samples into memory in query execution: the "
        "subquery at {} brings the results of subqueries to more than {} samples; use a larger "
        "step or a shorter range",
        position(e.pos), limits.max_samples));
  }
  return out;
}

}  // namespace e2e3d::promql
