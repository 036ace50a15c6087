// Label values are data from the target (or from Prometheus, or a file): whatever bytes they
// hold, no output may take them for its own syntax. A '|' or a line break must not forge a
// Nagios status or performance datum, and no escape sequence may reach a terminal.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "robustness/temp_file.hpp"
#include "support/child_process.hpp"

using namespace e2e3d::test;

namespace {

// Two series whose label values carry a forged plugin line and perfdata separators (the text
// format's \n escape is a line break in the value). A scrape with raw control bytes is refused
// as binary, so escape sequences come through PromQL instead: label_replace sets one (kEsc).
const std::string kHostile =
    "# TYPE e2e3d_active_jobs gauge\n"
    "e2e3d_active_jobs{status=\"ok | fake=1;2;3\"} 3\n"
    "e2e3d_active_jobs{status=\"x\\nE2E3D-METRICS CRITICAL - fake\"} 4\n";
const std::string kEsc =
    "label_replace(e2e3d_active_jobs, \"tty\", \"\\x1b[2J\\x1b]0;owned\\x07\", \"\", \"\")";

bool has_control(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\n') || u == 0x7f;
  });
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("the Nagios line of check --value cannot be forged by label values") {
  TempFile scrape("hostile.txt", kHostile);
  auto r = run_tool({"check", "--file", scrape.path(), "--value", "e2e3d_active_jobs", "--warning",
                     "10", "-o", "nagios"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(lines(r.out) == 1);  // one status line: no long output was forged
  CHECK(r.out.rfind("E2E3D-METRICS OK - ", 0) == 0);
  CHECK(std::count(r.out.begin(), r.out.end(), '|') == 1);  // only the perfdata separator
  // The forged status survives only as escaped text inside the one line.
  CHECK(r.out.find("\nE2E3D-METRICS CRITICAL") == std::string::npos);
  CHECK_FALSE(has_control(r.out));
  // Each datum is label=value;warn;crit: exactly two ';' per datum, none from a label.
  std::string perf = r.out.substr(r.out.find('|') + 1);
  CHECK(std::count(perf.begin(), perf.end(), ';') == 4);
  CHECK(std::count(perf.begin(), perf.end(), '=') == 2);
}

TEST_CASE("query's text output escapes what label values hold") {
  TempFile scrape("hostile.txt", kHostile);
  auto r = run_tool({"query", "--file", scrape.path(), kEsc});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(lines(r.out) == 2);
  CHECK_FALSE(has_control(r.out));
}

TEST_CASE("alerts' text output escapes labels and annotations") {
  TempFile scrape("hostile.txt", kHostile);
  TempFile rules("rules.yml",
                 "groups:\n- name: g\n  rules:\n  - alert: Busy\n    expr: '" + kEsc +
                     " > 0'\n    annotations:\n      summary: 'jobs of {{ $labels.status }} "
                     "{{ $labels.tty }}'\n");
  auto r = run_tool({"alerts", "--file", scrape.path(), "--rules", rules.path()});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK_FALSE(has_control(r.out));
  CHECK(r.out.find("\nE2E3D-METRICS CRITICAL - fake") == std::string::npos);
  CHECK(r.out.find("\\nE2E3D-METRICS CRITICAL - fake") != std::string::npos);
}

TEST_CASE("the fleet table escapes instance labels from a targets file") {
  TempFile sd("targets.json",
              "[{\"targets\": [\"127.0.0.1:1\"], \"labels\": {\"instance\": "
              "\"evil\\u001b[2J\\nE2E3D-METRICS CRITICAL - fake\"}}]");
  auto r = run_tool({"show", "--targets-file", sd.path(), "--color", "never", "--timeout", "2"});
  INFO(r.out << r.err);
  CHECK_FALSE(has_control(r.out));
  CHECK(r.out.find("\nE2E3D-METRICS CRITICAL - fake") == std::string::npos);
  CHECK(r.out.find("evil\\x1b[2J\\nE2E3D-METRICS CRITICAL - fake") != std::string::npos);
}
