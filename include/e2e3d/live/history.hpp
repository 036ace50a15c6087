#pragma once
// Samples over time, per series: what `--watch` records scrape after scrape and `--replay` loads
// from a recording. A very small TSDB with Prometheus's rules: a series that vanishes from a
// scrape gets a staleness marker, older samples leave the window as new ones arrive. The engine
// reads it through promql::SeriesStore (instant selectors look back at most 5 minutes, range
// selectors see the samples in [t - range, t]).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

#include "e2e3d/promql/series_store.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d::live {

using promql::Labels;
using promql::Point;
using promql::StoredSeries;

class History final : public promql::SeriesStore {
 public:
  struct Limits {
    int64_t retention_ms = 60 * 60 * 1000;  // older points are dropped as new ones arrive
    std::size_t max_points = 5'000'000;     // a scrape that would pass this is refused
  };

  explicit History(Limits limits);
  History() : History(Limits{}) {}

  // A history for a watch: the window plus two intervals, so the oldest sample a [window]
  // range needs is still there when the newest scrape arrives.
  static History for_watch(int64_t window_ms, int64_t interval_ms);

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

  const std::map<Labels, StoredSeries>& series() const override { return series_; }

 private:
  void drop_old(int64_t newest_ms);

  Limits limits_;
  std::map<Labels, StoredSeries> series_;
  std::size_t points_ = 0;
  std::size_t scrapes_ = 0;
};

}  // namespace e2e3d::live
