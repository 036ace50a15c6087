#include "e2e3d/promql/ast.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>

namespace e2e3d::promql {

std::string_view documented_type(ValueType type) {
  switch (type) {
    case ValueType::vector:
      return "instant vector";
    case ValueType::matrix:
      return "range vector";
    case ValueType::scalar:
      return "scalar";
    case ValueType::string:
      return "string";
    default:
      return "none";
  }
}

bool LabelMatcher::matches(std::string_view text) const {
  switch (type) {
    case Type::equal:
      return text == value;
    case Type::not_equal:
      return text != value;
    case Type::regex:
      return regex && RE2::FullMatch(text, *regex);
    case Type::not_regex:
      return regex && !RE2::FullMatch(text, *regex);
  }
  return false;
}

ValueType Expr::type() const {
  return std::visit(
      [](const auto& n) -> ValueType {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, NumberLiteral>) return ValueType::scalar;
        if constexpr (std::is_same_v<T, StringLiteral>) return ValueType::string;
        if constexpr (std::is_same_v<T, VectorSelector>) return ValueType::vector;
        if constexpr (std::is_same_v<T, MatrixSelector>) return ValueType::matrix;
        if constexpr (std::is_same_v<T, SubqueryExpr>) return ValueType::matrix;
        if constexpr (std::is_same_v<T, ParenExpr>) return n.expr->type();
        if constexpr (std::is_same_v<T, UnaryExpr>) return n.expr->type();
        if constexpr (std::is_same_v<T, BinaryExpr>) {
          return n.lhs->type() == ValueType::scalar && n.rhs->type() == ValueType::scalar
                     ? ValueType::scalar
                     : ValueType::vector;
        }
        if constexpr (std::is_same_v<T, AggregateExpr>) return ValueType::vector;
        if constexpr (std::is_same_v<T, Call>) return n.func->return_type;
        return ValueType::none;
      },
      node);
}

namespace {
constexpr ValueType V = ValueType::vector;
constexpr ValueType M = ValueType::matrix;
constexpr ValueType S = ValueType::scalar;
constexpr ValueType Str = ValueType::string;

// Prometheus 2.42's function table (promql/parser/functions.go).
const std::vector<Function>& table() {
  static const std::vector<Function> functions = {
      {"abs", {V}, 0, V},
      {"absent", {V}, 0, V},
      {"absent_over_time", {M}, 0, V},
      {"acos", {V}, 0, V},
      {"acosh", {V}, 0, V},
      {"asin", {V}, 0, V},
      {"asinh", {V}, 0, V},
      {"atan", {V}, 0, V},
      {"atanh", {V}, 0, V},
      {"avg_over_time", {M}, 0, V},
      {"ceil", {V}, 0, V},
      {"changes", {M}, 0, V},
      {"clamp", {V, S, S}, 0, V},
      {"clamp_max", {V, S}, 0, V},
      {"clamp_min", {V, S}, 0, V},
      {"cos", {V}, 0, V},
      {"cosh", {V}, 0, V},
      {"count_over_time", {M}, 0, V},
      {"days_in_month", {V}, 1, V},
      {"day_of_month", {V}, 1, V},
      {"day_of_week", {V}, 1, V},
      {"day_of_year", {V}, 1, V},
      {"deg", {V}, 0, V},
      {"delta", {M}, 0, V},
      {"deriv", {M}, 0, V},
      {"exp", {V}, 0, V},
      {"floor", {V}, 0, V},
      {"histogram_count", {V}, 0, V},
      {"histogram_sum", {V}, 0, V},
      {"histogram_fraction", {S, S, V}, 0, V},
      {"histogram_quantile", {S, V}, 0, V},
      {"holt_winters", {M, S, S}, 0, V},
      {"hour", {V}, 1, V},
      {"idelta", {M}, 0, V},
      {"increase", {M}, 0, V},
      {"irate", {M}, 0, V},
      {"label_replace", {V, Str, Str, Str, Str}, 0, V},
      {"label_join", {V, Str, Str, Str}, -1, V},
      {"last_over_time", {M}, 0, V},
      {"ln", {V}, 0, V},
      {"log10", {V}, 0, V},
      {"log2", {V}, 0, V},
      {"max_over_time", {M}, 0, V},
      {"min_over_time", {M}, 0, V},
      {"minute", {V}, 1, V},
      {"month", {V}, 1, V},
      {"pi", {}, 0, S},
      {"predict_linear", {M, S}, 0, V},
      {"present_over_time", {M}, 0, V},
      {"quantile_over_time", {S, M}, 0, V},
      {"rad", {V}, 0, V},
      {"rate", {M}, 0, V},
      {"resets", {M}, 0, V},
      {"round", {V, S}, 1, V},
      {"scalar", {V}, 0, S},
      {"sgn", {V}, 0, V},
      {"sin", {V}, 0, V},
      {"sinh", {V}, 0, V},
      {"sort", {V}, 0, V},
      {"sort_desc", {V}, 0, V},
      {"sqrt", {V}, 0, V},
      {"stddev_over_time", {M}, 0, V},
      {"stdvar_over_time", {M}, 0, V},
      {"sum_over_time", {M}, 0, V},
      {"tan", {V}, 0, V},
      {"tanh", {V}, 0, V},
      {"time", {}, 0, S},
      {"timestamp", {V}, 0, V},
      {"vector", {S}, 0, V},
      {"year", {V}, 1, V},
  };
  return functions;
}
}  // namespace

