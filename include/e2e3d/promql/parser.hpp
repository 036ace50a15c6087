#pragma once
// PromQL parser with Prometheus 2.42's grammar, precedence and messages. Errors are
// e2e3d::ParseError with the 1-based line:column and Prometheus's text:
// "1:14: parse error: unexpected end of input".

#include <string_view>

#include "e2e3d/error.hpp"
#include "e2e3d/promql/ast.hpp"

namespace e2e3d::promql {

ExprPtr parse(std::string_view expression);

// Go's strconv-style unquoting of a PromQL string token ("...", '...', `...`).
std::string unquote(std::string_view token);

}  // namespace e2e3d::promql
