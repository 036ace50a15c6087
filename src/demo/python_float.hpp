#pragma once
// Numbers exactly as the Python client prints sample values, so the demo's output is
// indistinguishable from the service's: `10.0`, `0.11000000000000001`, `1.79949568e+08`.

#include <string>

namespace e2e3d::demo {

// Python's repr(float): the shortest text that reads back to the same double.
void append_python_repr(std::string& out, double value);

// prometheus_client.utils.floatToGoString (0.16): repr, but `+Inf`/`-Inf`/`NaN`, and positive
// numbers of 7 or more integer digits in exponent form, as Go would print them.
void append_python_sample_value(std::string& out, double value);
std::string python_sample_value(double value);

}  // namespace e2e3d::demo
