// Grafana's dashboard model (schemaVersion 36, Grafana 9.0; Grafana 10 migrates it on import),
// written in the shape Grafana's own "Export for sharing externally" writes: `__inputs` and
// `__requires` first, `id` null, the data source as `${DS_PROMETHEUS}`.
#include "e2e3d/dashboard/grafana.hpp"

#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/duration.hpp"
#include "e2e3d/rules/windowed.hpp"

namespace e2e3d::dashboard {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kSchemaVersion = 36;
constexpr std::string_view kInput = "DS_PROMETHEUS";
constexpr int kPanelWidth = 12;  // two panels a row on Grafana's 24-column grid
constexpr int kPanelHeight = 8;
constexpr size_t kMaxUidLength = 40;  // Grafana refuses longer uids
constexpr int kMaxTop = 100;

Json datasource() {
  return {{"type", "prometheus"}, {"uid", fmt::format("${{{}}}", kInput)}};
}

std::string_view grafana_unit(catalog::PanelUnit unit) {
  switch (unit) {
    case catalog::PanelUnit::count:
      return "short";
    case catalog::PanelUnit::per_minute:
      return "short";
    case catalog::PanelUnit::ratio:
      return "percentunit";
    case catalog::PanelUnit::seconds:
      return "s";
    case catalog::PanelUnit::bytes:
      return "bytes";
    case catalog::PanelUnit::cpu:
      return "percentunit";
  }
  return "short";
}

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

// A catalog text with the window and top filled in.
std::string filled(std::string_view text, const GrafanaOptions& options) {
  return replace_all(catalog::with_window(text, rules::format_duration(options.window_ms)), "{top}",
                     std::to_string(options.top));
}

void check(const GrafanaOptions& options) {
  rules::check_rate_window(options.window_ms);
  if (options.top < 1 || options.top > kMaxTop) {
    throw Error(ErrorKind::config,
                fmt::format("--top {} is out of range; list 1 to {} jobs", options.top, kMaxTop));
  }
  bool valid = !options.uid.empty() && options.uid.size() <= kMaxUidLength;
  for (char c : options.uid)
    valid = valid && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  if (!valid) {
    throw Error(ErrorKind::config,
                fmt::format("--uid '{}' is not a Grafana uid; use 1 to {} letters, digits, '-' "
                            "and '_'",
                            options.uid, kMaxUidLength));
  }
  if (options.title.empty())
    throw Error(ErrorKind::config, "--title must not be empty; Grafana needs a title");
}

Json panel_json(const catalog::DashboardPanel& panel, int id, const GrafanaOptions& options) {
  bool instant = !panel.queries.empty() && panel.queries.front().instant;
  Json targets = Json::array();
  char ref = 'A';
  for (const auto& q : panel.queries) {
    targets.push_back(
        {{"datasource", datasource()},
         {"editorMode", "code"},
         {"expr", catalog::rewrite_expression(filled(q.expr, options), options.names)},
         {"instant", q.instant},
         {"legendFormat", q.legend},
         {"range", !q.instant},
         {"refId", std::string(1, ref++)}});
  }
  Json defaults = {{"unit", grafana_unit(panel.unit)}, {"min", 0}};
  if (panel.unit == catalog::PanelUnit::ratio) defaults["max"] = 1;
  Json options_json;
  std::string_view type;
  if (instant) {
    // A top-N list now: horizontal bars, the latest value of each job.
    type = "bargauge";
    options_json = {
        {"displayMode", "gradient"},
        {"orientation", "horizontal"},
        {"reduceOptions", {{"calcs", {"lastNotNull"}}, {"fields", ""}, {"values", false}}},
        {"showUnfilled", true}};
  } else {
    type = "timeseries";
    defaults["color"] = {{"mode", "palette-classic"}};
    options_json = {{"legend",
                     {{"calcs", Json::array()},
                      {"displayMode", "list"},
                      {"placement", "bottom"},
                      {"showLegend", true}}},
                    {"tooltip", {{"mode", "multi"}, {"sort", "none"}}}};
  }
  int index = id - 1;
  return {{"datasource", datasource()},
          {"description", filled(panel.description, options)},
          {"fieldConfig", {{"defaults", defaults}, {"overrides", Json::array()}}},
          {"gridPos",
           {{"h", kPanelHeight},
            {"w", kPanelWidth},
            {"x", (index % 2) * kPanelWidth},
            {"y", (index / 2) * kPanelHeight}}},
          {"id", id},
          {"options", options_json},
          {"targets", targets},
          {"title", filled(panel.title, options)},
          {"type", type}};
}

}  // namespace

