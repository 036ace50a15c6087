#pragma once
// What the engine reads when an expression is evaluated over samples over time (range vectors,
// `offset`, the functions over time): Prometheus's storage.Querier, narrowed to what our
// engine needs. The engine owns these rules (staleness markers, the lookback of instant
// selectors); who records the samples, and how, is live::History's business (e2e3d/live/).

#include <cstdint>
#include <map>
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

// One series' samples; its labels are its key in SeriesStore::series().
struct StoredSeries {
  std::string family;  // the family it was exposed in, for `# TYPE` when recorded
  MetricType type = MetricType::unknown;
  std::vector<Point> points;  // increasing timestamps; staleness markers included
};

class SeriesStore {
 public:
  virtual ~SeriesStore() = default;

  // By labels (sorted by name, __name__ included, no empty values), in label-set order: the
  // order Prometheus's storage returns series in.
  virtual const std::map<Labels, StoredSeries>& series() const = 0;

  // What an instant selector sees at `time_ms`: each series' newest sample in
  // [time_ms - 5m, time_ms], unless that sample is a staleness marker. Each series carries its
  // sample's timestamp.
  Scrape instant_view(int64_t time_ms) const;

 protected:
  SeriesStore() = default;
  SeriesStore(const SeriesStore&) = default;
  SeriesStore& operator=(const SeriesStore&) = default;
  SeriesStore(SeriesStore&&) = default;
  SeriesStore& operator=(SeriesStore&&) = default;
};

// Evaluates `expr` at options.time_ms over the stored samples: range vectors, the range
// functions (rate, irate, increase, delta, idelta, deriv, predict_linear, holt_winters, resets,
// changes, *_over_time), subqueries, `offset` and `@` work as in Prometheus 2.42. A range
// vector result is a Matrix.
Value evaluate(const SeriesStore& store, std::string_view expr, const EvalOptions& options);
// The same with the instant view (store.instant_view(options.time_ms)) built once by the
// caller, for several queries at one time.
Value evaluate(const SeriesStore& store, const Scrape& view, std::string_view expr,
               const EvalOptions& options);

}  // namespace e2e3d::promql
