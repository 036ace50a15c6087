#include "e2e3d/rules/alerts_render.hpp"

#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "e2e3d/error.hpp"
#include "e2e3d/promql/engine.hpp"
#include "e2e3d/rules/duration.hpp"
#include "rules/go_format.hpp"

namespace e2e3d::rules {
namespace {

std::string labels_text(const std::map<std::string, std::string>& labels) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : labels) {
    if (k == "alertname") continue;
    out += fmt::format("{}{}=\"{}\"", first ? "" : ", ", one_line(k), one_line(v));
    first = false;
  }
  return out + "}";
}

void alerts_block(std::string& out, const std::vector<Alert>& alerts, const char* indent) {
  for (const auto& a : alerts) {
    out += fmt::format("{}{} {} = {}\n", indent, alert_state_name(a.state), labels_text(a.labels),
                       promql::format_value(a.value));
    for (const auto& [k, v] : a.annotations)
      out += fmt::format("{}  {}: {}\n", indent, one_line(k), one_line(v));
  }
}

// A rule on lifetime totals: what it compares, and the rule over a window.
void lifetime_block(std::string& out, const RuleResult& r) {
  if (!r.lifetime) return;
  std::string counters;
  for (const auto& c : r.lifetime->counters)
    counters += (counters.empty() ? "" : ", ") + c;
  out += fmt::format(
      "            lifetime totals: compares {} since the process started (one bad hour after a "
      "month hardly moves them, a bad start keeps them high for days)\n",
      counters);
  out += fmt::format("            over {} instead: {}\n", format_duration(r.lifetime->window_ms),
                     r.lifetime->windowed_expr);
}

nlohmann::json alert_json(const Alert& a, int64_t time_ms) {
  return {{"labels", a.labels},
          {"annotations", a.annotations},
          {"state", alert_state_name(a.state)},
          {"activeAt", rfc3339(time_ms)},
          // Prometheus writes the value with strconv.FormatFloat(v, 'e', -1, 64).
          {"value", go_format_float(a.value, 'e', -1)}};
}

}  // namespace

