#include "promql/label_set_order.hpp"

#include <string>

#include <fmt/format.h>

#include "exposition/two_threads.hpp"
#include "promql/eval.hpp"

namespace e2e3d::promql {
namespace {

std::shared_ptr<const LabelSetOrder> compute(const Scrape& sc, std::span<const uint32_t> series,
                                             std::size_t first_varying) {
  const std::size_t m = series.size();
  auto value_of = [&](std::size_t pos) {
    return sc.str(sc.labels(sc.series(series[pos]))[first_varying].value);
  };
  // The values' prefixes and what they show, each half counted on its own.
  ValuePrefixes prefixes(m);
  ValuePrefixes first_half(0);
  detail::in_two_parts(m, [&](int part, std::size_t begin, std::size_t end) {
    ValuePrefixes& stats = part == 0 ? first_half : prefixes;
    for (std::size_t pos = begin; pos < end; ++pos)
      prefixes.entries[pos] = stats.observe(value_of(pos));
  });
  prefixes.merge(first_half);
  family_order(sc, series, first_varying, prefixes);

  auto order = std::make_shared<LabelSetOrder>();
  order->entries = std::move(prefixes.entries);
  order->values.resize(m);
  detail::in_two_parts(m, [&](int, std::size_t begin, std::size_t end) {
    // The series are read in a random order: ask for them a few ahead.
    constexpr std::size_t kAhead = 16;
    for (std::size_t i = begin; i < end; ++i) {
      if (i + kAhead < end) __builtin_prefetch(&sc.series(order->series(i + kAhead)));
      order->values[i] = sc.series(order->series(i)).value;
    }
  });
  return order;
}

}  // namespace

std::shared_ptr<const LabelSetOrder> label_set_order(const Scrape& sc, std::string_view name,
                                                     std::span<const uint32_t> series,
                                                     std::size_t first_varying) {
  if (name.empty()) return compute(sc, series, first_varying);
  const std::string key = fmt::format("promql.label_set_order {} {}", name, first_varying);
  return std::static_pointer_cast<const LabelSetOrder>(
      sc.derived(key, [&] { return compute(sc, series, first_varying); }));
}

}  // namespace e2e3d::promql
