// The engine's side of samples over time: the staleness marker and the instant view.
#include "e2e3d/promql/series_store.hpp"

#include <algorithm>
#include <bit>
#include <unordered_map>

namespace e2e3d::promql {
namespace {

// value.StaleNaN in Prometheus's model/value package.
constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002ULL;

}  // namespace

double stale_marker() {
  return std::bit_cast<double>(kStaleNaNBits);
}

bool is_stale_marker(double value) {
  return std::bit_cast<uint64_t>(value) == kStaleNaNBits;
}

Scrape SeriesStore::instant_view(int64_t time_ms) const {
  Scrape view;
  auto& builder = view.builder();
  builder.set_format(ExpositionFormat::openmetrics);
  std::unordered_map<std::string_view, uint32_t> families;
  std::vector<LabelRef> refs;
  for (const auto& [labels, s] : series()) {
    auto after = std::upper_bound(s.points.begin(), s.points.end(), time_ms,
                                  [](int64_t t, const Point& p) { return t < p.t_ms; });
    if (after == s.points.begin()) continue;
    const Point& p = *(after - 1);
    if (p.t_ms < time_ms - kLookbackMs || is_stale_marker(p.value)) continue;
    auto family = families.find(s.family);
    if (family == families.end()) {
      family = families.emplace(s.family, builder.add_family(s.family, s.type)).first;
    }
    refs.clear();
    for (const auto& [name, value] : labels) {
      if (name == "__name__") continue;
      refs.push_back(LabelRef{builder.intern(name), builder.intern(value)});
    }
    builder.add_series(family->second, builder.intern(metric_name(labels)), refs, p.value, p.t_ms);
  }
  builder.finish();
  return view;
}

}  // namespace e2e3d::promql
