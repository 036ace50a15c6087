#pragma once
// A percentage of two figures that may be unknown: unknown when either is, or when the whole is
// zero (no job ran yet), never a made-up 0.

#include <optional>

namespace e2e3d {

inline std::optional<double> percent_of(std::optional<double> part, std::optional<double> whole) {
  if (!part || !whole || *whole == 0) return std::nullopt;
  return *part / *whole * 100.0;
}

}  // namespace e2e3d
