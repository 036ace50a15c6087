#include "cli/doctor_fleet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/doctor_text.hpp"
#include "cli/targets.hpp"
#include "e2e3d/error.hpp"

namespace e2e3d::cli {
namespace {

// Each target's checks already run concurrently; a few targets at once keeps the thread count
// sane for a fleet of hundreds.
constexpr std::size_t kTargetsAtOnce = 8;

struct TargetRun {
  std::shared_ptr<doctor::Context> context;  // null: doctor could not even start on the target
  doctor::Report report;
  std::string name;  // the URL without credentials
};

// A target doctor cannot start on (a discovered file:// URL) is its own failed row; the others
// are still checked.
doctor::Report unusable_target(const Error& error) {
  return doctor::summarize({{"http.endpoint", doctor::Status::fail,
                             "doctor cannot check this target's URL", error.what(),
                             "doctor checks http:// and https:// targets: fix the URL where the "
                             "target list comes from"}});
}

}  // namespace

int run_doctor_fleet(const GlobalOptions& global, const std::vector<FleetTarget>& targets,
                     const std::function<doctor::Options(const FleetTarget&)>& options_for) {
  std::vector<TargetRun> runs(targets.size());
  // Each context is made when its target's turn comes: the run's deadline starts with it, so
  // every target gets the whole --timeout however many wait before it.
  std::vector<doctor::Options> options(targets.size());
  for (std::size_t i = 0; i < targets.size(); ++i) {
    options[i] = options_for(targets[i]);
    runs[i].name = redact_url(targets[i].url);
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (std::size_t w = 0; w < std::min(kTargetsAtOnce, targets.size()); ++w) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < runs.size(); i = next++) {
        try {
          runs[i].context = std::make_shared<doctor::Context>(std::move(options[i]));
        } catch (const Error& e) {
          runs[i].report = unusable_target(e);
          continue;
        }
        runs[i].report = doctor::run(runs[i].context);
      }
    });
  }
  for (auto& w : workers)
    w.join();

  int exit_code = 0;
  int unfinished = 0;
  for (const auto& r : runs) {
    exit_code = std::max(exit_code, r.report.exit_code);
    unfinished += r.report.unfinished;
  }
  if (!global.quiet && global.output == "json") {
    nlohmann::ordered_json out;
    out["status"] = exit_code == 0 ? "pass" : exit_code == 1 ? "warn" : "fail";
    out["exit_code"] = exit_code;
    // "checks" keeps the single-target shape ARCHITECTURE.md promises, every check of every
    // target with its instance, so `jq '.checks[] | select(.status == "fail")'` works on both.
    nlohmann::ordered_json checks = nlohmann::ordered_json::array();
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < runs.size(); ++i) {
      auto report = nlohmann::ordered_json::parse(doctor::to_json(runs[i].report));
      for (auto check : report["checks"]) {
        check["instance"] = instance_of(targets[i]);
        checks.push_back(std::move(check));
      }
      list.push_back({{"instance", instance_of(targets[i])},
                      {"url", redact_url(targets[i].url)},
                      {"report", std::move(report)}});
    }
    out["checks"] = checks;
    out["targets"] = list;
    fmt::print("{}\n", out.dump(2));
  } else if (!global.quiet) {
    Style style(use_color(global, stdout));
    // The checklists of the targets that need attention, then the fleet at a glance.
    for (const auto& r : runs) {
      if (r.report.status != doctor::Status::pass || global.verbose) {
        fmt::print("{}\n", doctor_text_report(r.report, r.name, style, global.verbose));
      }
    }
    std::size_t width = 8;
    for (const auto& t : targets)
      width = std::max(width, one_line(instance_of(t)).size());
    fmt::print("{}\n", style.bold(fmt::format("e2e3d-metrics doctor: {} targets", runs.size())));
    int passed = 0;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const doctor::Report& report = runs[i].report;
      passed += report.status == doctor::Status::pass;
      std::string first_problem;
      for (const auto& result : report.results) {
        if (result.status == doctor::Status::fail ||
            (first_problem.empty() && result.status == doctor::Status::warn)) {
          first_problem = fmt::format("{}: {}", result.id, result.summary);
          if (result.status == doctor::Status::fail) break;
        }
      }
      fmt::print("  {:<{}}  {}  {}\n", one_line(instance_of(targets[i])), width,
                 doctor_verdict(report.status, style), one_line(first_problem));
    }
    fmt::print("{} of {} targets passed\n", passed, runs.size());
  }
  std::fflush(stdout);
  if (unfinished > 0) std::quick_exit(exit_code);
  return exit_code;
}

}  // namespace e2e3d::cli
