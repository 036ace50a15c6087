#include "e2e3d/show_report.hpp"

#include <atomic>
#include <cmath>
#include <functional>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "report/documented_queries.hpp"
#include "report/percent.hpp"

namespace e2e3d {
namespace {

// A query's value when it returns exactly one series; NaN and infinities are not figures a
// user can act on (0/0 when no job ran yet), so they become "unknown" too.
std::optional<double> single(const std::vector<QueryRow>& rows) {
  if (rows.size() != 1 || !std::isfinite(rows[0].value)) return std::nullopt;
  return rows[0].value;
}

// Runs task(0) .. task(count - 1), each once, on this thread and one more. The job-duration
// queries each read every job series (a million on a big service) and need nothing from each
// other; the scrape is only read, and the PromQL engine keeps no state between evaluations.
// Tasks must not throw.
void evaluate_on_two_cores(std::size_t count, const std::function<void(std::size_t)>& task) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++)
      task(i);
  };
  std::thread helper(work);
  work();
  helper.join();
}

}  // namespace

ShowReport build_show_report(const Scrape& scrape, std::string source, double now_seconds) {
  ShowReport report;
  report.source = std::move(source);
  report.resolved = catalog::resolve_names(scrape);
  auto exposed = [&](std::string_view documented) -> std::optional<std::string> {
    for (const auto& r : report.resolved) {
      if (r.documented == documented) return r.exposed;
    }
    return std::nullopt;
  };
  for (const auto& r : report.resolved) {
    if (!r.exposed) report.missing.emplace_back(r.documented);
  }

  const auto& documented = catalog::queries();
  for (const auto& q : documented) {
    report.queries.push_back(EvaluatedQuery{std::string(q.id), std::string(q.expr),
                                            catalog::rewrite_expression(q.expr, report.resolved),
                                            std::nullopt});
  }
  std::vector<std::optional<std::vector<QueryRow>>> rows(documented.size());
  evaluate_on_two_cores(documented.size(), [&](std::size_t i) {
    try {
      rows[i] = evaluate_documented_query(scrape, documented[i], report.queries[i].evaluated_expr);
    } catch (const std::exception& e) {
      report.queries[i].error = e.what();
    }
  });
  std::map<std::string, std::vector<QueryRow>> results;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i]) results[report.queries[i].id] = std::move(*rows[i]);
  }
  auto value_of = [&](std::string_view id) -> std::optional<double> {
    auto it = results.find(std::string(id));
    return it == results.end() ? std::nullopt : single(it->second);
  };

  auto metric_value = [&](std::string_view documented) -> std::optional<double> {
    auto name = exposed(documented);
    return name ? scrape.single_value(*name) : std::nullopt;
  };

  JobFigures& jobs = report.jobs;
  jobs.total = value_of("total");
  jobs.success = metric_value("reconstruction_success");
  jobs.failure = metric_value("reconstruction_failure");
  jobs.active = value_of("active");
  jobs.success_rate_percent = value_of("success_rate_percent");
  jobs.failure_rate_percent = value_of("failure_rate_percent");
  jobs.average_duration_seconds = value_of("average_duration_seconds");
  // No duration series at all means "unknown", not "no statuses".
  auto by_status_rows = results.find("duration_seconds_by_status");
  if (by_status_rows != results.end() && exposed("e2e3d_job_duration_seconds")) {
    std::map<std::string, double> by_status;
    for (const auto& row : by_status_rows->second) {
      auto status = row.labels.find("status");
      by_status[status == row.labels.end() ? "" : status->second] = row.value;
    }
    jobs.duration_seconds_by_status = std::move(by_status);
  }
  if (auto name = exposed("e2e3d_job_duration_seconds")) {
    jobs.series = static_cast<double>(scrape.series_named(*name).size());
  }

  ProcessFigures& p = report.process;
  p.cpu_seconds_total = metric_value("process_cpu_seconds_total");
  p.resident_memory_bytes = metric_value("process_resident_memory_bytes");
  p.virtual_memory_bytes = metric_value("process_virtual_memory_bytes");
  p.open_fds = metric_value("process_open_fds");
  p.max_fds = metric_value("process_max_fds");
  p.start_time_seconds = metric_value("process_start_time_seconds");
  if (p.start_time_seconds) p.uptime_seconds = now_seconds - *p.start_time_seconds;
  p.open_fds_percent = percent_of(p.open_fds, p.max_fds);
  return report;
}

std::string show_report_json(const ShowReport& report) {
  using nlohmann::ordered_json;
  auto number = [](const std::optional<double>& v) -> ordered_json {
    if (!v || !std::isfinite(*v)) return nullptr;
    return *v;
  };
  ordered_json j;
  j["source"] = report.source;
  const JobFigures& jobs = report.jobs;
  ordered_json by_status = nullptr;
  if (jobs.duration_seconds_by_status) {
    by_status = ordered_json::object();
    for (const auto& [status, seconds] : *jobs.duration_seconds_by_status) {
      by_status[status] = number(seconds);
    }
  }
  j["jobs"] = {{"total", number(jobs.total)},
               {"success", number(jobs.success)},
               {"failure", number(jobs.failure)},
               {"active", number(jobs.active)},
               {"success_rate_percent", number(jobs.success_rate_percent)},
               {"failure_rate_percent", number(jobs.failure_rate_percent)},
               {"average_duration_seconds", number(jobs.average_duration_seconds)},
               {"duration_seconds_by_status", by_status},
               {"series", number(jobs.series)}};
  const ProcessFigures& p = report.process;
  j["process"] = {{"cpu_seconds_total", number(p.cpu_seconds_total)},
                  {"resident_memory_bytes", number(p.resident_memory_bytes)},
                  {"virtual_memory_bytes", number(p.virtual_memory_bytes)},
                  {"open_fds", number(p.open_fds)},
                  {"max_fds", number(p.max_fds)},
                  {"open_fds_percent", number(p.open_fds_percent)},
                  {"start_time_seconds", number(p.start_time_seconds)},
                  {"uptime_seconds", number(p.uptime_seconds)}};
  ordered_json resolved = ordered_json::object();
  for (const auto& r : report.resolved) {
    if (r.exposed) resolved[std::string(r.documented)] = *r.exposed;
  }
  j["resolved_names"] = resolved;
  j["missing"] = report.missing;
  ordered_json queries = ordered_json::array();
  for (const auto& q : report.queries) {
    ordered_json entry = {
        {"id", q.id}, {"documented", q.documented_expr}, {"evaluated", q.evaluated_expr}};
    entry["error"] = q.error ? ordered_json(*q.error) : ordered_json(nullptr);
    queries.push_back(entry);
  }
  j["queries"] = queries;
  return j.dump(2);
}

}  // namespace e2e3d
