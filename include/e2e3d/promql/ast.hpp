#pragma once
// The PromQL syntax tree, shaped like Prometheus's promql/parser/ast.go. Every node knows where
// it starts in the expression, so errors can name the position.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "e2e3d/promql/lexer.hpp"

namespace re2 {
class RE2;
}

namespace e2e3d::promql {

enum class ValueType : uint8_t { none, vector, scalar, matrix, string };
// "instant vector", "range vector", "scalar", "string", as Prometheus's messages say.
std::string_view documented_type(ValueType type);

struct LabelMatcher {
  enum class Type : uint8_t { equal, not_equal, regex, not_regex };
  Type type = Type::equal;
  std::string name;
  std::string value;
  std::shared_ptr<const re2::RE2> regex;  // anchored; set for regex and not_regex

  bool matches(std::string_view text) const;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// The @ modifier: `@ 1700003600` (a time in milliseconds), or `@ start()` / `@ end()`, which
// stand for the query's start and end (for an instant query, its evaluation time).
struct AtModifier {
  enum class Kind : uint8_t { none, timestamp, start, end };
  Kind kind = Kind::none;
  int64_t ms = 0;  // for Kind::timestamp
};

struct NumberLiteral {
  double value = 0;
};
struct StringLiteral {
  std::string value;
};
struct VectorSelector {
  std::string name;                    // empty when only matchers name the metric
  std::vector<LabelMatcher> matchers;  // includes __name__="name" when name is set
  bool has_offset = false;
  bool has_at = false;
  int64_t offset_ms = 0;  // `offset 5m`: 300000; `offset -5m`: -300000
  AtModifier at;          // of the selector, or of the range selector around it
};
struct MatrixSelector {
  ExprPtr selector;  // a VectorSelector
  int64_t range_ms = 0;
};
struct SubqueryExpr {
  ExprPtr expr;
  int64_t range_ms = 0;
  int64_t step_ms = 0;  // 0: not given (the evaluation interval)
  bool has_offset = false;
  bool has_at = false;
  int64_t offset_ms = 0;
  AtModifier at;
};
struct ParenExpr {
  ExprPtr expr;
};
struct UnaryExpr {
  Tok op = Tok::sub;
  ExprPtr expr;
};

enum class Cardinality : uint8_t { one_to_one, many_to_one, one_to_many, many_to_many };
struct VectorMatching {
  Cardinality card = Cardinality::one_to_one;
  std::vector<std::string> matching_labels;  // on(...) / ignoring(...)
  bool on = false;
  std::vector<std::string> include;  // group_left(...) / group_right(...)
};
struct BinaryExpr {
  Tok op = Tok::add;
  ExprPtr lhs;
  ExprPtr rhs;
  bool return_bool = false;
  std::optional<VectorMatching> matching;  // only between two instant vectors
};

struct AggregateExpr {
  Tok op = Tok::sum;
  ExprPtr expr;
  ExprPtr param;  // topk, bottomk, quantile, count_values
  std::vector<std::string> grouping;
  bool without = false;
};

struct Function;  // functions.hpp
struct Call {
  const Function* func = nullptr;
  std::vector<ExprPtr> args;
};

struct Expr {
  std::variant<NumberLiteral, StringLiteral, VectorSelector, MatrixSelector, SubqueryExpr,
               ParenExpr, UnaryExpr, BinaryExpr, AggregateExpr, Call>
      node;
  uint32_t pos = 0;    // byte offset where the expression starts
  uint32_t depth = 1;  // height of the tree below and including this node

  ValueType type() const;
};

// The function table (one place): names, argument types, result types.
struct Function {
  std::string_view name;
  std::vector<ValueType> arg_types;
  int variadic = 0;  // 0: exact; n>0: up to n optional trailing args; -1: unlimited
  ValueType return_type = ValueType::vector;
};
const Function* find_function(std::string_view name);

}  // namespace e2e3d::promql

namespace e2e3d::promql {
// A fully parenthesised rendering of the tree, for tests and debugging:
// "(a + (b * c))", "sum by (x) (foo)", "-(2 ^ 2)".
std::string to_debug_string(const Expr& expr);
}  // namespace e2e3d::promql