std::string rfc3339(int64_t time_ms) {
  std::time_t seconds = static_cast<std::time_t>(time_ms / 1000);
  int ms = static_cast<int>(time_ms % 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (ms != 0) {
    std::string f = fmt::format("{:03}", ms);
    while (f.back() == '0')
      f.pop_back();
    out += "." + f;
  }
  return out + "Z";
}

int alerts_exit_code(const RulesReport& report) {
  if (report.errors() > 0) return 3;
  if (report.count(AlertState::pending) + report.count(AlertState::firing) > 0) return 2;
  return 0;
}

std::string alerts_text(const RulesReport& report, const std::string& rules_source,
                        const std::string& target) {
  std::string out = fmt::format("Rules from {}, evaluated on {}\n", rules_source, target);
  for (const auto& r : report.rules) {
    const Rule& rule = r.rule;
    // A rule file's text reaches the terminal: control characters (and line breaks of a
    // multi-line expr) are escaped, one rule line stays one line.
    const std::string name = one_line(rule.name);
    const std::string expr = one_line(rule.expr);
    if (rule.kind == RuleKind::recording) {
      if (r.error) {
        out += fmt::format("  ERROR     record {}: {}\n", name, *r.error);
      } else {
        out += fmt::format("  recorded  {}: {} series{}\n", name, r.recorded_series,
                           r.never_fires ? " (the target lacks what it needs)" : "");
      }
      continue;
    }
    std::string for_text =
        rule.for_ms > 0 ? fmt::format(" (for {})", format_duration(rule.for_ms)) : std::string();
    if (r.error) {
      out += fmt::format("  ERROR     {}: {}\n            expr: {}\n", name, *r.error, expr);
      continue;
    }
    if (r.never_fires) {
      out += fmt::format("  NEVER     {}{}: can never fire on this target\n", name, for_text);
      out += fmt::format("            expr: {}\n", expr);
      std::string missing;
      for (const auto& n : r.missing_names)
        missing += (missing.empty() ? "" : ", ") + one_line(n);
      out += fmt::format("            not exposed: {}\n", missing);
      if (r.rewritten_expr) {
        out += fmt::format("            with the exposed names: {}\n", one_line(*r.rewritten_expr));
        out += fmt::format("            which would be: {}\n",
                           alert_state_name(r.rewritten_state.value_or(AlertState::inactive)));
        alerts_block(out, r.rewritten_alerts, "              ");
      }
      lifetime_block(out, r);
      continue;
    }
    const char* word = r.state == AlertState::firing    ? "FIRING   "
                       : r.state == AlertState::pending ? "PENDING  "
                                                        : "inactive ";
    out += fmt::format("  {} {}{}\n            expr: {}\n", word, name, for_text, expr);
    alerts_block(out, r.alerts, "            ");
    lifetime_block(out, r);
  }
  size_t pending = report.count(AlertState::pending), firing = report.count(AlertState::firing);
  size_t never = report.never_firing(), errors = report.errors();
  std::string verdict;
  if (errors)
    verdict = fmt::format("{} rule(s) could not be evaluated", errors);
  else if (pending + firing)
    verdict = fmt::format(
        "{} alert rule(s) would fire ({} firing, {} pending: `for` not yet observed "
        "in a single scrape)",
        pending + firing, firing, pending);
  else
    verdict = "nothing would fire";
  if (never) verdict += fmt::format("; {} rule(s) can never fire on this target", never);
  if (size_t totals = report.lifetime_comparisons())
    verdict += fmt::format("; {} rule(s) compare lifetime totals where a rate was meant", totals);
  out += "Verdict: " + verdict + "\n";
  return out;
}

std::string alerts_json(const RulesReport& report) {
  nlohmann::json alerts = nlohmann::json::array();
  nlohmann::json groups = nlohmann::json::array();
  std::string current_group;
  for (const auto& r : report.rules) {
    if (groups.empty() || current_group != r.group) {
      groups.push_back({{"name", r.group}, {"rules", nlohmann::json::array()}});
      current_group = r.group;
    }
    nlohmann::json rule = {{"name", r.rule.name},
                           {"query", r.rule.expr},
                           {"labels", r.rule.labels},
                           {"health", r.error ? "err" : "ok"},
                           {"lastError", r.error.value_or("")}};
    if (r.rule.kind == RuleKind::alerting) {
      nlohmann::json rule_alerts = nlohmann::json::array();
      for (const auto& a : r.alerts) {
        alerts.push_back(alert_json(a, report.time_ms));
        rule_alerts.push_back(alert_json(a, report.time_ms));
      }
      rule["type"] = "alerting";
      rule["state"] = alert_state_name(r.state);
      rule["duration"] = r.rule.for_ms / 1000.0;
      rule["annotations"] = r.rule.annotations;
      rule["alerts"] = rule_alerts;
    } else {
      rule["type"] = "recording";
      rule["recordedSeries"] = r.recorded_series;
    }
    rule["neverFires"] = r.never_fires;
    rule["missingSeries"] = r.missing_names;
    if (r.rewritten_expr) {
      nlohmann::json rewritten_alerts = nlohmann::json::array();
      for (const auto& a : r.rewritten_alerts)
        rewritten_alerts.push_back(alert_json(a, report.time_ms));
      rule["rewritten"] = {
          {"query", *r.rewritten_expr},
          {"state", alert_state_name(r.rewritten_state.value_or(AlertState::inactive))},
          {"alerts", rewritten_alerts}};
    }
    if (r.lifetime) {
      rule["lifetimeTotals"] = {{"counters", r.lifetime->counters},
                                {"window", format_duration(r.lifetime->window_ms)},
                                {"windowedQuery", r.lifetime->windowed_expr}};
    }
    groups.back()["rules"].push_back(std::move(rule));
  }
  nlohmann::json out = {{"status", "success"},
                        {"data", {{"alerts", alerts}, {"groups", groups}}},
                        {"exit_code", alerts_exit_code(report)}};
  return out.dump(2);
}

}  // namespace e2e3d::rules
