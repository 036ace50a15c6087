#pragma once
// What `show` reports about one scrape: the documented job metrics, the values the document's
// sample queries compute, and the process metrics. Built in the core, rendered by the CLI.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "e2e3d/catalog.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d {

struct JobFigures {
  std::optional<double> total;
  std::optional<double> success;
  std::optional<double> failure;
  std::optional<double> active;
  std::optional<double> success_rate_percent;
  std::optional<double> failure_rate_percent;
  std::optional<double> average_duration_seconds;
  std::optional<std::map<std::string, double>> duration_seconds_by_status;
  std::optional<double> series;  // series of the per-job duration counter
};

struct ProcessFigures {
  std::optional<double> cpu_seconds_total;
  std::optional<double> resident_memory_bytes;
  std::optional<double> virtual_memory_bytes;
  std::optional<double> open_fds;
  std::optional<double> max_fds;
  std::optional<double> start_time_seconds;
  std::optional<double> uptime_seconds;    // now - start_time_seconds
  std::optional<double> open_fds_percent;  // open / max * 100
};

// One documented query as `show` evaluated it.
struct EvaluatedQuery {
  std::string id;
  std::string documented_expr;
  std::string evaluated_expr;  // with documented names resolved to exposed ones
  std::optional<std::string> error;
};

struct ShowReport {
  std::string source;
  JobFigures jobs;
  ProcessFigures process;
  std::vector<catalog::ResolvedName> resolved;
  std::vector<std::string> missing;  // documented names the target does not expose
  std::vector<EvaluatedQuery> queries;
};

// `now_seconds` is the evaluation time (Unix seconds), used for uptime.
ShowReport build_show_report(const Scrape& scrape, std::string source, double now_seconds);

// A fleet's figures from its targets' reports, as `sum(...)` across instances gives them: counts
// and process figures add up, the rates are recomputed from the sums (success / total), the
// average duration is the sum of durations over the number of job series. A figure unknown
// for any target is unknown for the fleet (a partial sum would be a made-up number); the start
// time and uptime belong to one process and are unknown. Source, names and queries of `fleet`
// are kept.
void set_fleet_figures(ShowReport& fleet, const std::vector<const ShowReport*>& targets);

// The `show --output json` document (keys as ARCHITECTURE.md lists; unknown values are null).
std::string show_report_json(const ShowReport& report);

}  // namespace e2e3d
