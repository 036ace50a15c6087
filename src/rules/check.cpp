// Evaluating `check` expressions and thresholds on one scrape.
#include "e2e3d/rules/check.hpp"

#include <chrono>

#include <fmt/format.h>

#include "e2e3d/catalog.hpp"
#include "e2e3d/promql/parser.hpp"

namespace e2e3d::rules {
namespace {

promql::Vector as_vector(const promql::Value& value) {
  if (const auto* v = std::get_if<promql::Vector>(&value)) return *v;
  if (const auto* s = std::get_if<promql::Scalar>(&value)) return {promql::Sample{{}, s->value}};
  throw Error(ErrorKind::eval, "the expression returns a string, not a vector or scalar");
}

// For each name the expression selects that has no series: the name the target exposes instead.
std::vector<std::string> name_hints(const Scrape& scrape, const std::string& expr) {
  std::vector<std::string> hints;
  for (const auto& name : promql::selector_names(expr)) {
    if (!scrape.series_named(name).empty()) continue;
    std::string hint = fmt::format("the target exposes no series named {}", name);
    for (const auto& candidate : catalog::candidate_names(name)) {
      if (candidate != name && !scrape.series_named(candidate).empty()) {
        hint +=
            fmt::format("; it exposes {} (the Python client adds _total to counters)", candidate);
        break;
      }
    }
    hints.push_back(std::move(hint));
  }
  return hints;
}

std::string value_label(const std::string& label, const promql::Labels& metric, bool many) {
  if (!many) return label;
  std::string out = label;
  for (const auto& [k, v] : metric) {
    if (k != "__name__") out += "_" + v;
  }
  return out;
}

}  // namespace

std::string_view check_status_name(CheckStatus status) {
  switch (status) {
    case CheckStatus::pass:
      return "pass";
    case CheckStatus::fail:
      return "fail";
    case CheckStatus::error:
      return "error";
  }
  return "error";
}

int CheckReport::exit_code() const {
  if (target_error) return 3;
  int code = 0;
  for (const auto& c : checks) {
    if (c.status == CheckStatus::error) return 3;
    if (c.status == CheckStatus::fail) code = 2;
  }
  return code;
}

void validate_expressions(const std::vector<std::string>& exprs) {
  for (size_t i = 0; i < exprs.size(); ++i) {
    try {
      promql::parse(exprs[i]);
    } catch (const ParseError& e) {
      throw ParseError(e.position(), fmt::format("expression {} `{}`: {}; fix the expression",
                                                 i + 1, exprs[i], e.what()));
    }
  }
}

std::vector<ExpressionCheck> check_expressions(const Scrape& scrape,
                                               const std::vector<std::string>& exprs,
                                               int64_t time_ms) {
  std::vector<ExpressionCheck> out;
  promql::EvalOptions options;
  options.time_ms = time_ms;
  for (const auto& expr : exprs) {
    ExpressionCheck check;
    check.expr = expr;
    auto start = std::chrono::steady_clock::now();
    try {
      check.result = as_vector(promql::evaluate(scrape, expr, options));
      if (check.result.empty()) {
        check.status = CheckStatus::fail;
        check.message = "empty result";
        check.hints = name_hints(scrape, expr);
      } else {
        check.status = CheckStatus::pass;
      }
    } catch (const Error& e) {
      check.status = CheckStatus::error;
      check.message = e.what();
    }
    check.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.push_back(std::move(check));
  }
  return out;
}

ThresholdCheck threshold_unknown(const std::string& expr, const std::string& label,
                                 std::optional<ThresholdRange> warning,
                                 std::optional<ThresholdRange> critical, std::string message) {
  ThresholdCheck check;
  check.expr = expr;
  check.label = label;
  check.warning = std::move(warning);
  check.critical = std::move(critical);
  check.status = PluginStatus::unknown;
  check.message = std::move(message);
  return check;
}

ThresholdCheck check_threshold(const Scrape& scrape, const std::string& expr,
                               const std::string& label, std::optional<ThresholdRange> warning,
                               std::optional<ThresholdRange> critical, int64_t time_ms) {
  ThresholdCheck check =
      threshold_unknown(expr, label, std::move(warning), std::move(critical), "");
  promql::EvalOptions options;
  options.time_ms = time_ms;
  promql::Vector vector;
  try {
    vector = as_vector(promql::evaluate(scrape, expr, options));
  } catch (const Error& e) {
    check.message = e.what();
    return check;
  }
  if (vector.empty()) {
    check.message = fmt::format("`{}` returned no value", expr);
    auto hints = name_hints(scrape, expr);
    if (!hints.empty()) check.message += " (" + hints.front() + ")";
    return check;
  }
  for (const auto& sample : vector)
    check.values.push_back({value_label(label, sample.metric, vector.size() > 1), sample.value});
  ThresholdVerdict verdict = judge(check.values, check.warning ? &*check.warning : nullptr,
                                   check.critical ? &*check.critical : nullptr);
  check.status = verdict.status;
  check.per_value = verdict.per_value;
  if (check.status == PluginStatus::unknown) check.message = "a value is NaN";
  return check;
}

}  // namespace e2e3d::rules
