// metrics.sanity: values that cannot be right, or will not stay right. Each finding names the
// numbers it compared.
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "checks.hpp"
#include "e2e3d/catalog.hpp"

namespace e2e3d::doctor {
namespace {

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

std::string duration_text(double seconds) {
  if (seconds >= 86400) return fmt::format("{:.1f} days", seconds / 86400);
  if (seconds >= 3600) return fmt::format("{:.1f} hours", seconds / 3600);
  return fmt::format("{:.0f} minutes", seconds / 60);
}

}  // namespace

Result check_metrics_sanity(Context& context) {
  const ScrapeProbe& probe = context.scrape();
  if (!probe.scrape) return fail("no scrape to inspect", probe.error, "see exposition.valid");
  const Scrape& scrape = *probe.scrape;
  const Options& options = context.options();

  std::map<std::string_view, std::string> exposed;  // documented -> exposed
  for (const auto& r : catalog::resolve_names(scrape)) {
    if (r.exposed) exposed[r.documented] = *r.exposed;
  }
  // Sum of a documented metric over its series (most have one; a multi-process exporter may
  // label them by pid).
  auto total_of = [&](std::string_view documented) -> std::optional<double> {
    auto it = exposed.find(documented);
    if (it == exposed.end()) return std::nullopt;
    double sum = 0;
    for (uint32_t i : scrape.series_named(it->second))
      sum += scrape.series(i).value;
    return sum;
  };

  std::vector<std::string> failures, warnings, warning_fixes, checked;

  // Counters: never negative, never NaN.
  for (size_t i = 0; i < scrape.series_count(); ++i) {
    const Series& s = scrape.series(i);
    if (scrape.families()[s.family].type != MetricType::counter) continue;
    std::string_view name = scrape.str(s.name);
    if (name.ends_with("_created")) continue;
    if (std::isnan(s.value) || s.value < 0) {
      failures.push_back(
          fmt::format("counter {} is {}: counters only go up from 0", name, number(s.value)));
      if (failures.size() > 5) break;
    }
  }

  auto total = total_of("reconstruction_total");
  auto success = total_of("reconstruction_success");
  auto failure = total_of("reconstruction_failure");
  if (total && success && failure) {
    checked.push_back(fmt::format("success {} + failure {} <= total {}", number(*success),
                                  number(*failure), number(*total)));
    if (*success + *failure > *total) {
      failures.push_back(fmt::format(
          "success {} + failure {} = {} is more than total {}: a job "
          "is counted as finished without being counted as processed",
          number(*success), number(*failure), number(*success + *failure), number(*total)));
    }
  }
  if (auto active = total_of("e2e3d_active_jobs")) {
    checked.push_back(fmt::format("active jobs {}", number(*active)));
    if (*active < 0 || std::isnan(*active)) {
      failures.push_back(
          fmt::format("e2e3d_active_jobs is {}: a job is decremented twice or "
                      "never incremented",
                      number(*active)));
    }
  }

  auto open_fds = scrape.single_value("process_open_fds");
  auto max_fds = scrape.single_value("process_max_fds");
  if (open_fds && max_fds && *max_fds > 0) {
    double ratio = *open_fds / *max_fds;
    checked.push_back(fmt::format("open fds {} of {}", number(*open_fds), number(*max_fds)));
    if (ratio >= options.open_fds_warn_ratio) {
      warnings.push_back(
          fmt::format("{} of {} file descriptors open ({:.0f}%): the process will "
                      "soon fail to open files and sockets",
                      number(*open_fds), number(*max_fds), ratio * 100));
      warning_fixes.push_back(
          "look for leaked sockets or files in the service; raise its limit (ulimits: nofile: "
          "in Compose)");
    }
  }

  // One series per job_id forever: memory and scrape size grow without bound.
  if (auto it = exposed.find("e2e3d_job_duration_seconds"); it != exposed.end()) {
    std::set<std::string_view> job_ids;
    for (uint32_t i : scrape.series_named(it->second)) {
      if (auto id = scrape.label(scrape.series(i), "job_id")) job_ids.insert(*id);
    }
    checked.push_back(fmt::format("{} job_id values", job_ids.size()));
    if (job_ids.size() > options.job_id_series_warn) {
      warnings.push_back(fmt::format(
          "{} distinct job_id values (threshold {}): {} keeps one series per job forever, so "
          "the exporter's memory, the scrape and Prometheus's storage grow without bound",
          job_ids.size(), options.job_id_series_warn, it->second));
      warning_fixes.push_back(
          "drop the job_id label (per-job detail belongs in logs or traces), or remove a job's "
          "series when it ends (.remove(job_id, status)); raise --job-id-warn if this is "
          "expected");
    }
  }

  // Counters still at zero long after start: the jobs run in a process (a worker) whose
  // registry is not the one the metrics server exports.
  auto start_time = scrape.single_value("process_start_time_seconds");
  if (total && start_time && *start_time > 0) {
    double uptime = context.now_unix_seconds() - *start_time;
    bool all_zero = *total == 0 && success.value_or(0) == 0 && failure.value_or(0) == 0;
    if (all_zero && uptime > options.idle_counters_warn_seconds) {
      warnings.push_back(fmt::format(
          "every job counter is 0 after {} of uptime: jobs processed in another process (a "
          "worker, a forked child) update that process's counters, which never reach this "
          "exporter",
          duration_text(uptime)));
      warning_fixes.push_back(
          "when workers do the jobs, use the Python client's multiprocess mode "
          "(PROMETHEUS_MULTIPROC_DIR) or serve metrics from the process that runs them");
    }
  }

  std::string detail;
  auto add = [&](const std::string& line) { detail += (detail.empty() ? "" : "\n") + line; };
  for (const auto& f : failures)
    add(f);
  for (const auto& w : warnings)
    add(w);
  if (!checked.empty()) {
    std::string list;
    for (const auto& c : checked)
      list += (list.empty() ? "" : "; ") + c;
    add("checked: " + list);
  }
  if (!failures.empty()) {
    return fail(failures.front(), detail,
                "fix the service's instrumentation: increment reconstruction_total once per job "
                "and exactly one of success/failure when it ends; dec() the active gauge once");
  }
  if (!warnings.empty()) {
    return warn(warnings.front(), detail, fmt::format("{}", fmt::join(warning_fixes, "\n")));
  }
  if (checked.empty()) {
    return skip("none of the documented job or process metrics is exposed: nothing to compare",
                "see metrics.documented");
  }
  return pass("the values are consistent", detail);
}

}  // namespace e2e3d::doctor
