// --targets-file: which form the file is in, the URL-list form, and the checks on the whole list.

#include "fleet/targets_file.hpp"

#include <fmt/format.h>

#include <map>

#include "e2e3d/fetch.hpp"
#include "e2e3d/fleet.hpp"
#include "e2e3d/sys/bounded_file.hpp"

namespace e2e3d {
namespace fleet_detail {

Error file_error(const std::string& path, Position where, std::string_view message) {
  return Error(ErrorKind::config,
               fmt::format("{}:{}:{}: {}", path, where.line, where.column, message));
}

namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

}  // namespace

std::vector<ListedTarget> read_url_list(const std::string& path, std::string_view text,
                                        std::string_view job) {
  std::vector<ListedTarget> targets;
  uint32_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;

    std::size_t first = 0;
    while (first < line.size() && is_blank(line[first]))
      ++first;
    if (first == line.size() || line[first] == '#') continue;
    std::size_t last = first;
    while (last < line.size() && !is_blank(line[last]))
      ++last;
    std::string_view url = line.substr(first, last - first);
    Position where{line_number, static_cast<uint32_t>(first + 1)};
    std::size_t after = last;
    while (after < line.size() && is_blank(line[after]))
      ++after;
    if (after < line.size() && line[after] != '#') {
      throw file_error(path, {line_number, static_cast<uint32_t>(after + 1)},
                       fmt::format("'{}' follows the URL {} on the same line; write one URL "
                                   "per line (a # starts a comment)",
                                   line.substr(after), redact_url(url)));
    }
    try {
      targets.push_back({target_from_url(url, job), where});
    } catch (const FetchError& e) {
      throw file_error(path, where, e.what());
    }
  }
  return targets;
}

}  // namespace fleet_detail

namespace {

using fleet_detail::ListedTarget;

bool has_extension(const std::string& path, std::string_view extension) {
  return path.size() > extension.size() &&
         path.compare(path.size() - extension.size(), extension.size(), extension) == 0;
}

// The first character that is not a blank or in a # comment line, or 0.
char first_significant(std::string_view text) {
  bool line_start = true;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      line_start = true;
    } else if (line_start && c == '#') {
      std::size_t end = text.find('\n', i);
      if (end == std::string_view::npos) return 0;
      i = end - 1;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      return c;
    }
  }
  return 0;
}

}  // namespace

std::vector<FleetTarget> read_targets_file(const std::string& path, std::string_view job) {
  std::string text;
  try {
    text = sys::read_bounded_file(path, {"the targets file", sys::kMaxConfigBytes});
  } catch (const Error& e) {
    throw Error(ErrorKind::config,
                fmt::format("{}; check the path given with --targets-file", e.what()));
  }

  char first = first_significant(text);
  if (first == 0) {
    throw Error(ErrorKind::config,
                fmt::format("{}: the targets file lists no target; write one URL per line "
                            "(http://host:9101/metrics), or Prometheus file_sd JSON or YAML",
                            path));
  }
  bool json = has_extension(path, ".json") || first == '[' || first == '{';
  bool file_sd =
      json || has_extension(path, ".yml") || has_extension(path, ".yaml") || first == '-';
  std::vector<ListedTarget> listed = file_sd ? fleet_detail::read_file_sd(path, text, job, json)
                                             : fleet_detail::read_url_list(path, text, job);
  if (listed.empty()) {
    throw Error(ErrorKind::config,
                fmt::format("{}: the targets file lists no target; give each group at least "
                            "one \"host:port\" in its targets",
                            path));
  }

  // Prometheus would scrape an address listed twice with the same labels once, and twice with
  // different labels; either way the fleet totals would count it twice here, so it is refused.
  std::map<std::string, Position> seen;
  std::vector<FleetTarget> targets;
  targets.reserve(listed.size());
  for (auto& entry : listed) {
    auto [it, inserted] = seen.emplace(entry.target.url, entry.where);
    if (!inserted) {
      throw fleet_detail::file_error(
          path, entry.where,
          fmt::format("the target {} is listed again (first at line {}, column {}); remove one: "
                      "scraping it twice would count its series twice",
                      redact_url(entry.target.url), it->second.line, it->second.column));
    }
    targets.push_back(std::move(entry.target));
  }
  make_labels_distinct(targets);
  return targets;
}

}  // namespace e2e3d
