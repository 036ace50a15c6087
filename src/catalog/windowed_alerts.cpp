// The document's alerts as their descriptions mean them: over a recent window. A ratio of
// lifetime totals hardly moves after a month of uptime (one bad hour never fires) and stays
// high long after a bad start (it never clears); a ratio of rates over the window does neither.
#include "e2e3d/catalog.hpp"

namespace e2e3d::catalog {

const std::vector<WindowedAlert>& windowed_alerts() {
  static const std::vector<WindowedAlert> kAlerts = {
      // `> 0` drops the denominator when no job finished in the window, so an idle service is an
      // empty result rather than 0/0 (NaN).
      {"HighFailureRate",
       "sum(rate(reconstruction_failure[{window}])) / "
       "(sum(rate(reconstruction_total[{window}])) > 0) > 0.1",
       "The failure rate for reconstruction jobs is above 10% over the last {window} "
       "({{ $value | humanizePercentage }})."},
  };
  return kAlerts;
}

const WindowedAlert* find_windowed_alert(std::string_view name) {
  for (const auto& a : windowed_alerts()) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

}  // namespace e2e3d::catalog
