#include "doctor/containers_detail.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace e2e3d::doctor {
namespace {

std::string_view basename_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool runs_prometheus(std::string_view image, std::string_view command) {
  // "registry:5000/prom/prometheus:v2.42.0@sha256:..." -> "prometheus"
  std::string_view name = image.substr(0, image.find('@'));
  name = basename_of(name);
  name = name.substr(0, name.find(':'));
  if (name == "prometheus") return true;
  std::string_view program = command.substr(0, command.find(' '));
  return basename_of(program) == "prometheus";
}

std::optional<std::string> flag_value(const std::vector<std::string>& argv, std::string_view name) {
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string_view arg = argv[i];
    if (arg.starts_with("--"))
      arg.remove_prefix(2);
    else if (arg.starts_with("-"))
      arg.remove_prefix(1);
    else
      continue;
    if (arg == name && i + 1 < argv.size()) return argv[i + 1];
    if (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=')
      return std::string(arg.substr(name.size() + 1));
  }
  return std::nullopt;
}

std::vector<std::string> shared_networks(const docker::Container& a, const docker::Container& b) {
  std::vector<std::string> out;
  for (const auto& n : a.networks) {
    for (const auto& m : b.networks) {
      if (n.name == m.name && n.name != "host" && n.name != "none") out.push_back(n.name);
    }
  }
  return out;
}

std::vector<std::string> names_on_network(const docker::Container& c,
                                          const docker::NetworkAttachment& network) {
  std::vector<std::string> out = {c.name};
  for (const auto& alias : network.aliases) {
    if (std::find(out.begin(), out.end(), alias) == out.end()) out.push_back(alias);
  }
  if (std::find(out.begin(), out.end(), c.short_id()) == out.end()) out.push_back(c.short_id());
  return out;
}

std::string describe_networks(const docker::Container& c) {
  std::string out;
  for (const auto& n : c.networks) {
    out += fmt::format("{}{}{}", out.empty() ? "" : ", ", n.name,
                       n.ip_address.empty() ? "" : fmt::format(" ({})", n.ip_address));
  }
  if (out.empty()) return c.network_mode.empty() ? "none" : c.network_mode;
  return out;
}

std::string describe_published(const docker::Container& c, int container_port) {
  std::string out;
  for (const auto& p : c.published) {
    if (p.container_port != container_port || p.protocol != "tcp") continue;
    bool v6 = p.host_ip.find(':') != std::string::npos;
    out += fmt::format("{}{}{}{}:{}->{}/tcp", out.empty() ? "" : ", ", v6 ? "[" : "",
                       p.host_ip.empty() ? "0.0.0.0" : p.host_ip, v6 ? "]" : "", p.host_port,
                       p.container_port);
  }
  return out.empty() ? "not published" : out;
}

}  // namespace e2e3d::doctor