const Function* find_function(std::string_view name) {
  const auto& t = table();
  auto it = std::find_if(t.begin(), t.end(), [&](const Function& f) { return f.name == name; });
  return it == t.end() ? nullptr : &*it;
}

}  // namespace e2e3d::promql

namespace e2e3d::promql {
namespace {
std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i)
    out += (i ? ", " : "") + v[i];
  return out;
}
std::string number_text(double v) {
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}
}  // namespace

std::string to_debug_string(const Expr& expr) {
  return std::visit(
      [](const auto& n) -> std::string {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, NumberLiteral>) return number_text(n.value);
        if constexpr (std::is_same_v<T, StringLiteral>) return "\"" + n.value + "\"";
        if constexpr (std::is_same_v<T, VectorSelector>) {
          std::string out = n.name;
          std::vector<std::string> ms;
          for (const auto& m : n.matchers) {
            if (m.name == "__name__" && m.value == n.name && !n.name.empty()) continue;
            static constexpr std::string_view ops[] = {"=", "!=", "=~", "!~"};
            ms.push_back(m.name + std::string(ops[static_cast<int>(m.type)]) + "\"" + m.value +
                         "\"");
          }
          if (!ms.empty() || n.name.empty()) out += "{" + join(ms) + "}";
          if (n.has_offset) out += " offset";
          if (n.has_at) out += " @";
          return out;
        }
        if constexpr (std::is_same_v<T, MatrixSelector>) {
          return to_debug_string(*n.selector) + "[" + std::to_string(n.range_ms) + "ms]";
        }
        if constexpr (std::is_same_v<T, SubqueryExpr>) {
          return to_debug_string(*n.expr) + "[" + std::to_string(n.range_ms) +
                 "ms:" + std::to_string(n.step_ms) + "ms]";
        }
        if constexpr (std::is_same_v<T, ParenExpr>) return "(" + to_debug_string(*n.expr) + ")";
        if constexpr (std::is_same_v<T, UnaryExpr>) {
          return std::string(token_spelling(n.op)) + to_debug_string(*n.expr);
        }
        if constexpr (std::is_same_v<T, BinaryExpr>) {
          std::string mod;
          if (n.return_bool) mod += " bool";
          if (n.matching && (n.matching->on || !n.matching->matching_labels.empty())) {
            mod += std::string(n.matching->on ? " on(" : " ignoring(") +
                   join(n.matching->matching_labels) + ")";
          }
          if (n.matching && n.matching->card == Cardinality::many_to_one) {
            mod += " group_left(" + join(n.matching->include) + ")";
          }
          if (n.matching && n.matching->card == Cardinality::one_to_many) {
            mod += " group_right(" + join(n.matching->include) + ")";
          }
          return "(" + to_debug_string(*n.lhs) + " " + std::string(token_spelling(n.op)) + mod +
                 " " + to_debug_string(*n.rhs) + ")";
        }
        if constexpr (std::is_same_v<T, AggregateExpr>) {
          std::string out(token_spelling(n.op));
          if (!n.grouping.empty() || n.without) {
            out += std::string(n.without ? " without (" : " by (") + join(n.grouping) + ")";
          }
          out += " (";
          if (n.param) out += to_debug_string(*n.param) + ", ";
          return out + to_debug_string(*n.expr) + ")";
        }
        if constexpr (std::is_same_v<T, Call>) {
          std::vector<std::string> args;
          for (const auto& a : n.args)
            args.push_back(to_debug_string(*a));
          return std::string(n.func->name) + "(" + join(args) + ")";
        }
        return "?";
      },
      expr.node);
}

}  // namespace e2e3d::promql
