#pragma once
// `doctor` over several targets: the checklist for each target, at once, and a summary.

#include <functional>
#include <vector>

#include "cli/global_options.hpp"
#include "e2e3d/doctor/doctor.hpp"
#include "e2e3d/fleet.hpp"

namespace e2e3d::cli {

// Runs the checklist for every target (the options `options_for` gives it), a few targets at
// a time, prints the troubled targets' checklists and one summary line per target (text), or
// {"status", "exit_code", "checks": [every target's checks, each with its "instance"],
// "targets": [{instance, url, report}]} (json). Returns the worst exit code of the targets.
int run_doctor_fleet(const GlobalOptions& global, const std::vector<FleetTarget>& targets,
                     const std::function<doctor::Options(const FleetTarget&)>& options_for);

}  // namespace e2e3d::cli
