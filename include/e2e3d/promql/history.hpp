#pragma once
// Samples over time, per series: what `--watch` records scrape after scrape and `--replay` loads
// from a recording. A very small TSDB with Prometheus's rules: a series that vanishes from a
// scrape gets a staleness marker, instant selectors look back at most 5 minutes, and range
// selectors see the samples in [t - range, t].

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/promql/engine.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d::promql {

// Prometheus's staleness marker: a NaN with its own bit pattern (value.StaleNaN).
double stale_marker();
bool is_stale_marker(double value);

inline constexpr int64_t kLookbackMs = 5 * 60 * 1000;  // Prometheus's default lookback delta

// One series' samples; its labels are its key in History::series().
struct StoredSeries {
  std::string family;  // the family it was exposed in, for `# TYPE` when recorded
  MetricType type = MetricType::unknown;
  std::vector<Point> points;  // increasing timestamps; staleness markers included
};

class History {
 public:
  struct Limits {
    int64_t retention_ms = 60 * 60 * 1000;  // older points are dropped as new ones arrive
    std::size_t max_points = 5'000'000;     // a scrape that would pass this is refused
  };

  explicit History(Limits limits);
  History() : History(Limits{}) {}

  // Records every series of `scrape` at `time_ms` (a sample's own timestamp wins, as with
  // Prometheus's honor_timestamps). Series recorded before and absent now get a staleness
  // marker. Throws Error(eval) when the window would hold more than max_points.
  void add_scrape(const Scrape& scrape, int64_t time_ms);

  // One sample, for recordings. `labels` include __name__. Throws Error(parse) when the
  // sample is not after the series' previous one.
  void add_point(Labels labels, std::string_view family, MetricType type, Point point);

  std::optional<int64_t> newest_ms() const;
  std::optional<int64_t> oldest_ms() const;
  std::size_t point_count() const { return points_; }
  std::size_t scrape_count() const { return scrapes_; }

  // By labels (sorted by name, __name__ included, no empty values), in label-set order: the
  // order Prometheus's storage returns series in.
  const std::map<Labels, StoredSeries>& series() const { return series_; }

  // What an instant selector sees at `time_ms`: each series' newest sample in
  // [time_ms - 5m, time_ms], unless that sample is a staleness marker. Each series carries its
  // sample's timestamp.
  Scrape instant_view(int64_t time_ms) const;

  // The recording: OpenMetrics 1.0 with a timestamp on every sample, families grouped, each
  // series' samples in time order; staleness markers are left out (OpenMetrics cannot say
  // them). `promtool tsdb create-blocks-from openmetrics` reads the same file.
  std::string to_openmetrics() const;

 private:
  void drop_old(int64_t newest_ms);

  Limits limits_;
  std::map<Labels, StoredSeries> series_;
  std::size_t points_ = 0;
  std::size_t scrapes_ = 0;
};

// Loads a recording written by History::to_openmetrics (or any OpenMetrics text whose samples
// all carry timestamps). Throws ParseError with file:line:column, or Error(io).
History read_recording(const std::string& path, History::Limits limits = {});

// Evaluates `expr` at options.time_ms over the recorded samples: range vectors, the range
// functions (rate, irate, increase, delta, idelta, deriv, predict_linear, holt_winters, resets,
// changes, *_over_time) and `offset` work as in Prometheus 2.42. A range vector result is a
// Matrix. Subqueries and `@` are not supported and say so.
Value evaluate(const History& history, std::string_view expr, const EvalOptions& options);
// The same with the instant view (history.instant_view(options.time_ms)) built once by the
// caller, for several queries at one time.
Value evaluate(const History& history, const Scrape& view, std::string_view expr,
               const EvalOptions& options);

}  // namespace e2e3d::promql
