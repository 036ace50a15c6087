#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "e2e3d/error.hpp"
#include "e2e3d/rules/template.hpp"
#include "rules/go_format.hpp"

using namespace e2e3d;
using namespace e2e3d::rules;

namespace {

std::string expand(const std::string& text, double value = 0.3,
                   std::map<std::string, std::string> labels = {{"job_id", "job-7"},
                                                                {"status", "failed"}}) {
  TemplateData data;
  data.value = value;
  data.labels = std::move(labels);
  return expand_template(text, data, "__alert_Test");
}

}  // namespace

TEST_CASE("floats print as Go's fmt prints them") {
  // %v of a float64 is the shortest %g, with an exponent below 1e-4 and from 1e6 on.
  CHECK(go_format_float(0.3, 'g', -1) == "0.3");
  CHECK(go_format_float(10, 'g', -1) == "10");
  CHECK(go_format_float(100000, 'g', -1) == "100000");
  CHECK(go_format_float(1234567, 'g', -1) == "1.234567e+06");
  CHECK(go_format_float(1e6, 'g', -1) == "1e+06");
  CHECK(go_format_float(0.0001, 'g', -1) == "0.0001");
  CHECK(go_format_float(0.00001, 'g', -1) == "1e-05");
  CHECK(go_format_float(-2.5, 'g', -1) == "-2.5");
  CHECK(go_format_float(0, 'g', -1) == "0");
  CHECK(go_format_float(1e300, 'g', -1) == "1e+300");
  CHECK(go_format_float(std::nan(""), 'g', -1) == "NaN");
  CHECK(go_format_float(std::numeric_limits<double>::infinity(), 'g', -1) == "+Inf");
  CHECK(go_format_float(-std::numeric_limits<double>::infinity(), 'g', -1) == "-Inf");
  // %.4g: four significant digits, trailing zeros dropped.
  CHECK(go_format_float(1234.5678, 'g', 4) == "1235");
  CHECK(go_format_float(12346, 'g', 4) == "1.235e+04");
  CHECK(go_format_float(1.5, 'g', 4) == "1.5");
  CHECK(go_format_float(100, 'g', 4) == "100");
  CHECK(go_format_float(0.5, 'g', 4) == "0.5");
  CHECK(go_format_float(0, 'g', 4) == "0");
  CHECK(go_format_float(0.3, 'e', -1) == "3e-01");
  CHECK(go_format_float(0.3, 'f', 2) == "0.30");
  CHECK(go_format_float(0.0000123, 'e', 2) == "1.23e-05");
}

TEST_CASE("floats at any precision print Go's exact digits, never memory") {
  // Issue 16: "%.500f" of 1e300 wrote past a 400-byte buffer and printed what followed it.
  const std::string f500 = go_sprintf("%.500f", {1e300});
  REQUIRE(f500.size() == 301 + 1 + 500);
  CHECK(f500.starts_with("1000000000000000052504760255204420248704468581108159154915854115"));
  CHECK(f500.substr(301) == "." + std::string(500, '0'));
  // The exact expansion of 0.1 has 55 significant digits; Go pads the rest with zeros.
  const std::string e1000 = go_sprintf("%.1000e", {0.1});
  CHECK(e1000 == "1.000000000000000055511151231257827021181583404541015625" +
                     std::string(1000 - 54, '0') + "e-01");
  CHECK(go_format_float(0.1, 'g', 800) ==
        "0.1000000000000000055511151231257827021181583404541015625");
  CHECK(go_format_float(5e-324, 'f', 1100).size() == 2 + 1100);
  CHECK(go_format_float(5e-324, 'f', 1100).substr(2 + 323, 20) == "49406564584124654417");
  CHECK(go_format_float(-1.7976931348623157e308, 'e', 999999).size() == 1 + 2 + 999999 + 5);
  // A width pads, whatever its size.
  CHECK(go_sprintf("%999999.2f", {2.5}) == std::string(999999 - 4, ' ') + "2.50");
  CHECK(go_sprintf("%-999999e|", {1e300}).size() == 999999 + 1);
  CHECK(go_sprintf("%f", {1e300}).size() == 301 + 1 + 6);
}

TEST_CASE("Sprintf with Go's verbs and its mistakes notation") {
  CHECK(go_sprintf("%.2f", {0.3}) == "0.30");
  CHECK(go_sprintf("%v and %s", {2.0, std::string("x")}) == "2 and x");
  CHECK(go_sprintf("%5.1f|%-5.1f|%05.1f", {2.25, 2.25, -2.25}) == "  2.2|2.2  |-02.2");
  CHECK(go_sprintf("%+.3e", {12345.678}) == "+1.235e+04");
  CHECK(go_sprintf("%g%%", {30.0}) == "30%");
  // fmt gives up on a width or precision past a million: the rest has no verb (a fuzz finding:
  // the digits used to overflow an int).
  CHECK(go_sprintf("x%.04444444444444444444f y", {}).starts_with("x%!(NOVERB)"));
  CHECK(go_sprintf("%44444444444444d", {}).starts_with("%!(NOVERB)"));
  CHECK(go_sprintf("%q", {std::string("a\"b")}) == "\"a\\\"b\"");
  CHECK(go_sprintf("%d", {3.0}) == "%!d(float64=3)");
  CHECK(go_sprintf("%f", {std::string("x")}) == "%!f(string=x)");
  CHECK(go_sprintf("%s %s", {std::string("x")}) == "x %!s(MISSING)");
  CHECK(go_sprintf("%s", {std::string("x"), 1.5}) == "x%!(EXTRA float64=1.5)");
  CHECK(go_sprintf("%f", {std::nan("")}) == "NaN");
  CHECK(go_sprintf("%.2f", {std::numeric_limits<double>::infinity()}) == "+Inf");
}

