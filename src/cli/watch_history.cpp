#include "cli/watch_history.hpp"

#include <fmt/format.h>

namespace e2e3d::cli {

promql::History watch_history(int64_t window_ms, int64_t interval_ms) {
  return promql::History(promql::History::Limits{window_ms + 2 * interval_ms, 5'000'000});
}

RecordedRound record_round(const Scraper& scraper, promql::History& history, int64_t time_ms) {
  RecordedRound recorded;
  try {
    ScrapeRound round = scraper.scrape();
    history.add_scrape(round.scrape, time_ms);
    if (round.failed > 0) {
      recorded.problem =
          fmt::format("{} of {} targets could not be scraped", round.failed, round.targets.size());
    }
    recorded.scrape = std::move(round.scrape);
  } catch (const Error& e) {
    recorded.problem = e.what();
    history.add_scrape(Scrape{}, time_ms);
  }
  return recorded;
}

}  // namespace e2e3d::cli
