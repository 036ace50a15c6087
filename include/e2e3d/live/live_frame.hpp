#pragma once
// What `show --watch` shows: the catalog's live queries (jobs per minute, failure ratio, CPU,
// memory trend, restarts) evaluated over the window of recorded scrapes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "e2e3d/live/history.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d::live {

struct LiveFigure {
  std::string id;               // catalog::LiveQuery::id
  std::string title;            // catalog::LiveQuery::title
  std::string expr;             // as evaluated: names resolved, window filled in
  std::optional<double> value;  // unknown when the window is too short or a name is missing
  std::optional<std::string> error;
};

struct LiveFrame {
  int64_t time_ms = 0;      // the newest scrape, where the queries are evaluated
  std::size_t scrapes = 0;  // scrapes recorded so far
  int64_t window_ms = 0;    // the range of the rate-like queries
  int64_t covered_ms = 0;   // newest minus oldest recorded sample
  std::vector<LiveFigure> figures;
  std::optional<std::string> scrape_error;  // set by the caller when this round's scrape failed

  const LiveFigure* find(std::string_view id) const;
};

// Evaluates every live query over the window ending at `time_ms`, with the documented names
// resolved against `latest` (the newest scrape). A value that is NaN or infinite (no jobs in
// the window: 0/0) is unknown, never a made-up 0.
// `time_ms` defaults to the history's newest sample.
LiveFrame evaluate_live(const History& history, const Scrape& latest, int64_t window_ms,
                        std::optional<int64_t> time_ms = std::nullopt);

// One JSON object per frame (for `show --watch --output json`, one per line).
std::string live_frame_json(const LiveFrame& frame);

}  // namespace e2e3d::live
