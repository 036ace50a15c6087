// lint() against the real promtool: on every text fixture and on a file made of problems, our
// findings (the checks promtool makes) are exactly the lines `promtool check metrics` prints.

#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "e2e3d/exposition_lint.hpp"
#include "e2e3d/exposition_parser.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;

namespace {

std::set<std::string> ours(const std::string& text) {
  std::set<std::string> lines;
  for (const LintFinding& finding : lint(parse_exposition(text))) {
    if (lint_check_is_promtool(finding.check)) lines.insert(finding.metric + " " + finding.message);
  }
  return lines;
}

std::set<std::string> promtool(const std::string& text) {
  const auto result = test::run({"promtool", "check", "metrics"}, {}, text);
  INFO(result.err);
  REQUIRE((result.exit_code == 0 || result.exit_code == 3));
  std::set<std::string> lines;
  std::istringstream in(result.out + result.err);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.insert(line);
  }
  return lines;
}

const char* const kProblems =
    "# TYPE fooCamel_counter counter\n"
    "fooCamel_counter{aB=\"1\"} 1\n"
    "# HELP a_bucket x\n"
    "a_bucket{le=\"1\"} 1\n"
    "b_ms{quantile=\"1\"} 2\n"
    "# HELP c_minutes_total x\n"
    "# TYPE c_minutes_total gauge\n"
    "c_minutes_total 1\n"
    "d:e 1\n"
    "# HELP k_kilobytes x\n"
    "# TYPE k_kilobytes gauge\n"
    "k_kilobytes{le=\"1\",quantile=\"2\"} 1\n"
    "# HELP s_sum x\n"
    "# TYPE s_sum gauge\n"
    "s_sum 1\n"
    "# HELP q_count x\n"
    "# TYPE q_count summary\n"
    "q_count 1\n"
    "# HELP h_bucket x\n"
    "# TYPE h_bucket gauge\n"
    "h_bucket 1\n"
    "# HELP latency_milliseconds x\n"
    "# TYPE latency_milliseconds histogram\n"
    "latency_milliseconds_bucket{le=\"+Inf\"} 1\n"
    "latency_milliseconds_sum 1\n"
    "latency_milliseconds_count 1\n"
    "# HELP size_MB x\n"
    "# TYPE size_MB gauge\n"
    "size_MB 1\n"
    "# HELP thing_gauge_value x\n"
    "# TYPE thing_gauge_value gauge\n"
    "thing_gauge_value 1\n"
    "# HELP raw_untyped x\n"
    "raw_untyped 1\n"
    "# HELP entropy_bits x\n"
    "# TYPE entropy_bits gauge\n"
    "entropy_bits 1\n"
    "# HELP kilobytes_free x\n# TYPE kilobytes_free gauge\nkilobytes_free 1\n"
    "# HELP x_Milliseconds x\n# TYPE x_Milliseconds gauge\nx_Milliseconds 1\n"
    "# HELP y_MS x\n# TYPE y_MS gauge\ny_MS 1\n"
    "# HELP cnt_Counter x\n# TYPE cnt_Counter counter\ncnt_Counter 1\n"
    "# HELP u_untyped x\n# TYPE u_untyped untyped\nu_untyped 1\n"
    "# HELP empty_help \n"
    "# TYPE empty_help gauge\n"
    "empty_help 1\n";

}  // namespace

TEST_CASE("lint finds what promtool check metrics finds", "[exposition][lint]") {
  for (const char* name :
       {"e2e3d_python.txt", "node_exporter.txt", "prometheus.txt", "prometheus.om.txt"}) {
    INFO(name);
    const std::string text = test::read_file(test::fixture_path(name));
    CHECK(ours(text) == promtool(text));
  }
  const auto expected = promtool(kProblems);
  CHECK(expected.size() >= 20);
  CHECK(ours(kProblems) == expected);
}

TEST_CASE("lint reports a non-base unit even next to a base unit", "[exposition][lint]") {
  // promtool reports this one or not depending on Go's map order; we always do.
  const auto findings =
      lint(parse_exposition("# HELP z_seconds_minutes x\n# TYPE z_seconds_minutes gauge\n"
                            "z_seconds_minutes 1\n"));
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].check == "base_unit");
  CHECK(findings[0].message == "use base unit \"seconds\" instead of \"minutes\"");
}

TEST_CASE("lint of the E2E3D captures", "[exposition][lint]") {
  // The Python client names and documents everything as promtool wants, in both formats.
  for (const char* name : {"e2e3d_python.txt", "e2e3d_python.om.txt"}) {
    INFO(name);
    CHECK(lint(parse_exposition(test::read_file(test::fixture_path(name)))).empty());
  }
  // node_exporter's camelCase names, with promtool's wording and a stable id.
  const auto findings =
      lint(parse_exposition(test::read_file(test::fixture_path("node_exporter.txt"))));
  const auto it = std::find_if(findings.begin(), findings.end(), [](const LintFinding& f) {
    return f.metric == "node_memory_MemFree_bytes";
  });
  REQUIRE(it != findings.end());
  CHECK(it->check == "camel_case_name");
  CHECK(it->message == "metric names should be written in 'snake_case' not 'camelCase'");
}

TEST_CASE("lint: counters in OpenMetrics, histogram and summary structure", "[exposition][lint]") {
  const auto findings = lint(parse_exposition(
      "# HELP jobs Jobs.\n# TYPE jobs counter\njobs_total 1\n"
      "# HELP lat Latency.\n# TYPE lat histogram\nlat_bucket{le=\"1\"} 1\nlat_bucket 2\n"
      "lat_count 2\nlat_sum 1\n"
      "# HELP q Quantiles.\n# TYPE q summary\nq 1\nq_count 1\nq_sum 1\n"
      "# EOF\n"));
  std::set<std::pair<std::string, std::string_view>> got;
  for (const auto& f : findings)
    got.emplace(f.metric, f.check);
  const std::set<std::pair<std::string, std::string_view>> expected{
      {"lat", "histogram_le"}, {"lat", "histogram_inf"}, {"q", "summary_quantile"}};
  CHECK(got == expected);  // no "counter_total" for the OpenMetrics family `jobs`
  for (const auto& f : findings) {
    CHECK(std::find(std::begin(kLintChecks), std::end(kLintChecks), f.check) !=
          std::end(kLintChecks));
    CHECK_FALSE(lint_check_is_promtool(f.check));
  }
}
