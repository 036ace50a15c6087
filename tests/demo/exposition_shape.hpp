#pragma once
// The shape of an exposition with the values taken out, to compare the demo's output with the
// real Python client's line for line: HELP and TYPE lines verbatim, samples as name, label
// names and a placeholder value, each distinct line once, python_* families (the interpreter's
// own, which the demo does not pretend to have) left out.

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace e2e3d::test {

inline std::string shape_of_sample(std::string_view line) {
  std::string out;
  std::size_t brace = line.find('{');
  std::size_t space = line.find(' ');
  if (brace == std::string_view::npos || brace > space) {
    return std::string(line.substr(0, space)) + " V";
  }
  out.append(line.substr(0, brace + 1));
  std::size_t at = brace + 1;
  // Label values are quoted and may hold escaped quotes.
  while (at < line.size() && line[at] != '}') {
    std::size_t equals = line.find('=', at);
    out.append(line.substr(at, equals - at));
    out += "=\"L\"";
    std::size_t i = equals + 2;
    while (i < line.size() && line[i] != '"')
      i += line[i] == '\\' ? 2 : 1;
    at = i + 1;
    if (at < line.size() && line[at] == ',') {
      out += ',';
      ++at;
    }
  }
  out += "} V";
  return out;
}

inline bool python_family(std::string_view line) {
  if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) line.remove_prefix(7);
  return line.starts_with("python_");
}

inline std::vector<std::string> exposition_shape(std::string_view text) {
  std::vector<std::string> shape;
  std::set<std::string> seen;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (python_family(line)) continue;
    std::string shaped = line.starts_with("#") ? std::string(line) : shape_of_sample(line);
    if (seen.insert(shaped).second) shape.push_back(shaped);
  }
  return shape;
}

}  // namespace e2e3d::test
