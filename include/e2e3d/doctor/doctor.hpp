#pragma once
// `doctor`: the spec's troubleshooting checklist as one run. A registry of checks (fixed ids,
// prerequisites), a runner that runs them concurrently within the timeout, a Report, and
// renderers to JSON and JUnit XML (strings; the CLI prints them).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/doctor/context.hpp"
#include "e2e3d/doctor/options.hpp"
#include "e2e3d/doctor/result.hpp"

namespace e2e3d::doctor {

using CheckFunction = Result (*)(Context&);

struct CheckSpec {
  std::string_view id;
  std::string_view title;               // what the check verifies, for the text checklist and JUnit
  std::vector<std::string_view> needs;  // ids whose failure makes this check `skip`
  CheckFunction run;
};

// Every check, in checklist order.
const std::vector<CheckSpec>& checks();
const CheckSpec* find_check(std::string_view id);

struct Report {
  Status status = Status::pass;  // pass, warn or fail (never skip)
  int exit_code = 0;             // 0 pass, 1 warnings only, 2 any failure
  std::vector<Result> results;   // in checklist order
  double seconds = 0;
  // Checks still running when the deadline passed; their threads end on their own, so a caller
  // about to exit should not run static destructors under them (std::quick_exit).
  int unfinished = 0;
};

// Runs the selected checks (options.only / options.skip) concurrently. Returns within
// options.timeout_seconds plus `margin_seconds` even when a probe hangs: an unfinished check
// is reported as failed for not finishing. Throws e2e3d::Error (config) for an unknown check id.
Report run(std::shared_ptr<Context> context, double margin_seconds = 0.3);

// Convenience: builds the context (throws for a bad URL) and runs.
Report run(Options options, double margin_seconds = 0.3);

// Overall status and exit code of a list of results.
Report summarize(std::vector<Result> results);

// {"status":"pass|warn|fail","exit_code":N,"checks":[{"id","status","summary","detail","fix"}]}
std::string to_json(const Report& report);
// One <testsuite>, one <testcase> per check: fail -> <failure>, skip -> <skipped>,
// warn -> passed with the warning in <system-out>.
std::string to_junit(const Report& report);

}  // namespace e2e3d::doctor
