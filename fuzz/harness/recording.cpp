// The --replay reader on arbitrary bytes as a recording, then what replay does with it: the
// instant view at its newest sample and a range query over it.
#include <string>
#include <string_view>

#include "e2e3d/live/recording.hpp"
#include "e2e3d/promql/series_store.hpp"
#include "support.hpp"

namespace e2e3d::fuzz {

void recording_input(std::string_view data) {
  constexpr std::string_view kTarget = "fuzz_recording";
  try {
    live::History history = live::parse_recording(data, "fuzz.om", {3600'000, 100'000});
    if (history.point_count() > 100'000) {
      throw Finding(kTarget, "a recording held more samples than its limit");
    }
    auto newest = history.newest_ms();
    if (!newest) return;
    (void)history.instant_view(*newest);
    (void)promql::evaluate(history, "count_over_time({__name__=~\".+\"}[1h])",
                           promql::EvalOptions{*newest});
  } catch (const Error& e) {
    check_error_message(e, kTarget);
  }
}

}  // namespace e2e3d::fuzz
