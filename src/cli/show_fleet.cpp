#include "cli/show_fleet.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "cli/human_units.hpp"
#include "cli/show_text.hpp"
#include "e2e3d/error.hpp"

namespace e2e3d::cli {
namespace {

std::string cell(const std::optional<double>& v, std::string (*format)(double)) {
  return v ? format(*v) : std::string("-");
}

}  // namespace

FleetReport build_fleet_report(const ScrapeRound& round, double now_seconds) {
  FleetReport report;
  report.fleet =
      build_show_report(round.scrape, fmt::format("{} targets", round.targets.size()), now_seconds);
  std::vector<const ShowReport*> up;
  for (const auto& t : round.targets) {
    if (t.scrape) {
      report.targets.push_back(build_show_report(*t.scrape, redact_url(t.target.url), now_seconds));
    } else {
      report.targets.push_back(std::nullopt);
    }
  }
  for (const auto& r : report.targets) {
    if (r) up.push_back(&*r);
  }
  set_fleet_figures(report.fleet, up);
  return report;
}

std::string render_fleet_text(const ScrapeRound& round, const FleetReport& report,
                              const Style& style) {
  std::size_t width = 8;
  for (const auto& t : round.targets)
    width = std::max(width, one_line(instance_of(t.target)).size());
  std::string out =
      style.bold(fmt::format("Targets ({} of {} up)", round.targets.size() - round.failed,
                             round.targets.size())) +
      "\n";
  out += fmt::format("  {:<{}}  {:<4} {:>8} {:>9} {:>9} {:>7} {:>12} {:>11}\n", "instance", width,
                     "up", "jobs", "success", "failure", "active", "avg duration", "memory");
  for (std::size_t i = 0; i < round.targets.size(); ++i) {
    const TargetScrape& t = round.targets[i];
    // Labels come from the targets file or from Prometheus: control characters stay escaped.
    std::string name = fmt::format("{:<{}}", one_line(instance_of(t.target)), width);
    if (!report.targets[i]) {
      out += fmt::format("  {}  {} {}\n", name, style.red("DOWN"),
                         one_line(t.error.value_or("not scraped")));
      continue;
    }
    const ShowReport& r = *report.targets[i];
    out += fmt::format(
        "  {}  {:<4} {:>8} {:>9} {:>9} {:>7} {:>12} {:>11}\n", name, "yes",
        cell(r.jobs.total, human_count), cell(r.jobs.success_rate_percent, human_percent),
        cell(r.jobs.failure_rate_percent, human_percent), cell(r.jobs.active, human_count),
        cell(r.jobs.average_duration_seconds, human_duration),
        cell(r.process.resident_memory_bytes, human_bytes));
  }
  out += "\n" + style.bold("Fleet (the targets that are up, summed)") + "\n";
  FetchInfo info;
  info.source = report.fleet.source;
  for (const auto& t : round.targets) {
    info.bytes += t.info.bytes;
    info.seconds = std::max(info.seconds, t.seconds);
  }
  out += render_show_text(report.fleet, info, style);
  return out;
}

std::string fleet_report_json(const ScrapeRound& round, const FleetReport& report) {
  using nlohmann::ordered_json;
  ordered_json j = ordered_json::parse(show_report_json(report.fleet));
  ordered_json targets = ordered_json::array();
  for (std::size_t i = 0; i < round.targets.size(); ++i) {
    const TargetScrape& t = round.targets[i];
    ordered_json entry;
    entry["instance"] = instance_of(t.target);
    entry["url"] = redact_url(t.target.url);
    ordered_json labels = ordered_json::object();
    for (const auto& [name, value] : t.target.labels)
      labels[name] = value;
    entry["labels"] = labels;
    entry["up"] = t.scrape.has_value();
    entry["error"] = t.error ? ordered_json(*t.error) : ordered_json();
    entry["seconds"] = t.seconds;
    if (report.targets[i]) {
      ordered_json own = ordered_json::parse(show_report_json(*report.targets[i]));
      entry["jobs"] = own["jobs"];
      entry["process"] = own["process"];
      entry["missing"] = own["missing"];
    } else {
      entry["jobs"] = nullptr;
      entry["process"] = nullptr;
      entry["missing"] = nullptr;
    }
    targets.push_back(entry);
  }
  j["targets"] = targets;
  return j.dump(2);
}

}  // namespace e2e3d::cli
