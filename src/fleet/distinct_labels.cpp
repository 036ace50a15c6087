// Targets that would carry the same labels get distinct instance labels.
#include <map>
#include <string>
#include <vector>

#include "e2e3d/fleet.hpp"

namespace e2e3d {
namespace {

// The URL a person would name the target by: credentials removed, and the scheme too unless
// `keep_scheme` (for two targets that differ by nothing else).
std::string url_name(const std::string& url, bool keep_scheme) {
  std::string name = redact_url(url);
  if (keep_scheme) return name;
  auto scheme = name.find("://");
  return scheme == std::string::npos ? name : name.substr(scheme + 3);
}

}  // namespace

void make_labels_distinct(std::vector<FleetTarget>& targets) {
  std::map<std::map<std::string, std::string>, std::vector<std::size_t>> by_labels;
  for (std::size_t i = 0; i < targets.size(); ++i)
    by_labels[targets[i].labels].push_back(i);
  for (const auto& [labels, same] : by_labels) {
    if (same.size() < 2) continue;
    std::map<std::string, int> names;
    for (std::size_t i : same)
      ++names[url_name(targets[i].url, false)];
    for (std::size_t i : same) {
      std::string name = url_name(targets[i].url, false);
      targets[i].labels["instance"] = names[name] > 1 ? url_name(targets[i].url, true) : name;
    }
  }
}

}  // namespace e2e3d
