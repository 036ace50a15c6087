// Annotation templates expanded by us and by Prometheus's own template engine (promtool test
// rules), compared byte for byte: promtool passes only when every annotation we expected is the
// one it rendered. Precisions and widths far past a double's digits are where a fixed buffer once
// printed uninitialised stack (issue 16).
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "e2e3d/rules/template.hpp"
#include "support/child_process.hpp"
#include "temp_dir.hpp"

using namespace e2e3d;

namespace {

// Values as promtool's series notation writes them, and as we hold them.
struct Value {
  std::string text;
  double value;
};

const std::vector<Value> kValues = {
    {"0.3", 0.3},
    {"1e300", 1e300},
    {"-1e300", -1e300},
    {"5e-324", 5e-324},
    {"1.7976931348623157e308", 1.7976931348623157e308},
    {"2.5", 2.5},
    {"-0.125", -0.125},
    {"1234567.891", 1234567.891},
    {"1e-7", 1e-7},
    {"0", 0},
    {"100", 100},
};

const std::vector<std::string> kTemplates = {
    "{{ $value }}",
    "{{ printf \"%f\" $value }}",
    "{{ printf \"%.500f\" $value }}",
    "{{ printf \"%.1100f\" $value }}",
    "{{ printf \"%.1000e\" $value }}",
    "{{ printf \"%.20E\" $value }}",
    "{{ printf \"%.800g\" $value }}",
    "{{ printf \"%.30G\" $value }}",
    "{{ printf \"%.17v\" $value }}",
    "{{ printf \"%.0f|%.0e|%.0g\" $value $value $value }}",
    "{{ printf \"%e|%g|%v\" $value $value $value }}",
    "{{ printf \"%3000.2f|\" $value }}",
    "{{ printf \"%-2000.3e|\" $value }}",
    "{{ printf \"%+0900.400f\" $value }}",
    "{{ printf \"% .3g|%08.3f\" $value $value }}",
    "{{ $value | humanize }} {{ $value | humanize1024 }} {{ $value | humanizePercentage }}",
};

}  // namespace

TEST_CASE("printf of floats at any precision and width renders as promtool renders it") {
  nlohmann::json annotations = nlohmann::json::object();
  for (std::size_t t = 0; t < kTemplates.size(); ++t)
    annotations[fmt::format("t{}", t)] = kTemplates[t];
  nlohmann::json rule = {{"alert", "A"}, {"expr", "m"}, {"annotations", annotations}};
  nlohmann::json rules = {{"groups", {{{"name", "g"}, {"rules", {rule}}}}}};

  nlohmann::json series = nlohmann::json::array();
  nlohmann::json expected = nlohmann::json::array();
  for (std::size_t v = 0; v < kValues.size(); ++v) {
    std::string id = std::to_string(v);
    series.push_back(
        {{"series", fmt::format("m{{case=\"{}\"}}", id)}, {"values", kValues[v].text}});
    rules::TemplateData data;
    data.value = kValues[v].value;
    data.labels = {{"case", id}};
    nlohmann::json ours = nlohmann::json::object();
    for (std::size_t t = 0; t < kTemplates.size(); ++t)
      ours[fmt::format("t{}", t)] = rules::expand_alert_template(kTemplates[t], data, "__alert_A");
    expected.push_back({{"exp_labels", {{"case", id}}}, {"exp_annotations", ours}});
  }
  nlohmann::json tests = {
      {"rule_files", {"rules.yml"}},
      {"evaluation_interval", "1m"},
      {"tests",
       {{{"interval", "1m"},
         {"input_series", series},
         {"alert_rule_test",
          {{{"eval_time", "0m"}, {"alertname", "A"}, {"exp_alerts", expected}}}}}}}};

  test::TempDir dir;
  // JSON is YAML: every string arrives exactly, whatever bytes it holds.
  dir.write("rules.yml", rules.dump());
  std::string test_file = dir.write("test.yml", tests.dump());
  auto promtool = test::run({"/usr/bin/promtool", "test", "rules", test_file});
  INFO(promtool.out.substr(0, 20000));
  INFO(promtool.err.substr(0, 2000));
  CHECK(promtool.exit_code == 0);
}
