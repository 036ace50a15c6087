#pragma once
// Renders the simulated service's metrics byte for byte as the Python client 0.16 renders the
// real service's (text 0.0.4 and OpenMetrics 1.0), or with the names the metrics document uses.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "demo/process_metrics.hpp"
#include "demo/simulation.hpp"
#include "e2e3d/demo.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d::demo {

inline constexpr std::string_view kTextContentType = "text/plain; version=0.0.4; charset=utf-8";
// The Python client 0.16 writes OpenMetrics 1.0 but labels it version 0.0.1; the real service
// sends exactly this header, so the demo does too.
inline constexpr std::string_view kOpenMetricsContentType =
    "application/openmetrics-text; version=0.0.1; charset=utf-8";

// What the service's metrics hold at one moment.
struct JobsSnapshot {
  uint64_t total = 0;
  uint64_t success = 0;
  uint64_t failure = 0;
  uint64_t active = 0;
  double created_at = 0;   // Unix seconds at which the service created its metrics
  double wall_origin = 0;  // Unix seconds of simulated time 0 (FinishedJob::finished_at)
  std::span<const FinishedJob> jobs;
};

// The format to answer an Accept header with. Like the Python client, any mention of
// application/openmetrics-text selects OpenMetrics. The documented names are always served as
// text 0.0.4: OpenMetrics requires `_total` on counter samples, so it cannot carry them.
ExpositionFormat negotiate_format(std::string_view accept, DemoNames names);

std::string_view content_type(ExpositionFormat format);

// Appends the whole response body. Process metrics come first, as in the Python registry.
void write_exposition(std::string& out, ExpositionFormat format, DemoNames names,
                      const std::optional<ProcessMetrics>& process, const JobsSnapshot& jobs);

// A label value or HELP text escaped as the Python client escapes it (`\\`, `\n`, and `\"`
// where the format asks for it).
void append_escaped(std::string& out, std::string_view text, bool escape_quotes);

}  // namespace e2e3d::demo
