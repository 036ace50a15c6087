#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/threshold.hpp"

using namespace e2e3d;
using namespace e2e3d::rules;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

TEST_CASE("the Monitoring Plugins range table") {
  // The table of the Monitoring Plugins development guidelines, value by value.
  struct Row {
    const char* range;
    double value;
    bool alert;
  };
  const Row rows[] = {
      {"10", -1, true},        {"10", 0, false},        {"10", 10, false},
      {"10", 10.5, true},      {"10:", 9.99, true},     {"10:", 10, false},
      {"10:", 1e300, false},   {"~:10", -1e300, false}, {"~:10", 10, false},
      {"~:10", 10.01, true},   {"10:20", 9, true},      {"10:20", 10, false},
      {"10:20", 20, false},    {"10:20", 21, true},     {"@10:20", 9, false},
      {"@10:20", 10, true},    {"@10:20", 15, true},    {"@10:20", 20, true},
      {"@10:20", 20.1, false}, {"-5:5", -5, false},     {"-5:5", -5.1, true},
      {":3", -0.5, true},      {":3", 3, false},        {"@10", 0, true},
      {"@10", 11, false},      {"1.5:2.5", 2.5, false}, {"1.5:2.5", 2.6, true},
      {"@~:0", -3, true},
  };
  for (const auto& row : rows) {
    INFO(row.range << " with value " << row.value);
    CHECK(parse_range(row.range).alerts(row.value) == row.alert);
  }
}

TEST_CASE("range bounds are parsed as the guidelines define them") {
  auto r = parse_range("~:10");
  CHECK(r.start == -kInf);
  CHECK(r.end == 10);
  CHECK_FALSE(r.inside);
  r = parse_range("10:");
  CHECK(r.start == 10);
  CHECK(r.end == kInf);
  r = parse_range("@10:20");
  CHECK(r.inside);
  CHECK(r.text == "@10:20");
}

TEST_CASE("invalid ranges are errors that show the syntax") {
  for (const char* bad : {"", "@", "abc", "20:10", "1:2:3", "~", "10:x", "nan", "inf:"}) {
    INFO(bad);
    try {
      parse_range(bad);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::config);
      CHECK(std::string(e.what()).find("@10:20") != std::string::npos);
    }
  }
}

TEST_CASE("critical wins over warning, NaN is unknown") {
  auto warning = parse_range("5");
  auto critical = parse_range("10");
  CHECK(judge({{"v", 3}}, &warning, &critical).status == PluginStatus::ok);
  CHECK(judge({{"v", 7}}, &warning, &critical).status == PluginStatus::warning);
  CHECK(judge({{"v", 11}}, &warning, &critical).status == PluginStatus::critical);
  CHECK(judge({{"v", std::nan("")}}, &warning, &critical).status == PluginStatus::unknown);
  CHECK(judge({{"a", 3}, {"b", 11}, {"c", 7}}, &warning, &critical).status ==
        PluginStatus::critical);
  CHECK(judge({{"a", 3}, {"b", std::nan("")}, {"c", 7}}, &warning, &critical).status ==
        PluginStatus::warning);
  CHECK(judge({}, &warning, &critical).status == PluginStatus::unknown);
  CHECK(judge({{"v", 1e9}}, nullptr, nullptr).status == PluginStatus::ok);
}

TEST_CASE("the plugin output line") {
  auto warning = parse_range("10");
  auto critical = parse_range("@20:");
  CHECK(plugin_line(PluginStatus::ok, {{"active", 3}}, &warning, &critical) ==
        "E2E3D-METRICS OK - active=3 | active=3;10;@20:");
  CHECK(plugin_line(PluginStatus::warning, {{"failure ratio", 0.25}}, &warning, nullptr) ==
        "E2E3D-METRICS WARNING - failure ratio=0.25 | 'failure ratio'=0.25;10;");
  CHECK(plugin_line(PluginStatus::ok, {{"t", 1795570951.44}}, nullptr, nullptr) ==
        "E2E3D-METRICS OK - t=1795570951.44 | t=1795570951.44");
  CHECK(plugin_line(PluginStatus::unknown, {{"x", std::nan("")}}, nullptr, &critical) ==
        "E2E3D-METRICS UNKNOWN - x=NaN | x=U;;@20:");
  CHECK(plugin_line(PluginStatus::unknown, {}, nullptr, nullptr, "no such series") ==
        "E2E3D-METRICS UNKNOWN - no such series");
  CHECK(perfdata_label("a=b'c") == "a_b_c");
}
