#pragma once
// The series of one family in label-set order, with their values in that order: what a sum or
// an average over a big family needs to add its values in Prometheus's order. show's average
// job duration and its durations by status read the same million job series, so the order
// of a selection by name is computed once per scrape and shared (Scrape::derived); the passes
// over all series use a second thread.

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "e2e3d/scrape.hpp"
#include "exposition/recycled_memory.hpp"

namespace e2e3d::promql {

struct LabelSetOrder {
  // In label-set order (stable): the scrape indices in the low 32 bits, and their values.
  std::vector<uint64_t, detail::RecyclingAllocator<uint64_t>> entries;
  std::vector<double, detail::RecyclingAllocator<double>> values;

  std::size_t size() const { return entries.size(); }
  uint32_t series(std::size_t i) const { return static_cast<uint32_t>(entries[i]); }
};

// `series`: scrape indices in exposition order of series that all have the same name and
// label names and no empty label value, of which label `first_varying` is the first whose
// value is not the same everywhere (family_order's contract). When `name` is not empty,
// `series` is scrape.series_named(name) and the result is shared by every caller.
std::shared_ptr<const LabelSetOrder> label_set_order(const Scrape& sc, std::string_view name,
                                                     std::span<const uint32_t> series,
                                                     std::size_t first_varying);

}  // namespace e2e3d::promql
