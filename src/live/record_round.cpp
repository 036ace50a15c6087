// One round of a watch: scrape, and record what came back (or that nothing did).
#include <fmt/format.h>

#include "e2e3d/live/watch.hpp"

namespace e2e3d::live {

RecordedRound record_round(History& history, int64_t time_ms,
                           const std::function<RoundScrape()>& scrape) {
  RecordedRound recorded;
  try {
    RoundScrape round = scrape();
    history.add_scrape(round.scrape, time_ms);
    if (round.failed > 0) {
      recorded.problem =
          fmt::format("{} of {} targets could not be scraped", round.failed, round.targets);
    }
    recorded.scrape = std::move(round.scrape);
  } catch (const Error& e) {
    recorded.problem = e.what();
    if (stop_requested()) {
      recorded.interrupted = true;
    } else {
      history.add_scrape(Scrape{}, time_ms);
    }
  }
  return recorded;
}

}  // namespace e2e3d::live
