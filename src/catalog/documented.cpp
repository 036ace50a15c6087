// The metrics document, transcribed. When spec/E2E3D-METRICS.md changes, this file changes.
#include <stdexcept>

#include "e2e3d/catalog.hpp"

namespace e2e3d::catalog {

const std::vector<DocumentedMetric>& metrics() {
  static const std::vector<DocumentedMetric> kMetrics = {
      {"reconstruction_total",
       MetricType::counter,
       "Total number of reconstruction jobs processed",
       {},
       MetricGroup::jobs},
      {"reconstruction_success",
       MetricType::counter,
       "Number of successful reconstruction jobs",
       {},
       MetricGroup::jobs},
      {"reconstruction_failure",
       MetricType::counter,
       "Number of failed reconstruction jobs",
       {},
       MetricGroup::jobs},
      {"e2e3d_active_jobs",
       MetricType::gauge,
       "Number of currently active reconstruction jobs",
       {},
       MetricGroup::jobs},
      {"e2e3d_job_duration_seconds",
       MetricType::counter,
       "Total time spent processing jobs",
       {"job_id", "status"},
       MetricGroup::jobs},
      {"process_cpu_seconds_total",
       MetricType::counter,
       "Total user and system CPU time spent in seconds",
       {},
       MetricGroup::process},
      {"process_open_fds",
       MetricType::gauge,
       "Number of open file descriptors",
       {},
       MetricGroup::process},
      {"process_max_fds",
       MetricType::gauge,
       "Maximum number of open file descriptors",
       {},
       MetricGroup::process},
      {"process_virtual_memory_bytes",
       MetricType::gauge,
       "Virtual memory size in bytes",
       {},
       MetricGroup::process},
      {"process_resident_memory_bytes",
       MetricType::gauge,
       "Resident memory size in bytes",
       {},
       MetricGroup::process},
      {"process_start_time_seconds",
       MetricType::gauge,
       "Start time of the process since unix epoch in seconds",
       {},
       MetricGroup::process},
  };
  return kMetrics;
}

const DocumentedMetric* find_metric(std::string_view documented_name) {
  for (const auto& m : metrics()) {
    if (m.name == documented_name) return &m;
  }
  return nullptr;
}

// The document's "Sample Prometheus Queries", in its order. Ids are the JSON keys of `show`;
// the two rates are the document's success rate and its failure-rate alert, as percentages.
const std::vector<DocumentedQuery>& queries() {
  static const std::vector<DocumentedQuery> kQueries = {
      {"total", "Total number of jobs processed", "reconstruction_total"},
      {"success_rate_percent", "Success rate (percentage)",
       "(reconstruction_success / reconstruction_total) * 100"},
      {"failure_rate_percent", "Failure rate (percentage)",
       "(reconstruction_failure / reconstruction_total) * 100"},
      {"active", "Number of active jobs", "e2e3d_active_jobs"},
      {"average_duration_seconds", "Average job duration",
       "sum(e2e3d_job_duration_seconds) / count(e2e3d_job_duration_seconds)"},
      {"duration_seconds_by_status", "Job duration by status",
       "sum(e2e3d_job_duration_seconds) by (status)"},
  };
  return kQueries;
}

const DocumentedQuery& query(std::string_view id) {
  for (const auto& q : queries()) {
    if (q.id == id) return q;
  }
  throw std::out_of_range("no documented query with id " + std::string(id));
}

const std::vector<DocumentedAlert>& alerts() {
  static const std::vector<DocumentedAlert> kAlerts = {
      {"HighFailureRate",
       "(reconstruction_failure / reconstruction_total) > 0.1",
       "15m",
       {{"severity", "warning"}},
       {{"summary", "High job failure rate"},
        {"description",
         "The failure rate for reconstruction jobs is above 10% for the last 15 minutes."}}},
      {"TooManyActiveJobs",
       "e2e3d_active_jobs > 10",
       "5m",
       {{"severity", "warning"}},
       {{"summary", "Too many active jobs"},
        {"description",
         "There are more than 10 active reconstruction jobs for the last 5 minutes. The system "
         "might be overloaded."}}},
  };
  return kAlerts;
}

}  // namespace e2e3d::catalog
