// The live figures of one moment of a watch or a recording.
#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "e2e3d/catalog.hpp"
#include "e2e3d/live/live_frame.hpp"
#include "e2e3d/rules/duration.hpp"

namespace e2e3d::live {

const LiveFigure* LiveFrame::find(std::string_view id) const {
  for (const auto& f : figures) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

LiveFrame evaluate_live(const History& history, const Scrape& latest, int64_t window_ms,
                        std::optional<int64_t> time_ms) {
  LiveFrame frame;
  frame.window_ms = window_ms;
  frame.scrapes = history.scrape_count();
  auto newest = history.newest_ms();
  auto oldest = history.oldest_ms();
  if (!newest || !oldest) return frame;
  frame.time_ms = time_ms.value_or(*newest);
  frame.covered_ms = std::max<int64_t>(0, frame.time_ms - *oldest);
  std::vector<catalog::ResolvedName> names = catalog::resolve_names(latest);
  std::string window = rules::format_duration(window_ms);
  Scrape view = history.instant_view(frame.time_ms);
  for (const auto& q : catalog::live_queries()) {
    LiveFigure figure{std::string(q.id), std::string(q.title),
                      catalog::rewrite_expression(catalog::live_expression(q, window), names),
                      std::nullopt, std::nullopt};
    try {
      promql::Value value =
          promql::evaluate(history, view, figure.expr, {.time_ms = frame.time_ms});
      const auto* vector = std::get_if<promql::Vector>(&value);
      if (vector && vector->size() == 1 && std::isfinite((*vector)[0].value)) {
        figure.value = (*vector)[0].value;
      }
    } catch (const Error& e) {
      figure.error = e.what();
    }
    frame.figures.push_back(std::move(figure));
  }
  return frame;
}

std::string live_frame_json(const LiveFrame& frame) {
  nlohmann::ordered_json j;
  j["time"] = static_cast<double>(frame.time_ms) / 1000;
  j["scrapes"] = frame.scrapes;
  j["window_seconds"] = static_cast<double>(frame.window_ms) / 1000;
  j["covered_seconds"] = static_cast<double>(frame.covered_ms) / 1000;
  nlohmann::ordered_json figures = nlohmann::ordered_json::object();
  for (const auto& f : frame.figures) {
    figures[f.id] = f.value ? nlohmann::ordered_json(*f.value) : nlohmann::ordered_json(nullptr);
  }
  j["figures"] = figures;
  nlohmann::ordered_json errors = nlohmann::ordered_json::object();
  for (const auto& f : frame.figures) {
    if (f.error) errors[f.id] = *f.error;
  }
  j["errors"] = errors;
  j["scrape_error"] =
      frame.scrape_error ? nlohmann::ordered_json(*frame.scrape_error) : nlohmann::ordered_json();
  return j.dump();
}

}  // namespace e2e3d::live
