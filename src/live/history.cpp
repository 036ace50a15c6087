// Recording scrapes over time with Prometheus's staleness rules.
#include "e2e3d/live/history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "e2e3d/error.hpp"

namespace e2e3d::live {

using promql::is_stale_marker;
using promql::stale_marker;

namespace {

// A series' labels as Prometheus stores them: __name__ among the others, no empty values.
Labels stored_labels(const Scrape& scrape, const Series& series) {
  Labels out;
  auto labels = scrape.labels(series);
  out.reserve(labels.size() + 1);
  out.emplace_back("__name__", std::string(scrape.str(series.name)));
  for (const auto& l : labels) {
    std::string_view value = scrape.str(l.value);
    if (value.empty()) continue;
    out.emplace_back(std::string(scrape.str(l.name)), std::string(value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

History::History(Limits limits) : limits_(limits) {}

History History::for_watch(int64_t window_ms, int64_t interval_ms) {
  return History(Limits{window_ms + 2 * interval_ms, Limits{}.max_points});
}

void History::add_scrape(const Scrape& scrape, int64_t time_ms) {
  drop_old(time_ms);
  if (points_ + scrape.series_count() > limits_.max_points) {
    throw Error(ErrorKind::eval,
                fmt::format("recording this scrape would hold {} samples, more than the limit "
                            "of {}: use a shorter --window or a longer interval",
                            points_ + scrape.series_count(), limits_.max_points));
  }
  ++scrapes_;
  std::unordered_set<const StoredSeries*> seen;
  seen.reserve(scrape.series_count());
  for (std::size_t i = 0; i < scrape.series_count(); ++i) {
    const Series& s = scrape.series(i);
    auto [it, inserted] = series_.try_emplace(stored_labels(scrape, s));
    StoredSeries& stored = it->second;
    if (inserted) {
      const Family& family = scrape.families()[s.family];
      stored.family = std::string(scrape.str(family.name));
      stored.type = family.type;
    }
    seen.insert(&stored);
    const int64_t exposed = scrape.timestamp_ms(i);
    const int64_t t = exposed == Series::kNoTimestamp ? time_ms : exposed;
    // Like Prometheus's appender: a sample not after the series' newest one is dropped.
    if (!stored.points.empty() && stored.points.back().t_ms >= t) continue;
    stored.points.push_back(Point{t, s.value});
    ++points_;
  }
  for (auto& [labels, stored] : series_) {
    if (seen.contains(&stored) || stored.points.empty()) continue;
    const Point& last = stored.points.back();
    if (is_stale_marker(last.value) || last.t_ms >= time_ms) continue;
    stored.points.push_back(Point{time_ms, stale_marker()});
    ++points_;
  }
}

void History::add_point(Labels labels, std::string_view family, MetricType type, Point point) {
  std::sort(labels.begin(), labels.end());
  auto [it, inserted] = series_.try_emplace(std::move(labels));
  StoredSeries& stored = it->second;
  if (inserted) {
    stored.family = std::string(family);
    stored.type = type;
  }
  if (!stored.points.empty() && stored.points.back().t_ms >= point.t_ms) {
    throw Error(
        ErrorKind::parse,
        fmt::format("the samples of {} are not in time order ({} ms after {} ms): "
                    "each series' samples must have increasing timestamps",
                    promql::format_series(it->first), point.t_ms, stored.points.back().t_ms));
  }
  if (points_ + 1 > limits_.max_points) {
    throw Error(ErrorKind::eval, fmt::format("the recording holds more than {} samples, the limit",
                                             limits_.max_points));
  }
  stored.points.push_back(point);
  ++points_;
}

std::optional<int64_t> History::newest_ms() const {
  std::optional<int64_t> newest;
  for (const auto& [labels, s] : series_) {
    if (!s.points.empty() && (!newest || s.points.back().t_ms > *newest)) {
      newest = s.points.back().t_ms;
    }
  }
  return newest;
}

std::optional<int64_t> History::oldest_ms() const {
  std::optional<int64_t> oldest;
  for (const auto& [labels, s] : series_) {
    if (!s.points.empty() && (!oldest || s.points.front().t_ms < *oldest)) {
      oldest = s.points.front().t_ms;
    }
  }
  return oldest;
}

void History::drop_old(int64_t newest_ms) {
  int64_t cutoff = newest_ms - limits_.retention_ms;
  for (auto it = series_.begin(); it != series_.end();) {
    auto& points = it->second.points;
    auto keep = std::lower_bound(points.begin(), points.end(), cutoff,
                                 [](const Point& p, int64_t t) { return p.t_ms < t; });
    points_ -= static_cast<std::size_t>(keep - points.begin());
    points.erase(points.begin(), keep);
    bool only_stale = points.size() == 1 && is_stale_marker(points.front().value);
    if (points.empty() || only_stale) {
      points_ -= points.size();
      it = series_.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace e2e3d::live
