// Sample values must read exactly as the Python client writes them: the demo stands in for it.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "demo/python_float.hpp"
#include "demo/simulation.hpp"
#include "support/child_process.hpp"

using e2e3d::demo::append_python_repr;
using e2e3d::demo::python_sample_value;

namespace {

std::string repr(double value) {
  std::string out;
  append_python_repr(out, value);
  return out;
}

}  // namespace

TEST_CASE("sample values from the real capture read back identically", "[demo][python_float]") {
  // Every number format seen in tests/fixtures/e2e3d_python.txt.
  CHECK(python_sample_value(1.7955709523160927e+09) == "1.7955709523160927e+09");
  CHECK(python_sample_value(1.795570952316112e+09) == "1.795570952316112e+09");
  CHECK(python_sample_value(179949568.0) == "1.79949568e+08");
  CHECK(python_sample_value(23175168.0) == "2.3175168e+07");
  CHECK(python_sample_value(1.79557095144e+09) == "1.79557095144e+09");
  CHECK(python_sample_value(0.11000000000000001) == "0.11000000000000001");
  CHECK(python_sample_value(20000.0) == "20000.0");
  CHECK(python_sample_value(10.0) == "10.0");
  CHECK(python_sample_value(10.5) == "10.5");
  CHECK(python_sample_value(0.0) == "0.0");
}

TEST_CASE("the layout switches where Python's and the client's rules switch",
          "[demo][python_float]") {
  CHECK(python_sample_value(999999.0) == "999999.0");
  CHECK(python_sample_value(1000000.0) == "1e+06");
  CHECK(python_sample_value(1234567.5) == "1.2345675e+06");
  CHECK(python_sample_value(1e10) == "1e+010");            // the client's own quirk: "e+0" + "10"
  CHECK(python_sample_value(1e16) == "1e+16");             // repr already has an exponent here
  CHECK(python_sample_value(-1234567.0) == "-1234567.0");  // only positives are rewritten
  CHECK(python_sample_value(0.0001) == "0.0001");
  CHECK(python_sample_value(0.00001) == "1e-05");
  CHECK(python_sample_value(-0.0) == "-0.0");
  CHECK(python_sample_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(python_sample_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(python_sample_value(std::nan("")) == "NaN");
  CHECK(repr(1e22) == "1e+22");
  CHECK(repr(5e-324) == "5e-324");
  CHECK(repr(1.7976931348623157e308) == "1.7976931348623157e+308");
  CHECK(repr(123456789012345680.0) == "1.2345678901234568e+17");
  CHECK(repr(1234567890123456.0) == "1234567890123456.0");
}

TEST_CASE("values agree with prometheus_client's floatToGoString and Python's repr",
          "[demo][python_float]") {
  // A spread of magnitudes, integers, thresholds and raw bit patterns, checked against the
  // real Python client (Debian's python3-prometheus-client).
  e2e3d::demo::Random random(20240601);
  std::vector<double> values;
  for (int i = 0; i < 400; ++i) {
    double magnitude = std::pow(10.0, static_cast<int>(random.next() % 44) - 22);
    values.push_back(random.uniform() * magnitude);
    values.push_back(-random.uniform() * magnitude);
    values.push_back(std::round(random.uniform() * magnitude));
    uint64_t bits = random.next();
    double raw;
    std::memcpy(&raw, &bits, sizeof raw);
    if (std::isfinite(raw)) values.push_back(raw);
  }
  for (int e = -8; e <= 20; ++e) {
    values.push_back(std::pow(10.0, e));
    values.push_back(std::nextafter(std::pow(10.0, e), 0.0));
  }
  std::string input;
  for (double v : values)
    input += fmt::format("{:a}\n", v);
  auto result = e2e3d::test::run({"/usr/bin/python3", "-c",
                                  "import sys\n"
                                  "from prometheus_client.utils import floatToGoString\n"
                                  "for line in sys.stdin:\n"
                                  "    x = float.fromhex(line.strip())\n"
                                  "    print(floatToGoString(x), repr(x))\n"},
                                 {}, input);
  REQUIRE(result.exit_code == 0);
  std::istringstream lines(result.out);
  std::size_t checked = 0;
  for (double v : values) {
    std::string go, python_repr;
    REQUIRE(lines >> go >> python_repr);
    INFO(fmt::format("{:a}", v));
    CHECK(python_sample_value(v) == go);
    CHECK(repr(v) == python_repr);
    ++checked;
  }
  CHECK(checked == values.size());
}
