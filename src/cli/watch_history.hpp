#pragma once
// What a watch (`show --watch`, `query --watch`) records, round after round.

#include <cstdint>
#include <optional>
#include <string>

#include "cli/targets.hpp"
#include "e2e3d/promql/history.hpp"

namespace e2e3d::cli {

// A history for a watch: the window plus two intervals, so the oldest sample a [window] range
// needs is still there when the newest scrape arrives.
promql::History watch_history(int64_t window_ms, int64_t interval_ms);

struct RecordedRound {
  std::optional<Scrape> scrape;        // what was scraped (a fleet: the merged scrape)
  std::optional<std::string> problem;  // why the scrape failed, or how many targets did
};

// Scrapes once and records the scrape at `time_ms`. A failed scrape is recorded as an empty
// one, so every series goes stale, as Prometheus does when a scrape fails.
RecordedRound record_round(const Scraper& scraper, promql::History& history, int64_t time_ms);

}  // namespace e2e3d::cli
