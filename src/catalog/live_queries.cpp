// The figures of the live view. Rates come from the counters the document lists, so a service
// restart (a counter reset) is handled by rate() and increase() exactly as Prometheus does.
#include <string>

#include "e2e3d/catalog.hpp"

namespace e2e3d::catalog {

const std::vector<LiveQuery>& live_queries() {
  static const std::vector<LiveQuery> kQueries = {
      {"jobs_per_minute", "jobs / minute", "sum(rate(reconstruction_total[{window}])) * 60"},
      {"failure_ratio_percent", "failures in window",
       "sum(increase(reconstruction_failure[{window}])) / "
       "sum(increase(reconstruction_total[{window}])) * 100"},
      {"active_jobs", "active jobs", "sum(e2e3d_active_jobs)"},
      {"cpu_percent", "cpu", "sum(rate(process_cpu_seconds_total[{window}])) * 100"},
      {"resident_memory_bytes", "resident memory", "sum(process_resident_memory_bytes)"},
      {"memory_trend_bytes_per_second", "memory trend",
       "sum(deriv(process_resident_memory_bytes[{window}]))"},
      {"restarts", "restarts in window", "sum(changes(process_start_time_seconds[{window}]))"},
      {"counter_resets", "counter resets", "sum(resets(reconstruction_total[{window}]))"},
  };
  return kQueries;
}

std::string live_expression(const LiveQuery& query, std::string_view window) {
  return with_window(query.expr, window);
}

std::string with_window(std::string_view text, std::string_view window) {
  std::string out(text);
  const std::string_view placeholder = "{window}";
  for (std::size_t at = out.find(placeholder); at != std::string::npos;
       at = out.find(placeholder, at + window.size())) {
    out.replace(at, placeholder.size(), window);
  }
  return out;
}

}  // namespace e2e3d::catalog
