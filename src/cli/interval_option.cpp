#include "cli/interval_option.hpp"

#include <cstdlib>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "e2e3d/rules/duration.hpp"

namespace e2e3d::cli {

int64_t parse_interval_ms(std::string_view text, std::string_view option) {
  if (auto ms = rules::parse_duration(text); ms && *ms > 0) return *ms;
  std::string s(text);
  char* end = nullptr;
  double seconds = std::strtod(s.c_str(), &end);
  if (!s.empty() && end == s.c_str() + s.size() && seconds >= 0.001 && seconds < 1e9) {
    return static_cast<int64_t>(seconds * 1000 + 0.5);
  }
  throw CLI::ValidationError(std::string(option),
                             fmt::format("'{}' is not a duration: write it like 5s, 1m30s, "
                                         "500ms, or a number of seconds",
                                         text));
}

}  // namespace e2e3d::cli