std::vector<DashboardTarget> dashboard_targets(const GrafanaOptions& options) {
  check(options);
  std::vector<DashboardTarget> out;
  for (const auto& panel : catalog::dashboard_panels()) {
    for (const auto& q : panel.queries) {
      out.push_back({filled(panel.title, options),
                     catalog::rewrite_expression(filled(q.expr, options), options.names),
                     q.instant});
    }
  }
  return out;
}

std::string grafana_dashboard_json(const GrafanaOptions& options) {
  check(options);
  Json panels = Json::array();
  int id = 0;
  for (const auto& panel : catalog::dashboard_panels())
    panels.push_back(panel_json(panel, ++id, options));

  Json d;
  d["__inputs"] = {{{"name", kInput},
                    {"label", "Prometheus"},
                    {"description", "The Prometheus that scrapes the E2E3D service"},
                    {"type", "datasource"},
                    {"pluginId", "prometheus"},
                    {"pluginName", "Prometheus"}}};
  d["__elements"] = Json::object();
  d["__requires"] = {
      {{"type", "grafana"}, {"id", "grafana"}, {"name", "Grafana"}, {"version", "9.0.0"}},
      {{"type", "datasource"}, {"id", "prometheus"}, {"name", "Prometheus"}, {"version", "1.0.0"}},
      {{"type", "panel"}, {"id", "bargauge"}, {"name", "Bar gauge"}, {"version", ""}},
      {{"type", "panel"}, {"id", "timeseries"}, {"name", "Time series"}, {"version", ""}}};
  d["annotations"] = {{"list",
                       {{{"builtIn", 1},
                         {"datasource", {{"type", "grafana"}, {"uid", "-- Grafana --"}}},
                         {"enable", true},
                         {"hide", true},
                         {"iconColor", "rgba(0, 211, 255, 1)"},
                         {"name", "Annotations & Alerts"},
                         {"type", "dashboard"}}}}};
  d["description"] = fmt::format(
      "The E2E3D reconstruction service's metrics (generated by e2e3d-metrics generate "
      "grafana-dashboard; metric names {}; rates over {}).",
      options.origin.empty() ? "as the metrics document writes them" : options.origin,
      rules::format_duration(options.window_ms));
  d["editable"] = true;
  d["fiscalYearStartMonth"] = 0;
  d["graphTooltip"] = 1;  // a shared crosshair: one moment across every panel
  d["id"] = nullptr;
  d["links"] = Json::array();
  d["liveNow"] = false;
  d["panels"] = panels;
  d["refresh"] = "30s";
  d["schemaVersion"] = kSchemaVersion;
  d["style"] = "dark";
  d["tags"] = {"e2e3d", "prometheus"};
  d["templating"] = {{"list",
                      {{{"current", Json::object()},
                        {"hide", 0},
                        {"includeAll", false},
                        {"label", "Prometheus"},
                        {"multi", false},
                        {"name", kInput},
                        {"options", Json::array()},
                        {"query", "prometheus"},
                        {"refresh", 1},
                        {"regex", ""},
                        {"skipUrlSync", false},
                        {"type", "datasource"}}}}};
  d["time"] = {{"from", "now-6h"}, {"to", "now"}};
  d["timepicker"] = Json::object();
  d["timezone"] = "";
  d["title"] = options.title;
  d["uid"] = options.uid;
  d["version"] = 1;
  d["weekStart"] = "";
  return d.dump(2) + "\n";
}

}  // namespace e2e3d::dashboard
