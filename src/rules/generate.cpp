// Files for Prometheus, written with yaml-cpp's emitter so quoting is always right (the alert
// annotations hold '%', ':' and template braces).
#include "e2e3d/rules/generate.hpp"

#include <charconv>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/duration.hpp"
#include "rules/alert_scenarios.hpp"

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

void emit_series(YAML::Emitter& out,
                 const std::vector<std::pair<std::string_view, std::string_view>>& series,
                 const std::vector<catalog::ResolvedName>& names) {
  out << YAML::Key << "input_series" << YAML::Value << YAML::BeginSeq;
  for (const auto& [metric, values] : series) {
    out << YAML::BeginMap << YAML::Key << "series" << YAML::Value << resolved(metric, names)
        << YAML::Key << "values" << YAML::Value << std::string(values) << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void emit_no_alerts(YAML::Emitter& out, std::string_view alert, int64_t at_ms) {
  out << YAML::BeginMap << YAML::Key << "eval_time" << YAML::Value << format_duration(at_ms)
      << YAML::Key << "alertname" << YAML::Value << std::string(alert) << YAML::Key << "exp_alerts"
      << YAML::Value << YAML::Flow << YAML::BeginSeq << YAML::EndSeq << YAML::EndMap;
}

void emit_string_map(YAML::Emitter& out, const char* key,
                     const std::map<std::string, std::string>& map) {
  out << YAML::Key << key << YAML::Value << YAML::BeginMap;
  for (const auto& [k, v] : map)
    out << YAML::Key << k << YAML::Value << v;
  out << YAML::EndMap;
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

std::string rules_yaml(const std::vector<catalog::ResolvedName>& names, const std::string& origin) {
  YAML::Emitter out;
  out << YAML::Comment("The E2E3D metrics document's alert rules (e2e3d-metrics generate rules).")
      << YAML::Newline << YAML::Comment("Metric names: " + origin) << YAML::Newline
      << YAML::Comment("Check them with: promtool check rules FILE") << YAML::Newline;
  out << YAML::BeginMap << YAML::Key << "groups" << YAML::Value << YAML::BeginSeq << YAML::BeginMap
      << YAML::Key << "name" << YAML::Value << std::string(catalog::kAlertGroup) << YAML::Key
      << "rules" << YAML::Value << YAML::BeginSeq;
  for (const auto& alert : catalog::alerts()) {
    out << YAML::BeginMap << YAML::Key << "alert" << YAML::Value << std::string(alert.name)
        << YAML::Key << "expr" << YAML::Value << catalog::rewrite_expression(alert.expr, names)
        << YAML::Key << "for" << YAML::Value << std::string(alert.for_duration);
    emit_string_map(out, "labels", alert.labels);
    emit_string_map(out, "annotations", alert.annotations);
    out << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string rule_tests_yaml(const std::vector<catalog::ResolvedName>& names,
                            const std::string& rules_path) {
  YAML::Emitter out;
  out << YAML::Comment(
             "Unit tests for the E2E3D alert rules (e2e3d-metrics generate rules --tests).")
      << YAML::Newline << YAML::Comment("Run them with: promtool test rules FILE") << YAML::Newline;
  out << YAML::BeginMap << YAML::Key << "rule_files" << YAML::Value << YAML::BeginSeq << rules_path
      << YAML::EndSeq << YAML::Key << "evaluation_interval" << YAML::Value << "1m" << YAML::Key
      << "tests" << YAML::Value << YAML::BeginSeq;
  for (const auto& scenario : alert_scenarios()) {
    const auto& alert = documented_alert(scenario.alert);
    const int64_t for_ms = parse_duration(alert.for_duration).value_or(0);
    const int64_t fires_at = scenario.breach_starts_ms + for_ms;
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value
        << fmt::format("{} fires once {} have passed", alert.name, alert.for_duration) << YAML::Key
        << "interval" << YAML::Value << "1m";
    emit_series(out, scenario.breaching, names);
    out << YAML::Key << "alert_rule_test" << YAML::Value << YAML::BeginSeq;
    // One evaluation earlier the alert is still pending: `for` has not elapsed.
    if (fires_at - kMinuteMs >= 0) emit_no_alerts(out, alert.name, fires_at - kMinuteMs);
    out << YAML::BeginMap << YAML::Key << "eval_time" << YAML::Value << format_duration(fires_at)
        << YAML::Key << "alertname" << YAML::Value << std::string(alert.name) << YAML::Key
        << "exp_alerts" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
    emit_string_map(out, "exp_labels", alert.labels);
    emit_string_map(out, "exp_annotations", alert.annotations);
    out << YAML::EndMap << YAML::EndSeq << YAML::EndMap << YAML::EndSeq << YAML::EndMap;

    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value
        << fmt::format("{} stays quiet on healthy series", alert.name) << YAML::Key << "interval"
        << YAML::Value << "1m";
    emit_series(out, scenario.healthy, names);
    out << YAML::Key << "alert_rule_test" << YAML::Value << YAML::BeginSeq;
    emit_no_alerts(out, alert.name, fires_at + kMinuteMs);
    out << YAML::EndSeq << YAML::EndMap;
  }
  out << YAML::EndSeq << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace e2e3d::rules
