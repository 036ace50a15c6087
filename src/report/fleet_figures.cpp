// The figures of a whole fleet, from its targets' figures.
#include <functional>

#include "e2e3d/show_report.hpp"
#include "report/percent.hpp"

namespace e2e3d {
namespace {

using Figure = std::optional<double>;

// The sum of one figure over every target; unknown if any target does not know it.
Figure sum_of(const std::vector<const ShowReport*>& targets,
              const std::function<Figure(const ShowReport&)>& figure) {
  if (targets.empty()) return std::nullopt;
  double total = 0;
  for (const ShowReport* t : targets) {
    Figure v = figure(*t);
    if (!v) return std::nullopt;
    total += *v;
  }
  return total;
}

}  // namespace

void set_fleet_figures(ShowReport& fleet, const std::vector<const ShowReport*>& targets) {
  JobFigures& jobs = fleet.jobs;
  jobs.total = sum_of(targets, [](const ShowReport& r) { return r.jobs.total; });
  jobs.success = sum_of(targets, [](const ShowReport& r) { return r.jobs.success; });
  jobs.failure = sum_of(targets, [](const ShowReport& r) { return r.jobs.failure; });
  jobs.active = sum_of(targets, [](const ShowReport& r) { return r.jobs.active; });
  jobs.success_rate_percent = percent_of(jobs.success, jobs.total);
  jobs.failure_rate_percent = percent_of(jobs.failure, jobs.total);
  jobs.series = sum_of(targets, [](const ShowReport& r) { return r.jobs.series; });
  Figure duration = sum_of(targets, [](const ShowReport& r) -> Figure {
    if (r.jobs.series && *r.jobs.series == 0) return 0.0;
    if (!r.jobs.average_duration_seconds || !r.jobs.series) return std::nullopt;
    return *r.jobs.average_duration_seconds * *r.jobs.series;
  });
  jobs.average_duration_seconds =
      duration && jobs.series && *jobs.series > 0 ? Figure(*duration / *jobs.series) : std::nullopt;
  jobs.duration_seconds_by_status.reset();
  bool all_known = !targets.empty();
  std::map<std::string, double> by_status;
  for (const ShowReport* t : targets) {
    if (!t->jobs.duration_seconds_by_status) {
      all_known = false;
      break;
    }
    for (const auto& [status, seconds] : *t->jobs.duration_seconds_by_status)
      by_status[status] += seconds;
  }
  if (all_known) jobs.duration_seconds_by_status = std::move(by_status);

  ProcessFigures& p = fleet.process;
  p.cpu_seconds_total =
      sum_of(targets, [](const ShowReport& r) { return r.process.cpu_seconds_total; });
  p.resident_memory_bytes =
      sum_of(targets, [](const ShowReport& r) { return r.process.resident_memory_bytes; });
  p.virtual_memory_bytes =
      sum_of(targets, [](const ShowReport& r) { return r.process.virtual_memory_bytes; });
  p.open_fds = sum_of(targets, [](const ShowReport& r) { return r.process.open_fds; });
  p.max_fds = sum_of(targets, [](const ShowReport& r) { return r.process.max_fds; });
  p.open_fds_percent = percent_of(p.open_fds, p.max_fds);
  p.start_time_seconds.reset();
  p.uptime_seconds.reset();
}

}  // namespace e2e3d
