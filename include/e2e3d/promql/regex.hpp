#pragma once
// Regular expressions as Prometheus uses them (PromQL matchers and functions, relabel rules):
// Go's RE2 syntax, fully anchored.

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace e2e3d::promql {

// Compiles "^(?:pattern)$". On failure returns null and sets `error` to Go's message:
// "error parsing regexp: missing closing ): `^(?:()$`".
std::shared_ptr<const re2::RE2> compile_anchored(std::string_view pattern, std::string& error);

}  // namespace e2e3d::promql
