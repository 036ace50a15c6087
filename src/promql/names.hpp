#pragma once
// The data model's label-name rule, for the parser (grouping labels) and the engine
// (count_values, label_replace targets): [a-zA-Z_][a-zA-Z0-9_]*.

#include <string_view>

namespace e2e3d::promql {

inline bool is_label_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace e2e3d::promql
