#include "e2e3d/promql/regex.hpp"

#include <fmt/format.h>
#include <re2/re2.h>

namespace e2e3d::promql {
namespace {
// Go's regexp/syntax error codes for RE2's (the two libraries share their parser's design).
std::string_view go_error_code(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape:
      return "invalid escape sequence";
    case RE2::ErrorBadCharClass:
      return "invalid character class";
    case RE2::ErrorBadCharRange:
      return "invalid character class range";
    case RE2::ErrorMissingBracket:
      return "missing closing ]";
    case RE2::ErrorMissingParen:
      return "missing closing )";
    case RE2::ErrorTrailingBackslash:
      return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument:
      return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize:
      return "invalid repeat count";
    case RE2::ErrorRepeatOp:
      return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp:
      return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8:
      return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture:
      return "invalid named capture";
    case RE2::ErrorPatternTooLarge:
      return "expression too large";
    default:
      return "unexpected )";
  }
}
}  // namespace

std::shared_ptr<const re2::RE2> compile_anchored(std::string_view pattern, std::string& error) {
  RE2::Options options;
  options.set_log_errors(false);
  options.set_dot_nl(false);
  std::string anchored = fmt::format("^(?:{})$", pattern);
  auto re = std::make_shared<const RE2>(anchored, options);
  if (!re->ok()) {
    error = fmt::format("error parsing regexp: {}: `{}`", go_error_code(re->error_code()),
                        re->error_arg());
    return nullptr;
  }
  return re;
}

}  // namespace e2e3d::promql
