#pragma once
// A Grafana dashboard for the service (`generate grafana-dashboard`): the catalog's panels as
// Grafana 9/10 import them, with the Prometheus data source asked for at import.

#include <cstdint>
#include <string>
#include <vector>

#include "e2e3d/catalog.hpp"

namespace e2e3d::dashboard {

struct GrafanaOptions {
  std::vector<catalog::ResolvedName> names;  // documented -> exposed; empty: as documented
  std::string origin;                        // how the names were chosen, for the description
  int64_t window_ms = 5 * 60'000;            // the range of rates and ratios
  int top = 10;                              // jobs in the slowest-jobs list
  std::string title = "E2E3D reconstruction service";
  std::string uid = "e2e3d-reconstruction";  // stable: re-importing replaces the dashboard
};

// The dashboard JSON. Every panel and target names its data source `${DS_PROMETHEUS}`: an input
// in `__inputs` (Grafana's import asks for it) and a data source variable of that name (so a
// provisioned file works too). Throws Error(config) with the fix for a window rate() cannot use,
// a top outside 1..100, or a uid Grafana refuses.
std::string grafana_dashboard_json(const GrafanaOptions& options);

// Each panel's queries as the dashboard has them (window and names filled in), for tests and
// for checking them against a Prometheus: {panel title, expr, instant}.
struct DashboardTarget {
  std::string panel;
  std::string expr;
  bool instant = false;
};
std::vector<DashboardTarget> dashboard_targets(const GrafanaOptions& options);

}  // namespace e2e3d::dashboard
