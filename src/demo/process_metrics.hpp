#pragma once
// The demo's own process metrics, read from /proc/self exactly as the Python client's process
// collector reads them, so `show` has real numbers to display for the demo too.

#include <optional>

namespace e2e3d::demo {

struct ProcessMetrics {
  double virtual_memory_bytes = 0;
  double resident_memory_bytes = 0;
  double start_time_seconds = 0;  // since the Unix epoch
  double cpu_seconds_total = 0;
  double open_fds = 0;
  double max_fds = 0;
};

// nullopt when /proc is not available (the Python client then omits the metrics as well).
std::optional<ProcessMetrics> read_process_metrics();

}  // namespace e2e3d::demo
