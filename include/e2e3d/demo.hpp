#pragma once
// A built-in exporter that simulates the E2E3D service: jobs start and finish over time and the
// metrics are served exactly as the real service serves them, so every command can be tried
// without the service (`e2e3d-metrics demo`, `show --demo`).

#include <cstdint>
#include <memory>
#include <string>

namespace e2e3d {

// Which names the demo exposes: the Python client's real ones (`reconstruction_success_total`
// plus `_created`) or the names exactly as the metrics document writes them.
enum class DemoNames { python, documented };

struct DemoOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 0;                  // 0: an ephemeral port
  double jobs_per_minute = 30;        // job arrival rate
  double mean_duration_seconds = 20;  // exponential job durations around this mean
  double failure_ratio = 0.1;         // share of finished jobs that fail
  uint32_t initial_jobs = 40;         // finished jobs already on the books at start
  DemoNames names = DemoNames::python;
  uint64_t seed = 0;  // 0: seeded from the clock
};

// Serves /metrics on a background thread from construction until destruction or stop().
// Throws Error when the address cannot be bound.
class DemoExporter {
 public:
  explicit DemoExporter(DemoOptions options);
  ~DemoExporter();
  DemoExporter(const DemoExporter&) = delete;
  DemoExporter& operator=(const DemoExporter&) = delete;

  uint16_t port() const;
  std::string url() const;  // http://ADDR:PORT/metrics
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace e2e3d
