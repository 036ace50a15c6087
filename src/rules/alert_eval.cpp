// One evaluation of a rule file, following Prometheus 2.42's rules/alerting.go and recording.go:
// a scalar result counts as one sample without labels, a string result is an error, rule labels
// override series labels, duplicate label sets after that are an error.
#include "e2e3d/rules/alert_eval.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "e2e3d/catalog.hpp"
#include "e2e3d/promql/engine.hpp"
#include "e2e3d/rules/template.hpp"

namespace e2e3d::rules {
namespace {

constexpr std::string_view kMetricName = "__name__";

// The rule's result as Prometheus's rule query function returns it.
promql::Vector as_vector(const promql::Value& value) {
  if (const auto* v = std::get_if<promql::Vector>(&value)) return *v;
  if (const auto* s = std::get_if<promql::Scalar>(&value)) return {promql::Sample{{}, s->value}};
  throw Error(ErrorKind::eval, "rule result is not a vector or scalar");
}

std::map<std::string, std::string> to_map(const promql::Labels& labels) {
  return {labels.begin(), labels.end()};
}

std::string template_name(const Rule& rule) {
  return "__alert_" + rule.name;
}

std::vector<Alert> alerts_for(const Rule& rule, const promql::Vector& vector,
                              TemplateBudget& budget) {
  std::vector<Alert> alerts;
  std::set<std::map<std::string, std::string>> seen;
  for (const auto& sample : vector) {
    TemplateData data;
    data.labels = to_map(sample.metric);
    data.value = sample.value;
    Alert alert;
    alert.labels = data.labels;
    alert.labels.erase(std::string(kMetricName));
    for (const auto& [name, text] : rule.labels) {
      std::string value = expand_alert_template(text, data, template_name(rule), &budget);
      if (value.empty()) {
        alert.labels.erase(name);  // an empty label is no label
      } else {
        alert.labels[name] = value;
      }
    }
    alert.labels["alertname"] = rule.name;
    for (const auto& [name, text] : rule.annotations)
      alert.annotations[name] = expand_alert_template(text, data, template_name(rule), &budget);
    alert.value = sample.value;
    alert.state = rule.for_ms > 0 ? AlertState::pending : AlertState::firing;
    if (!seen.insert(alert.labels).second) {
      throw Error(ErrorKind::eval,
                  "vector contains metrics with the same labelset after applying alert labels");
    }
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

AlertState state_of(const std::vector<Alert>& alerts) {
  AlertState state = AlertState::inactive;
  for (const auto& a : alerts) {
    if (a.state == AlertState::firing) return AlertState::firing;
    state = AlertState::pending;
  }
  return state;
}

void record(Scrape& scrape, const Rule& rule, const promql::Vector& vector, RuleResult& result) {
  auto& builder = scrape.builder();
  std::optional<uint32_t> family = scrape.find_family(rule.name);
  if (!family) family = builder.add_family(rule.name, MetricType::unknown);
  const Symbol name = builder.intern(rule.name);
  std::set<promql::Labels> seen;
  for (const auto& sample : vector) {
    std::map<std::string, std::string> labels = to_map(sample.metric);
    labels.erase(std::string(kMetricName));
    for (const auto& [k, v] : rule.labels) {
      if (v.empty()) {
        labels.erase(k);
      } else {
        labels[k] = v;
      }
    }
    promql::Labels sorted(labels.begin(), labels.end());
    if (!seen.insert(sorted).second) {
      throw Error(ErrorKind::eval,
                  "vector contains metrics with the same labelset after applying rule labels");
    }
    std::vector<LabelRef> refs;
    for (const auto& [k, v] : labels)
      refs.push_back({builder.intern(k), builder.intern(v)});
    if (!builder.add_series(*family, name, refs, sample.value)) {
      throw Error(ErrorKind::eval,
                  fmt::format("the recorded series {} is already in the scrape; record under a "
                              "name the target does not expose",
                              promql::format_series(sorted)));
    }
    ++result.recorded_series;
  }
  builder.finish();
}

// Names the expression selects that have no series; for each, the name the target exposes
// instead, if any.
void find_missing(const Scrape& scrape, RuleResult& result,
                  std::vector<std::pair<std::string, std::string>>& renames) {
  for (const auto& name : promql::selector_names(result.rule.expr)) {
    if (!scrape.series_named(name).empty()) continue;
    result.missing_names.push_back(name);
    for (const auto& candidate : catalog::candidate_names(name)) {
      if (candidate != name && !scrape.series_named(candidate).empty()) {
        renames.emplace_back(name, candidate);
        break;
      }
    }
  }
}

[[noreturn]] void rethrow_at(const RuleFile& file, const RuleGroup& group, size_t index,
                             const Rule& rule, const ParseError& e, std::string_view what) {
  // The expression's own position (1:7) is relative to the `expr:` value.
  Position where = rule.expr_position;
  if (where.line && e.position().line == 1) where.column += e.position().column - 1;
  std::string place = file.source;
  if (where.line) place += fmt::format(":{}:{}", where.line, where.column);
  throw ParseError(where, fmt::format("{}: group \"{}\", rule {}, \"{}\": {}: {}; fix the rule "
                                      "(promtool check rules shows the same)",
                                      place, group.name, index, rule.name, what, e.what()));
}

}  // namespace

std::string_view alert_state_name(AlertState state) {
  switch (state) {
    case AlertState::inactive:
      return "inactive";
    case AlertState::pending:
      return "pending";
    case AlertState::firing:
      return "firing";
  }
  return "inactive";
}

size_t RulesReport::count(AlertState state) const {
  return std::count_if(rules.begin(), rules.end(), [&](const RuleResult& r) {
    return r.rule.kind == RuleKind::alerting && !r.error && r.state == state;
  });
}

size_t RulesReport::never_firing() const {
  return std::count_if(rules.begin(), rules.end(),
                       [](const RuleResult& r) { return r.never_fires; });
}

size_t RulesReport::lifetime_comparisons() const {
  return std::count_if(rules.begin(), rules.end(),
                       [](const RuleResult& r) { return r.lifetime.has_value(); });
}

size_t RulesReport::errors() const {
  return std::count_if(rules.begin(), rules.end(),
                       [](const RuleResult& r) { return r.error.has_value(); });
}

void validate_rules(const RuleFile& file) {
  TemplateData sample;
  for (const auto& group : file.groups) {
    size_t index = 0;
    for (const auto& rule : group.rules) {
      ++index;
      try {
        promql::selector_names(rule.expr);  // parses
      } catch (const ParseError& e) {
        rethrow_at(file, group, index, rule, e, "could not parse expression");
      }
      for (const auto& [name, text] : rule.annotations) {
        try {
          expand_template(text, sample, template_name(rule));
        } catch (const Error& e) {
          // Only syntax problems matter here; a value-dependent failure shows at evaluation.
          std::string_view message = e.what();
          if (message.find("error calling") != std::string_view::npos) continue;
          // Nor does a limit (the output or work of an expansion): Prometheus loads such a
          // rule, and its alerts say "<error expanding template: ...>".
          if (message.find(", the limit of") != std::string_view::npos) continue;
          ParseError as_parse({}, e.what());
          rethrow_at(file, group, index, rule, as_parse,
                     fmt::format("annotation \"{}\" has a template the tool cannot expand", name));
        }
      }
    }
  }
}

RulesReport evaluate_rules(Scrape& scrape, const RuleFile& file, int64_t time_ms) {
  validate_rules(file);
  RulesReport report;
  report.time_ms = time_ms;
  promql::EvalOptions options;
  options.time_ms = time_ms;
  TemplateBudget templates;  // every alert of the run expands its templates from this
  for (const auto& group : file.groups) {
    for (const auto& rule : group.rules) {
      RuleResult result;
      result.group = group.name;
      result.rule = rule;
      std::vector<std::pair<std::string, std::string>> renames;
      try {
        find_missing(scrape, result, renames);
        promql::Vector vector = as_vector(promql::evaluate(scrape, rule.expr, options));
        if (rule.kind == RuleKind::recording) {
          record(scrape, rule, vector, result);
        } else {
          result.alerts = alerts_for(rule, vector, templates);
          result.state = state_of(result.alerts);
        }
        result.never_fires = vector.empty() && !result.missing_names.empty();
        if (result.never_fires && !renames.empty() && rule.kind == RuleKind::alerting) {
          std::vector<catalog::ResolvedName> names;
          for (const auto& [from, to] : renames)
            names.push_back({from, to});
          result.rewritten_expr = catalog::rewrite_expression(rule.expr, names);
          auto rewritten = as_vector(promql::evaluate(scrape, *result.rewritten_expr, options));
          result.rewritten_alerts = alerts_for(rule, rewritten, templates);
          result.rewritten_state = state_of(result.rewritten_alerts);
        }
        result.lifetime =
            find_lifetime_comparison(rule, result.rewritten_expr.value_or(rule.expr), &scrape);
      } catch (const ParseError& e) {
        result.error = e.what();
      } catch (const Error& e) {
        result.error = e.what();
      }
      report.rules.push_back(std::move(result));
    }
  }
  return report;
}

}  // namespace e2e3d::rules
