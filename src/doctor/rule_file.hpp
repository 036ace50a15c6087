#pragma once
// The rules of a Prometheus rule file (`groups: - name: ... rules: - alert|record, expr`).

#include <string>
#include <vector>

namespace e2e3d::doctor {

struct RuleEntry {
  std::string group;
  std::string name;  // the alert's or the recorded series' name
  bool alert = true;
  std::string expr;
  std::string for_duration;  // "" when absent
  int line = 0;              // 1-based line of the rule in the file
};

// Throws e2e3d::Error (config) with file:line:column for a file that cannot be read, is not
// YAML, or is not in the rule-file format.
std::vector<RuleEntry> read_rule_file(const std::string& path);

}  // namespace e2e3d::doctor
