// Files for Prometheus, written with yaml-cpp's emitter so quoting is always right (the alert
// annotations hold '%', ':' and template braces).
#include "e2e3d/rules/generate.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/duration.hpp"
#include "e2e3d/rules/template.hpp"
#include "e2e3d/rules/windowed.hpp"
#include "rules/rule_tests.hpp"

namespace e2e3d::rules {
namespace {

constexpr int64_t kMinuteMs = 60'000;

std::string default_target() {
  return fmt::format("{}:{}", catalog::kServiceName, catalog::kPort);
}

void check_target(const std::string& target) {
  auto fail = [&](std::string_view why) {
    throw Error(ErrorKind::config, fmt::format("--target '{}' {}; write HOST:PORT, e.g. {}", target,
                                               why, default_target()));
  };
  if (target.find("://") != std::string::npos) fail("has a scheme (Prometheus adds http://)");
  if (target.find('/') != std::string::npos) fail("has a path (that is --metrics-path)");
  size_t colon = target.rfind(':');
  if (colon == std::string::npos || colon == 0) fail("has no port");
  std::string_view port = std::string_view(target).substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
    fail("has no valid port (1 to 65535)");
  }
}

std::string resolved(std::string_view documented, const std::vector<catalog::ResolvedName>& names) {
  for (const auto& n : names) {
    if (n.documented == documented && n.exposed) return *n.exposed;
  }
  return std::string(documented);
}

const catalog::DocumentedAlert& documented_alert(std::string_view name) {
  for (const auto& a : catalog::alerts()) {
    if (a.name == name) return a;
  }
  throw std::logic_error("no documented alert " + std::string(name));
}

void emit_series(YAML::Emitter& out, const std::vector<RuleTestSeries>& series,
                 const std::vector<catalog::ResolvedName>& names) {
  out << YAML::Key << "input_series" << YAML::Value << YAML::BeginSeq;
  for (const auto& [metric, values] : series) {
    out << YAML::BeginMap << YAML::Key << "series" << YAML::Value << resolved(metric, names)
        << YAML::Key << "values" << YAML::Value << values << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void emit_string_map(YAML::Emitter& out, const char* key,
                     const std::map<std::string, std::string>& map) {
  out << YAML::Key << key << YAML::Value << YAML::BeginMap;
  for (const auto& [k, v] : map)
    out << YAML::Key << k << YAML::Value << v;
  out << YAML::EndMap;
}

// What the alert is when it fires: its labels and annotations expanded as Prometheus expands
// them for a series without labels (every scenario's result) and the scenario's value.
void emit_firing(YAML::Emitter& out, const catalog::DocumentedAlert& alert, double value,
                 int64_t window_ms) {
  TemplateData data;
  data.value = value;
  const std::string name = "__alert_" + std::string(alert.name);
  std::map<std::string, std::string> labels, annotations;
  for (const auto& [k, v] : alert.labels)
    labels[k] = expand_alert_template(v, data, name);
  for (const auto& [k, v] : alert.annotations)
    annotations[k] = expand_alert_template(v, data, name);
  if (window_ms) {
    if (const auto* windowed = catalog::find_windowed_alert(alert.name)) {
      annotations["description"] = expand_alert_template(
          catalog::with_window(windowed->description, format_duration(window_ms)), data, name);
    }
  }
  out << YAML::BeginMap;
  emit_string_map(out, "exp_labels", labels);
  emit_string_map(out, "exp_annotations", annotations);
  out << YAML::EndMap;
}

void emit_test_group(YAML::Emitter& out, const RuleTestGroup& group,
                     const std::vector<catalog::ResolvedName>& names, int64_t window_ms) {
  const auto& alert = documented_alert(group.alert);
  out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << group.name << YAML::Key
      << "interval" << YAML::Value << format_duration(group.interval_ms);
  emit_series(out, group.series, names);
  out << YAML::Key << "alert_rule_test" << YAML::Value << YAML::BeginSeq;
  for (const auto& check : group.checks) {
    out << YAML::BeginMap << YAML::Key << "eval_time" << YAML::Value << format_duration(check.at_ms)
        << YAML::Key << "alertname" << YAML::Value << std::string(group.alert) << YAML::Key
        << "exp_alerts" << YAML::Value;
    if (check.firing) {
      out << YAML::BeginSeq;
      emit_firing(out, alert, check.value, window_ms);
      out << YAML::EndSeq;
    } else {
      out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
}

}  // namespace

std::string prometheus_config_yaml(const ScrapeConfigOptions& options) {
  std::string target = options.target.empty() ? default_target() : options.target;
  check_target(target);
  if (!parse_duration(options.interval)) {
    throw Error(ErrorKind::config,
                fmt::format("--interval '{}' is not a Prometheus duration; write it like 15s or 1m",
                            options.interval));
  }
  if (options.job.empty()) {
    throw Error(ErrorKind::config, "--job must not be empty; the document's job is e2e3d");
  }
  if (options.metrics_path.empty() || options.metrics_path.front() != '/') {
    throw Error(ErrorKind::config,
                fmt::format("--metrics-path '{}' must start with '/'; the service serves {}",
                            options.metrics_path, catalog::kMetricsPath));
  }
  YAML::Emitter out;
  out << YAML::Comment(
             "Prometheus scrape job for the E2E3D reconstruction service (e2e3d-metrics generate "
             "prometheus-config).")
      << YAML::Newline << YAML::Comment("Check it with: promtool check config prometheus.yml")
      << YAML::Newline;
  out << YAML::BeginMap;
  if (!options.rule_files.empty()) {
    out << YAML::Key << "rule_files" << YAML::Value << YAML::BeginSeq;
    for (const auto& f : options.rule_files)
      out << f;
    out << YAML::EndSeq;
  }
  out << YAML::Key << "scrape_configs" << YAML::Value << YAML::BeginSeq << YAML::BeginMap
      << YAML::Key << "job_name" << YAML::Value << options.job << YAML::Key << "scrape_interval"
      << YAML::Value << options.interval << YAML::Key << "metrics_path" << YAML::Value
      << options.metrics_path << YAML::Key << "static_configs" << YAML::Value << YAML::BeginSeq
      << YAML::BeginMap << YAML::Key << "targets" << YAML::Value << YAML::BeginSeq << target
      << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap << YAML::EndSeq;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::vector<catalog::ResolvedName> documented_names() {
  std::vector<catalog::ResolvedName> out;
  for (const auto& m : catalog::metrics())
    out.push_back({m.name, std::string(m.name)});
  return out;
}

std::vector<catalog::ResolvedName> python_client_names() {
  // prometheus_client appends `_total` to a counter's name unless it already ends with it.
  std::vector<catalog::ResolvedName> out;
  for (const auto& m : catalog::metrics()) {
    std::string name(m.name);
    bool has_total = name.size() >= 6 && name.compare(name.size() - 6, 6, "_total") == 0;
    if (m.type == MetricType::counter && !has_total) name += "_total";
    out.push_back({m.name, name});
  }
  return out;
}

std::string rules_yaml(const std::vector<catalog::ResolvedName>& names, const std::string& origin,
                       int64_t window_ms) {
  if (window_ms) check_rate_window(window_ms);
  YAML::Emitter out;
  out << YAML::Comment("The E2E3D metrics document's alert rules (e2e3d-metrics generate rules).")
      << YAML::Newline << YAML::Comment("Metric names: " + origin) << YAML::Newline;
  if (window_ms) {
    out << YAML::Comment(fmt::format(
               "Over the last {}, not since the process started: rates instead of lifetime totals "
               "(--window).",
               format_duration(window_ms)))
        << YAML::Newline;
  }
  out << YAML::Comment("Check them with: promtool check rules FILE") << YAML::Newline;
  out << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq << YAML::BeginMap
      << YAML::Key << "name" << YAML::Value << std::string(catalog::kAlertGroup) << YAML::Key
      << "rules" << YAML::Value << YAML::BeginSeq;
  for (const auto& alert : catalog::alerts()) {
    std::string expr = catalog::rewrite_expression(alert.expr, names);
    std::map<std::string, std::string> annotations = alert.annotations;
    if (window_ms) {
      if (auto windowed = windowed_alert_expression(alert.name, names, window_ms)) {
        expr = *windowed;
        annotations["description"] = catalog::with_window(
            catalog::find_windowed_alert(alert.name)->description, format_duration(window_ms));
      }
    }
    out << YAML::BeginMap << YAML::Key << "alert" << YAML::Value << std::string(alert.name)
        << YAML::Key << "expr" << YAML::Value << expr << YAML::Key << "for" << YAML::Value
        << std::string(alert.for_duration);
    emit_string_map(out, "labels", alert.labels);
    emit_string_map(out, "annotations", annotations);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string rule_tests_yaml(const std::vector<catalog::ResolvedName>& names,
                            const std::string& rules_path, int64_t window_ms) {
  if (window_ms) check_rate_window(window_ms);
  // The tests of each alert as the rule file has it: windowed where it was rewritten.
  std::vector<RuleTestGroup> groups;
  for (auto& group : documented_alert_tests()) {
    if (window_ms && catalog::find_windowed_alert(group.alert)) continue;
    groups.push_back(std::move(group));
  }
  for (const auto& alert : catalog::alerts()) {
    if (!window_ms || !catalog::find_windowed_alert(alert.name)) continue;
    // One scenario today; a second windowed alert needs its own.
    if (alert.name != "HighFailureRate")
      throw std::logic_error("no windowed test scenario for " + std::string(alert.name));
    for (auto& group :
         windowed_failure_rate_tests(window_ms, parse_duration(alert.for_duration).value_or(0)))
      groups.push_back(std::move(group));
  }
  int64_t evaluation_interval = kMinuteMs;
  for (const auto& g : groups)
    evaluation_interval = std::min(evaluation_interval, g.interval_ms);

  YAML::Emitter out;
  out << YAML::Comment(
             "Unit tests for the E2E3D alert rules (e2e3d-metrics generate rules --tests).")
      << YAML::Newline << YAML::Comment("Run them with: promtool test rules FILE") << YAML::Newline;
  out << YAML::BeginMap << YAML::Key << "rule_files" << YAML::Value << YAML::BeginSeq << rules_path
      << YAML::EndSeq << YAML::Key << "evaluation_interval" << YAML::Value
      << format_duration(evaluation_interval) << YAML::Key << "tests" << YAML::Value
      << YAML::BeginSeq;
  for (const auto& group : groups)
    emit_test_group(out, group, names, window_ms);
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace e2e3d::rules
