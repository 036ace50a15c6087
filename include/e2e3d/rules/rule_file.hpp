#pragma once
// Prometheus rule files (groups of alerting and recording rules), read the way Prometheus reads
// them: unknown keys, duplicate keys and misplaced fields are errors with file:line:column.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/catalog.hpp"
#include "e2e3d/error.hpp"

namespace e2e3d::rules {

enum class RuleKind { alerting, recording };

struct Rule {
  RuleKind kind = RuleKind::alerting;
  std::string name;  // the `alert:` or `record:` value
  std::string expr;
  std::string for_text;  // as written; empty when absent
  int64_t for_ms = 0;
  std::string keep_firing_for_text;
  int64_t keep_firing_for_ms = 0;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  Position position;       // of the rule's first key
  Position expr_position;  // of the expression's text
};

struct RuleGroup {
  std::string name;
  std::string interval_text;  // empty: the global evaluation interval
  int64_t limit = 0;
  std::vector<Rule> rules;
  Position position;
};

struct RuleFile {
  std::string source;  // the path, or a description such as "the metrics document"
  std::vector<RuleGroup> groups;
  size_t rule_count() const;
};

// Parses the text of a rule file. `source` prefixes error messages ("rules.yml:12:9: ...").
// Throws ParseError. Expressions are not parsed here: that needs the PromQL engine.
RuleFile parse_rule_file(std::string_view text, const std::string& source);

// Reads and parses a file; throws Error(io) when it cannot be read.
RuleFile load_rule_file(const std::string& path);

// The metrics document's alert rules, expressions rewritten with `names` (empty: as written).
RuleFile documented_rule_file(const std::vector<catalog::ResolvedName>& names = {});

// Label names of the Prometheus data model: [a-zA-Z_][a-zA-Z0-9_]*.
bool is_valid_label_name(std::string_view name);
// Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*.
bool is_valid_metric_name(std::string_view name);

}  // namespace e2e3d::rules
