#pragma once
// The loop behind --watch: one round every interval, on a fixed schedule (a slow round does
// not push the next ones back), until SIGINT or SIGTERM, or until --count rounds are done;
// and what each round records into the window.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "e2e3d/live/history.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d::live {

struct WatchSchedule {
  double interval_seconds = 5;
  std::optional<std::size_t> count;  // stop after this many rounds
};

// Runs `round(n)` for n = 0, 1, ... A signal ends the wait for the next round at once; the
// round in progress is completed first (its transfers end at once if they ask
// stop_requested: FetchOptions::cancelled). Returns the number of rounds run.
std::size_t watch(const WatchSchedule& schedule, const std::function<void(std::size_t)>& round);

// Whether SIGINT or SIGTERM came during the running watch(). Safe to call from any thread.
bool stop_requested();

// What one round's scrape gave.
struct RoundScrape {
  Scrape scrape;            // one target's, or a fleet's merged scrape
  std::size_t targets = 1;  // how many targets were scraped
  std::size_t failed = 0;   // how many of them could not be
};

struct RecordedRound {
  std::optional<Scrape> scrape;        // what was scraped (a fleet: the merged scrape)
  std::optional<std::string> problem;  // why the scrape failed, or how many targets did
  bool interrupted = false;            // a stop signal ended the scrape: nothing was recorded
};

// Scrapes once with `scrape` and records what it gave at `time_ms`. A scrape that throws Error
// is recorded as an empty one, so every series goes stale, as Prometheus does when a scrape
// fails; unless a stop signal ended it, which says nothing about the target: the window
// recorded so far is kept as it is.
RecordedRound record_round(History& history, int64_t time_ms,
                           const std::function<RoundScrape()>& scrape);

}  // namespace e2e3d::live
