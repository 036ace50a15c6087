#include "cli/live_text.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "cli/human_units.hpp"
#include "cli/sparkline.hpp"

namespace e2e3d::cli {
namespace {

constexpr int kLabelWidth = 22;
constexpr int kValueWidth = 15;

std::string format_figure(const std::string& id, double v) {
  if (id == "failure_ratio_percent" || id == "cpu_percent") return human_percent(v);
  if (id == "resident_memory_bytes") return human_bytes(v);
  if (id == "memory_trend_bytes_per_second") {
    return fmt::format("{}{}/s", v < 0 ? "-" : "+", human_bytes(std::fabs(v)));
  }
  return human_count(v);
}

std::string utc_time(int64_t ms) {
  auto tp = std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
  return fmt::format("{:%Y-%m-%d %H:%M:%S} UTC", std::chrono::floor<std::chrono::seconds>(tp));
}

}  // namespace

void LiveTrail::add(const LiveFrame& frame) {
  for (const auto& f : frame.figures) {
    auto& v = values_[f.id];
    v.push_back(f.value);
    if (v.size() > length_) v.erase(v.begin());
  }
}

const std::vector<std::optional<double>>& LiveTrail::values(const std::string& id) const {
  static const std::vector<std::optional<double>> kNone;
  auto it = values_.find(id);
  return it == values_.end() ? kNone : it->second;
}

std::string render_live_text(const LiveFrame& frame, const LiveTrail& trail,
                             const LiveHeader& header, const Style& style) {
  std::string out = style.bold(header.source) + "  " + style.dim(header.schedule);
  if (frame.time_ms != 0) out += "  " + utc_time(frame.time_ms);
  out += "\n";
  out += fmt::format("  {} scrapes, covering {}\n", frame.scrapes,
                     human_duration(static_cast<double>(frame.covered_ms) / 1000));
  if (frame.scrape_error)
    out += "  " + style.red("scrape failed") + " " + *frame.scrape_error + "\n";
  out += "\n";
  if (frame.scrapes < 2) out += "  " + style.dim("rates and trends need a second scrape") + "\n";
  std::string_view unknown = "unknown";
  for (const auto& f : frame.figures) {
    std::string value = f.value ? format_figure(f.id, *f.value) : std::string();
    std::string shown = f.value ? fmt::format("{:<{}}", value, kValueWidth)
                                : style.yellow(fmt::format("{:<{}}", unknown, kValueWidth));
    out += fmt::format("  {:<{}} {} {}\n", f.title, kLabelWidth - 2, shown,
                       sparkline(trail.values(f.id)));
  }
  for (const auto& f : frame.figures) {
    if (f.error) out += fmt::format("  {} {}: {}\n", style.red("error"), f.id, *f.error);
  }
  return out;
}

}  // namespace e2e3d::cli
