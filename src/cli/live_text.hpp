#pragma once
// The text of one live frame (`show --watch`, `show --replay`): each live figure with its
// value and a sparkline of its recent values.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/style.hpp"
#include "e2e3d/live/live_frame.hpp"

namespace e2e3d::cli {

using live::LiveFrame;

// The recent values of every figure, for the sparklines; the oldest drop out.
class LiveTrail {
 public:
  explicit LiveTrail(std::size_t length = 40) : length_(length) {}
  void add(const LiveFrame& frame);
  const std::vector<std::optional<double>>& values(const std::string& id) const;

 private:
  std::size_t length_;
  std::map<std::string, std::vector<std::optional<double>>> values_;
};

struct LiveHeader {
  std::string source;    // the URL (credentials removed), or "N targets"
  std::string schedule;  // "every 5s, window 5m"
};

std::string render_live_text(const LiveFrame& frame, const LiveTrail& trail,
                             const LiveHeader& header, const Style& style);

}  // namespace e2e3d::cli
