#pragma once
// Ready-to-use files for a Prometheus that scrapes the service: the document's scrape job, its
// alert rules with the names the target really exposes, and a `promtool test rules` file that
// proves the rules fire.

#include <cstdint>
#include <string>
#include <vector>

#include "e2e3d/catalog.hpp"

namespace e2e3d::rules {

struct ScrapeConfigOptions {
  std::string job = std::string(catalog::kScrapeJob);
  std::string target;  // HOST:PORT; empty: the document's reconstruction-service:9101
  std::string interval = std::string(catalog::kScrapeInterval);
  std::string metrics_path = std::string(catalog::kMetricsPath);
  std::vector<std::string> rule_files;  // added as `rule_files:` when not empty
};

// prometheus.yml with the scrape job. Throws Error(config) for a target with a scheme or path,
// or an interval that is not a Prometheus duration.
std::string prometheus_config_yaml(const ScrapeConfigOptions& options);

// How the names of the document map onto exposed names without asking a target:
// `documented` keeps them; `python` is what the Python client exposes (counters get `_total`).
std::vector<catalog::ResolvedName> documented_names();
std::vector<catalog::ResolvedName> python_client_names();

// The document's alert rules with every documented name replaced by its resolved name (a name
// the target does not expose is kept as documented). `origin` goes into the header comment.
// With a window, an alert that divides lifetime totals is written over the window instead
// (catalog::windowed_alerts); throws Error(config) for a window rate() cannot use.
std::string rules_yaml(const std::vector<catalog::ResolvedName>& names, const std::string& origin,
                       int64_t window_ms = 0);

// A `promtool test rules` file for the rules `rules_yaml(names, _, window_ms)` writes, which it
// loads from `rules_path` (relative to the test file, as promtool resolves it). For each
// documented alert: input series that breach it, the evaluation just before `for` elapses (no
// alert yet), the one when it fires (labels and annotations), and healthy series that never
// fire. A windowed alert is proven to fire on a fresh burst on an old process, clear after
// recovery and after a bad start, and stay quiet when idle: stories a rule on totals fails.
std::string rule_tests_yaml(const std::vector<catalog::ResolvedName>& names,
                            const std::string& rules_path, int64_t window_ms = 0);

}  // namespace e2e3d::rules
