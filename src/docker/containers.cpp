// The container calls: list, inspect, top. Names are checked against Docker's own rule before
// they go into a path, so nothing a user types can reach another endpoint.
#include <cmath>
#include <ctime>

#include <fmt/format.h>

#include "docker/path.hpp"
#include "e2e3d/docker/container.hpp"

namespace e2e3d::docker {
namespace {

constexpr std::size_t kListBytes = 32u * 1024u * 1024u;
constexpr std::size_t kInspectBytes = 8u * 1024u * 1024u;

}  // namespace

std::vector<ContainerSummary> list_containers(const EngineClient& client, bool all,
                                              double timeout_seconds) {
  return parse_container_list(client.get_ok(all ? "/containers/json?all=1" : "/containers/json",
                                            timeout_seconds, kListBytes));
}

std::optional<Container> inspect_container(const EngineClient& client, std::string_view name_or_id,
                                           double timeout_seconds) {
  std::string path = fmt::format("/containers/{}/json", checked_name(name_or_id));
  EngineResponse r = client.get(path, timeout_seconds, kInspectBytes);
  if (r.status == 404) return std::nullopt;
  if (r.status != 200) client.get_ok(path, timeout_seconds, kInspectBytes);  // throws its message
  return parse_container(r.body);
}

std::vector<Process> container_top(const EngineClient& client, std::string_view id,
                                   double timeout_seconds) {
  return parse_top(client.get_ok(fmt::format("/containers/{}/top", checked_name(id)),
                                 timeout_seconds, kInspectBytes));
}

std::optional<double> parse_timestamp(std::string_view text) {
  std::tm tm{};
  int consumed = 0;
  std::string s(text.substr(0, 64));
  if (sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
             &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  if (tm.tm_year < 1971) return std::nullopt;  // Go's zero time: never
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  double seconds = static_cast<double>(timegm(&tm));
  auto i = static_cast<std::size_t>(consumed);
  if (i < s.size() && s[i] == '.') {
    double scale = 0.1;
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
      seconds += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    int h = 0, m = 0;
    if (sscanf(s.c_str() + i + 1, "%2d:%2d", &h, &m) == 2) {
      double offset = h * 3600.0 + m * 60.0;
      seconds += s[i] == '+' ? -offset : offset;
    }
  }
  return seconds;
}

}  // namespace e2e3d::docker
