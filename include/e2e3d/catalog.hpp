#pragma once
// Everything the service's metrics document (spec/E2E3D-METRICS.md) says, in one place:
// metric names, types and labels, the sample queries, the alert rules, the port, the
// environment variable, the scrape job. `show`, `doctor`, `alerts` and `generate` read it;
// nothing else spells a documented name.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/scrape.hpp"

namespace e2e3d::catalog {

inline constexpr uint16_t kPort = 9101;
inline constexpr std::string_view kMetricsPath = "/metrics";
inline constexpr std::string_view kDefaultUrl = "http://localhost:9101/metrics";
inline constexpr std::string_view kEnableMetricsVariable = "ENABLE_METRICS";
inline constexpr std::string_view kEnableMetricsValue = "true";  // any letter case
inline constexpr std::string_view kScrapeJob = "e2e3d";
inline constexpr std::string_view kScrapeInterval = "15s";
inline constexpr std::string_view kServiceName = "reconstruction-service";
inline constexpr std::string_view kContainerName = "e2e3d-reconstruction-service";

enum class MetricGroup { jobs, process };

struct DocumentedMetric {
  std::string_view name;  // as the document writes it
  MetricType type;
  std::string_view help;
  std::vector<std::string_view> labels;
  MetricGroup group;
};

// A sample query of the document, under a stable id that `show --output json` uses as a key.
struct DocumentedQuery {
  std::string_view id;     // e.g. "success_rate_percent"
  std::string_view title;  // as the document titles it
  std::string_view expr;   // exactly as the document writes it
};

struct DocumentedAlert {
  std::string_view name;
  std::string_view expr;
  std::string_view for_duration;  // "15m"
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

inline constexpr std::string_view kAlertGroup = "E2E3D Alerts";

const std::vector<DocumentedMetric>& metrics();
const DocumentedMetric* find_metric(std::string_view documented_name);
const std::vector<DocumentedQuery>& queries();
const DocumentedQuery& query(std::string_view id);  // throws std::out_of_range for unknown ids
const std::vector<DocumentedAlert>& alerts();

// What `show --watch` computes over its recorded window, written with documented names (they
// are resolved like the document's queries). `{window}` stands for the window, e.g. `5m`.
struct LiveQuery {
  std::string_view id;     // the JSON key: "jobs_per_minute"
  std::string_view title;  // the row's label: "jobs / minute"
  std::string_view expr;
};
const std::vector<LiveQuery>& live_queries();
// `expr` with `{window}` replaced by `window`.
std::string live_expression(const LiveQuery& query, std::string_view window);
// Any text with `{window}` replaced by `window`.
std::string with_window(std::string_view text, std::string_view window);

// The document's alerts over a window instead of lifetime totals (`generate rules --window`):
// its HighFailureRate divides totals since the process started, although its description says
// "for the last 15 minutes". Written with documented names and `{window}` like the live queries;
// an alert without an entry (a gauge threshold) needs no rewrite.
struct WindowedAlert {
  std::string_view name;         // the documented alert's name
  std::string_view expr;         // idle (no jobs in the window) is an empty result, not 0/0
  std::string_view description;  // the annotation, true for any window
};
const std::vector<WindowedAlert>& windowed_alerts();
const WindowedAlert* find_windowed_alert(std::string_view name);

// The panels of the Grafana dashboard (`generate grafana-dashboard`), in display order. Queries
// are written with documented names (resolved like the document's queries), `{window}` for the
// rate window and `{top}` for the number of jobs a top-N panel lists.
enum class PanelUnit { count, per_minute, ratio, seconds, bytes, cpu };
struct PanelQuery {
  std::string_view expr;
  std::string_view legend;  // Grafana's legendFormat: "{{status}}"
  bool instant = false;     // the value now (a top-N list), not a series over time
};
struct DashboardPanel {
  std::string_view id;  // stable: part of the panel's identity across regenerations
  std::string_view title;
  std::string_view description;
  PanelUnit unit;
  std::vector<PanelQuery> queries;
};
const std::vector<DashboardPanel>& dashboard_panels();

// How one documented name maps onto what a target exposes.
struct ResolvedName {
  std::string_view documented;
  std::optional<std::string> exposed;  // nullopt: the target exposes no such series
  bool renamed() const { return exposed && *exposed != documented; }
};

// Resolves every documented metric against a scrape. A counter the Python client created as
// `x` is exposed as `x_total` (plus `x_created`, never a match); a documented `x_total` may be
// exposed bare by other clients. Exact matches win.
std::vector<ResolvedName> resolve_names(const Scrape& scrape);

// `expr` with every documented metric name replaced by its exposed name. Only whole metric
// names are replaced: not parts of longer names, not label names, not text in strings.
std::string rewrite_expression(std::string_view expr, const std::vector<ResolvedName>& names);

// The names a documented name may be exposed under, most likely first (documented itself,
// then with or without `_total`).
std::vector<std::string> candidate_names(std::string_view documented);

}  // namespace e2e3d::catalog
