#pragma once
// Go's fmt package, the parts Prometheus templates reach: floats as %v, %g, %e, %f print them,
// and Sprintf with Go's verbs, flags and its `%!d(float64=3)` notation for mismatched arguments.
// Alert annotations must read exactly as Prometheus renders them, so these follow Go, not C.

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace e2e3d::rules {

// A value in a template: a number, a string, or a string map ($labels).
using TemplateValue = std::variant<double, std::string, std::map<std::string, std::string>>;

// strconv.FormatFloat(v, verb, precision, 64) for verb e, E, f, F, g, G; precision -1: shortest.
std::string go_format_float(double value, char verb, int precision);

// fmt.Sprint of one value: floats as %v (shortest digits; exponent below 1e-4 and from 1e6), maps
// as map[k:v ...] with sorted keys.
std::string go_sprint(const TemplateValue& value);

// fmt.Sprintf with the verbs v s q d f F e E g G and %%, flags + - space 0 #, width and precision.
// Stops once the text passes `max_bytes` (a width of a million, many times): the caller, who
// sees a text longer than that, decides what it means.
std::string go_sprintf(std::string_view format, const std::vector<TemplateValue>& args,
                       std::size_t max_bytes = static_cast<std::size_t>(-1));

}  // namespace e2e3d::rules
