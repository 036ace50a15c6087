#pragma once
// Evaluating rule files on one scrape, as one Prometheus rule-group evaluation would: recording
// rules add their series (so later rules see them), alerting rules become inactive, pending
// (`for` not yet observed) or firing (`for` is 0), with labels and annotations expanded.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "e2e3d/rules/rule_file.hpp"
#include "e2e3d/rules/windowed.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d::rules {

enum class AlertState { inactive, pending, firing };
std::string_view alert_state_name(AlertState state);  // "inactive", "pending", "firing"

struct Alert {
  std::map<std::string, std::string> labels;  // with alertname
  std::map<std::string, std::string> annotations;
  double value = 0;
  AlertState state = AlertState::pending;
};

struct RuleResult {
  std::string group;
  Rule rule;
  AlertState state = AlertState::inactive;  // alerting rules: the most severe of `alerts`
  std::vector<Alert> alerts;
  size_t recorded_series = 0;        // recording rules
  std::optional<std::string> error;  // Prometheus's health "err": why the rule failed

  // Names the expression selects that the scrape does not expose (nor an earlier rule records).
  std::vector<std::string> missing_names;
  // Set when the result is empty because of missing names: the rule can never fire (or record)
  // on this target.
  bool never_fires = false;
  // The expression with each missing name replaced by the name the target exposes instead
  // (`x` <-> `x_total`), when there is one; and what the rule does with it.
  std::optional<std::string> rewritten_expr;
  std::optional<AlertState> rewritten_state;
  std::vector<Alert> rewritten_alerts;
  // The alert compares counters' lifetime totals where a rate was meant (judged on the
  // rewritten expression when there is one): which counters, and the rule over a window.
  std::optional<LifetimeComparison> lifetime;
};

struct RulesReport {
  std::vector<RuleResult> rules;
  int64_t time_ms = 0;

  size_t count(AlertState state) const;  // alerting rules in that state
  size_t never_firing() const;
  size_t errors() const;
  size_t lifetime_comparisons() const;
};

// Checks that every expression parses (ParseError with the rule file's line:column otherwise),
// then evaluates the groups in order. Recorded series are added to `scrape`.
RulesReport evaluate_rules(Scrape& scrape, const RuleFile& file, int64_t time_ms);

// Parses every rule's expression and template, as `promtool check rules` does; throws ParseError.
void validate_rules(const RuleFile& file);

}  // namespace e2e3d::rules
