#pragma once
// Number options, checked as numbers: CLI11 reads "nan", "inf" and "1e300" into a double, and
// its own checks let NaN through (every comparison with NaN is false), so a time of "nan" used
// to reach the engine as -9223372036854776 seconds. Each number option takes a finite value in
// the range it can mean, or is a usage error that says which.

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace e2e3d::cli {

// A finite number in [min, max]; `what` says what it counts ("seconds", "a ratio").
CLI::Validator number_between(double min, double max, const std::string& what);

// A whole number in [min, max], written in decimal digits (no sign, exponent or fraction).
CLI::Validator whole_number_between(uint64_t min, uint64_t max, const std::string& what);

// --time: Unix seconds within the times Prometheus can represent (its API's minTime and
// maxTime, about 292 million years either way).
CLI::Validator unix_time();

// The evaluation time in milliseconds, rounded as Prometheus's API rounds its `time` parameter
// (the fraction to whole milliseconds, apart from the whole seconds).
int64_t unix_time_ms(double seconds);

}  // namespace e2e3d::cli
