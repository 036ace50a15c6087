// What the Grafana dashboard shows. Job figures are the fleet's (summed over instances); process
// figures are each process's, one line per instance. Ratios are over the window and guarded with
// `> 0`, so an idle window is a gap rather than 0/0; job_id is unbounded, so per-job durations
// are only ever a top-N list.
#include "e2e3d/catalog.hpp"

namespace e2e3d::catalog {

const std::vector<DashboardPanel>& dashboard_panels() {
  static const std::vector<DashboardPanel> kPanels = {
      {"jobs_per_minute",
       "Jobs per minute",
       "Reconstruction jobs processed per minute, averaged over {window}.",
       PanelUnit::per_minute,
       {{"sum(rate(reconstruction_total[{window}])) * 60", "jobs / minute"}}},
      {"success_failure_ratio",
       "Success and failure ratio over {window}",
       "Share of the jobs processed in the last {window} that succeeded and that failed. The "
       "document's alert fires when failures stay above 10%. Empty while no job ran.",
       PanelUnit::ratio,
       {{"sum(increase(reconstruction_success[{window}])) / "
         "(sum(increase(reconstruction_total[{window}])) > 0)",
         "success"},
        {"sum(increase(reconstruction_failure[{window}])) / "
         "(sum(increase(reconstruction_total[{window}])) > 0)",
         "failure"}}},
      {"active_jobs",
       "Active jobs",
       "Jobs running now. The document's TooManyActiveJobs alert fires above 10 for 5 minutes.",
       PanelUnit::count,
       {{"sum(e2e3d_active_jobs)", "active jobs"}}},
      {"average_duration",
       "Average job duration",
       "The document's average: total processing time over the number of jobs, since each "
       "process started.",
       PanelUnit::seconds,
       {{"sum(e2e3d_job_duration_seconds) / count(e2e3d_job_duration_seconds)", "average"}}},
      {"duration_by_status",
       "Job time by status",
       "Total processing time of the jobs, by status (the document's query).",
       PanelUnit::seconds,
       {{"sum by (status) (e2e3d_job_duration_seconds)", "{{status}}"}}},
      {"slowest_jobs",
       "Slowest {top} jobs",
       "The {top} jobs with the most processing time, now. job_id is unbounded: a series per "
       "job would grow without end, so only the top {top} are listed.",
       PanelUnit::seconds,
       {{"topk({top}, e2e3d_job_duration_seconds)", "{{job_id}} ({{status}})", true}}},
      {"cpu",
       "Process CPU",
       "CPU time per second of each metrics process over {window} (100% is one core).",
       PanelUnit::cpu,
       {{"rate(process_cpu_seconds_total[{window}])", "{{instance}}"}}},
      {"memory",
       "Process memory",
       "Resident and virtual memory of each process.",
       PanelUnit::bytes,
       {{"process_resident_memory_bytes", "{{instance}} resident"},
        {"process_virtual_memory_bytes", "{{instance}} virtual"}}},
      {"open_fds",
       "Open file descriptors vs limit",
       "Open file descriptors of each process and its limit; at the limit the service cannot "
       "accept connections or open files.",
       PanelUnit::count,
       {{"process_open_fds", "{{instance}} open"}, {"process_max_fds", "{{instance}} max"}}},
      {"restarts",
       "Restarts in {window}",
       "How often each process restarted in the last {window} (its start time changed).",
       PanelUnit::count,
       {{"changes(process_start_time_seconds[{window}])", "{{instance}}"}}},
  };
  return kPanels;
}

}  // namespace e2e3d::catalog