TEST_CASE("annotation templates render as Prometheus renders them") {
  CHECK(expand("{{ $value }}") == "0.3");
  CHECK(expand("{{ $value }}", 1234567) == "1.234567e+06");
  CHECK(expand("Job {{ $labels.job_id }} ({{ $labels.status }})") == "Job job-7 (failed)");
  CHECK(expand("{{ .Labels.status }} {{ .Value }}") == "failed 0.3");
  CHECK(expand("{{ $labels.missing }}|") == "|");  // missingkey=zero
  CHECK(expand("{{ printf \"%.2f\" $value }}") == "0.30");
  CHECK(expand("{{ $value | printf \"%.1f\" }}") == "0.3");
  CHECK(expand("{{ $value | humanizePercentage }}") == "30%");
  CHECK(expand("{{ humanizePercentage $value }}", 0.1234567) == "12.35%");
  CHECK(expand("{{ $value | humanize }}", 1234567) == "1.235M");
  CHECK(expand("{{ $value | humanize }}", 0.001234) == "1.234m");
  CHECK(expand("{{ $value | humanize }}", 0) == "0");
  CHECK(expand("{{ $value | humanize }}", 999) == "999");
  CHECK(expand("{{ $value | humanize }}", 1000) == "1k");
  CHECK(expand("{{ $value | humanize1024 }}", 1048576) == "1Mi");
  CHECK(expand("{{ $value | humanizeDuration }}", 899.99) == "14m 59s");
  CHECK(expand("{{ $value | humanizeDuration }}", 90061) == "1d 1h 1m 1s");
  CHECK(expand("{{ $value | humanizeDuration }}", 3725) == "1h 2m 5s");
  CHECK(expand("{{ $value | humanizeDuration }}", 1.5) == "1.5s");
  CHECK(expand("{{ $value | humanizeDuration }}", 0.5) == "500ms");
  CHECK(expand("{{ $value | humanizeDuration }}", 0) == "0s");
  CHECK(expand("{{ $value | humanizeDuration }}", -90) == "-1m 30s");
  CHECK(expand("{{ $value | humanizeTimestamp }}", 1435065584.128) ==
        "2015-06-23 13:19:44.128 +0000 UTC");
  CHECK(expand("{{ \"1234567\" | humanize }}") == "1.235M");  // strings convert, as in 2.42
  CHECK(expand("{{ $labels.status | toUpper }} {{ title \"hello world\" }}") ==
        "FAILED Hello World");
  CHECK(expand("{{ index $labels \"job_id\" }}") == "job-7");
  CHECK(expand("{{ $labels }}") == "map[job_id:job-7 status:failed]");
  CHECK(expand("{{ $x := $value | humanizePercentage }}[{{ $x }}]") == "[30%]");
  CHECK(expand("a  {{- $value -}}  b") == "a0.3b");
  CHECK(expand("a{{/* a comment */}}b") == "ab");
  CHECK(expand("{{ print \"x\" 1 2 }}") == "x1 2");
  CHECK(expand("{{ (printf \"%.0f\" $value) }}", 2.6) == "3");
  CHECK(expand("no actions at all") == "no actions at all");
  CHECK(expand("{{ \"}}\" }}") == "}}");
}

TEST_CASE("template errors say where and what") {
  auto error_of = [](const std::string& text) -> std::string {
    try {
      expand(text);
    } catch (const Error& e) {
      CHECK(e.kind() == ErrorKind::eval);
      return e.what();
    }
    FAIL("no error for " << text);
    return {};
  };
  CHECK_THAT(error_of("x {{ humanize \"abc\" }}"),
             Catch::Contains("__alert_Test: 1:3: error calling humanize: strconv.ParseFloat: "
                             "parsing \"abc\": invalid syntax"));
  CHECK_THAT(error_of("{{ if $value }}x{{ end }}"), Catch::Contains("'if' is not supported"));
  CHECK_THAT(error_of("{{ nosuch $value }}"), Catch::Contains("function \"nosuch\" not defined"));
  CHECK_THAT(error_of("{{ $nope }}"), Catch::Contains("undefined variable \"$nope\""));
  CHECK_THAT(error_of("{{ $value"), Catch::Contains("unclosed action"));
  CHECK_THAT(error_of("{{ .Nope }}"), Catch::Contains("can't evaluate field Nope"));
  CHECK_THAT(error_of("{{ humanize }}"), Catch::Contains("wrong number of args for humanize"));
  CHECK_THAT(error_of("{{ $value 3 }}"), Catch::Contains("can't give argument to non-function"));
  TemplateData data;
  CHECK_THAT(expand_alert_template("{{ nosuch }}", data, "__alert_X"),
             Catch::StartsWith("<error expanding template: ") && Catch::EndsWith(">"));
}
