#pragma once
// `show` over a fleet: one row per target (its figures, or why it could not be scraped) above
// the whole fleet's report.

#include <string>
#include <vector>

#include "cli/style.hpp"
#include "cli/targets.hpp"
#include "e2e3d/show_report.hpp"

namespace e2e3d::cli {

struct FleetReport {
  ShowReport fleet;                                // over every target's series together
  std::vector<std::optional<ShowReport>> targets;  // in the round's order; nullopt: not scraped
};

FleetReport build_fleet_report(const ScrapeRound& round, double now_seconds);

std::string render_fleet_text(const ScrapeRound& round, const FleetReport& report,
                              const Style& style);

// The fleet's `show` JSON (the single-target keys, over the whole fleet) plus "targets": one
// object per target with instance, url, up, error and its own jobs and process figures.
std::string fleet_report_json(const ScrapeRound& round, const FleetReport& report);

}  // namespace e2e3d::cli
