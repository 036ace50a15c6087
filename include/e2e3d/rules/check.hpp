#pragma once
// `check`: CI assertions on one scrape. An expression holds when its result is non-empty
// (alerting semantics); threshold mode judges one value against Monitoring Plugins ranges.
// Renderers return text; the CLI prints it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "e2e3d/promql/engine.hpp"
#include "e2e3d/rules/threshold.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d::rules {

enum class CheckStatus { pass, fail, error };
std::string_view check_status_name(CheckStatus status);  // "pass", "fail", "error"

struct ExpressionCheck {
  std::string expr;
  CheckStatus status = CheckStatus::fail;
  promql::Vector result;           // what made it pass (a scalar result is one sample)
  std::string message;             // fail: why it is empty; error: the evaluation error
  std::vector<std::string> hints;  // e.g. the exposed name of a name the target lacks
  double seconds = 0;
};

struct CheckReport {
  std::string source;
  std::vector<ExpressionCheck> checks;
  std::optional<std::string> target_error;  // the (last) fetch failed: nothing was evaluated
  int attempts = 1;
  double seconds = 0;     // whole run, waiting included
  int exit_code() const;  // 0 all hold, 2 any fails, 3 fetch or evaluation error
};

// Parses every expression first; throws ParseError naming the expression's number and
// Prometheus's message, so a typo fails at once instead of after --wait-for.
void validate_expressions(const std::vector<std::string>& exprs);

std::vector<ExpressionCheck> check_expressions(const Scrape& scrape,
                                               const std::vector<std::string>& exprs,
                                               int64_t time_ms);

std::string check_text(const CheckReport& report);
std::string check_json(const CheckReport& report);
// JUnit XML: one test case per expression (failure: empty result; error: could not evaluate).
std::string check_junit(const CheckReport& report);
// One Monitoring Plugins line: OK / CRITICAL with the failing expressions / UNKNOWN.
std::string check_plugin_line(const CheckReport& report);

struct ThresholdCheck {
  std::string expr;
  std::string label;
  std::optional<ThresholdRange> warning;
  std::optional<ThresholdRange> critical;
  std::vector<ThresholdValue> values;
  std::vector<PluginStatus> per_value;
  PluginStatus status = PluginStatus::unknown;
  std::string message;  // why the status is unknown, when it is
  int exit_code() const { return static_cast<int>(status); }
};

// Evaluates `expr` and judges each value it returns. A result with several series gives one
// value per series, labelled `<label>_<label values>`; an empty result is unknown.
ThresholdCheck check_threshold(const Scrape& scrape, const std::string& expr,
                               const std::string& label, std::optional<ThresholdRange> warning,
                               std::optional<ThresholdRange> critical, int64_t time_ms);
// The same check when the target could not be fetched or evaluated: unknown with the message.
ThresholdCheck threshold_unknown(const std::string& expr, const std::string& label,
                                 std::optional<ThresholdRange> warning,
                                 std::optional<ThresholdRange> critical, std::string message);

std::string threshold_line(const ThresholdCheck& check);  // the plugin output line
std::string threshold_json(const ThresholdCheck& check);

}  // namespace e2e3d::rules
