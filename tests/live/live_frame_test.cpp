// The live view's figures over a hand-made window: the catalog's live queries, resolved to the
// Python client's names, evaluated over recorded scrapes.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "e2e3d/catalog.hpp"
#include "e2e3d/exposition_parser.hpp"
#include "e2e3d/live/live_frame.hpp"

using namespace e2e3d;
using namespace e2e3d::live;

namespace {

constexpr int64_t kT0 = 1'700'000'000'000;

// The Python client's names: counters get _total.
Scrape service(double total, double failed, double cpu, double start, double rss) {
  return parse_exposition(
      fmt::format("# TYPE reconstruction_total counter\nreconstruction_total {}\n"
                  "# TYPE reconstruction_failure_total counter\nreconstruction_failure_total {}\n"
                  "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total {}\n"
                  "# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds {}\n"
                  "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {}\n",
                  total, failed, cpu, start, rss),
      ExpositionFormat::prometheus_text);
}

}  // namespace

TEST_CASE("the live figures come from the window, a restart included") {
  History history;
  // 60 jobs a minute, 1 in 4 failing, half a CPU, memory growing 1 KiB/s; then a restart.
  for (int i = 0; i <= 4; ++i) {
    history.add_scrape(service(15.0 * i, 3.75 * i, 7.5 * i, 1000, 1e6 + 15360.0 * i),
                       kT0 + i * 15000);
  }
  Scrape after_restart = service(15, 3.75, 7.5, 1070, 1e6);
  history.add_scrape(after_restart, kT0 + 75000);
  LiveFrame frame = evaluate_live(history, after_restart, 60000);
  CHECK(frame.time_ms == kT0 + 75000);
  CHECK(frame.covered_ms == 75000);
  CHECK(frame.scrapes == 6);
  // [60s] holds the samples at 15..75 s: no extrapolation needed at either end.
  CHECK(frame.find("jobs_per_minute")->value == Approx(60));
  CHECK(frame.find("failure_ratio_percent")->value == Approx(25));
  CHECK(frame.find("cpu_percent")->value == Approx(50));
  CHECK(frame.find("restarts")->value == 1);
  CHECK(frame.find("counter_resets")->value == 1);
  CHECK(frame.find("resident_memory_bytes")->value == 1e6);
  // Names resolve as in `show`: the document's reconstruction_failure is exposed with _total.
  CHECK(frame.find("failure_ratio_percent")->expr.find("reconstruction_failure_total[1m]") !=
        std::string::npos);
}

TEST_CASE("figures the window cannot give are unknown, never 0") {
  History history;
  Scrape one = service(10, 0, 1, 1000, 1e6);
  history.add_scrape(one, kT0);
  LiveFrame frame = evaluate_live(history, one, 60000);
  CHECK_FALSE(frame.find("jobs_per_minute")->value);
  CHECK_FALSE(frame.find("failure_ratio_percent")->value);
  // 0 failures of 0 jobs in the window is 0/0: unknown too.
  history.add_scrape(service(10, 0, 1, 1000, 1e6), kT0 + 15000);
  frame = evaluate_live(history, one, 60000);
  CHECK(frame.find("jobs_per_minute")->value == 0);
  CHECK_FALSE(frame.find("failure_ratio_percent")->value);
  auto j = nlohmann::json::parse(live_frame_json(frame));
  CHECK(j["figures"]["failure_ratio_percent"].is_null());
  CHECK(j["figures"]["jobs_per_minute"] == 0);
  CHECK(j["scrape_error"].is_null());
}

TEST_CASE("every live query names only documented metrics") {
  for (const auto& q : catalog::live_queries()) {
    std::string expr = catalog::live_expression(q, "5m");
    INFO(expr);
    CHECK(expr.find("{window}") == std::string::npos);
    bool documented = false;
    for (const auto& m : catalog::metrics())
      documented |= expr.find(m.name) != std::string::npos;
    CHECK(documented);
  }
}
