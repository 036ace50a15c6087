// histogram_quantile() over classic `le` buckets: Prometheus 2.42's funcHistogramQuantile and
// bucketQuantile (promql/quantile.go), edge cases included: q outside [0,1], no +Inf bucket,
// fewer than two buckets, zero observations, and non-monotonic counts (made monotonic).
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "promql/eval.hpp"
#include "promql/go_text.hpp"

namespace e2e3d::promql {
namespace {

struct Bucket {
  double upper_bound;
  double count;
};

double bucket_quantile(double q, std::vector<Bucket>& buckets) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  if (q < 0) return -inf;
  if (q > 1) return inf;
  std::stable_sort(buckets.begin(), buckets.end(),
                   [](const Bucket& a, const Bucket& b) { return a.upper_bound < b.upper_bound; });
  if (!(std::isinf(buckets.back().upper_bound) && buckets.back().upper_bound > 0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  // coalesceBuckets: equal bounds (le="1" and le="1.0") add up.
  std::size_t n = 0;
  Bucket last = buckets[0];
  for (std::size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].upper_bound == last.upper_bound) {
      last.count += buckets[i].count;
    } else {
      buckets[n++] = last;
      last = buckets[i];
    }
  }
  buckets[n++] = last;
  buckets.resize(n);
  // ensureMonotonic
  double max = -inf;
  for (auto& b : buckets) {
    if (b.count > max) {
      max = b.count;
    } else if (b.count < max) {
      b.count = max;
    }
  }
  if (buckets.size() < 2) return std::numeric_limits<double>::quiet_NaN();
  double observations = buckets.back().count;
  if (observations == 0) return std::numeric_limits<double>::quiet_NaN();
  double rank = q * observations;
  // sort.Search over all but the last bucket.
  std::size_t b = 0;
  std::size_t hi = buckets.size() - 1;
  while (b < hi) {
    std::size_t mid = b + (hi - b) / 2;
    if (!(buckets[mid].count >= rank)) {
      b = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (b == buckets.size() - 1) return buckets[buckets.size() - 2].upper_bound;
  if (b == 0 && buckets[0].upper_bound <= 0) return buckets[0].upper_bound;
  double bucket_start = 0;
  double bucket_end = buckets[b].upper_bound;
  double count = buckets[b].count;
  if (b > 0) {
    bucket_start = buckets[b - 1].upper_bound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucket_start + (bucket_end - bucket_start) * (rank / count);
}

}  // namespace

IVector histogram_quantile(double q, const IVector& in) {
  struct Group {
    LabelSet labels;
    std::vector<Bucket> buckets;
  };
  std::unordered_map<std::string, std::size_t> index;
  std::vector<Group> groups;
  static const std::vector<std::string> kLe = {"le"};
  for (const auto& s : in) {
    auto upper = parse_go_float(get(s.labels, "le"));
    if (!upper) continue;  // no or malformed `le`: skipped, as Prometheus does
    // The group key keeps __name__: foo_bucket and bar_bucket never mix.
    std::string key;
    for (const auto& l : s.labels) {
      if (l.name == "le") continue;
      key += l.name;
      key += '\xff';
      key += l.value;
      key += '\xff';
    }
    auto [it, inserted] = index.emplace(std::move(key), groups.size());
    if (inserted) {
      Group g;
      g.labels = s.labels;
      drop_metric_name(g.labels);
      del_label(g.labels, "le");
      groups.push_back(std::move(g));
    }
    groups[it->second].buckets.push_back(Bucket{*upper, s.value});
  }
  IVector out;
  for (auto& g : groups) {
    if (g.buckets.empty()) continue;
    out.push_back(ISample{std::move(g.labels), bucket_quantile(q, g.buckets)});
  }
  return out;
}

}  // namespace e2e3d::promql
