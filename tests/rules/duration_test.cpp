#include <catch2/catch.hpp>

#include "e2e3d/rules/duration.hpp"

using namespace e2e3d::rules;

TEST_CASE("Prometheus durations") {
  CHECK(parse_duration("0") == 0);
  CHECK(parse_duration("15m") == 900000);
  CHECK(parse_duration("1h30m") == 5400000);
  CHECK(parse_duration("1y") == 365LL * 24 * 3600 * 1000);
  CHECK(parse_duration("2w1d") == 15LL * 24 * 3600 * 1000);
  CHECK(parse_duration("1m500ms") == 60500);
  CHECK(parse_duration("250ms") == 250);
  for (const char* bad : {"", "1.5m", "m", "5", "1m1h", "1s1s", "5M", " 5m", "-5m", "1ms1s",
                          "99999999999999999999y"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad).has_value());
  }
  CHECK(format_duration(900000) == "15m");
  CHECK(format_duration(5400000) == "1h30m");
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(60500) == "1m500ms");
  CHECK(format_duration(8 * 24 * 3600 * 1000LL) == "1w1d");
}
