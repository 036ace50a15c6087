// The daemon's JSON, read with checked access only: an answer from a daemon we did not test
// (Podman, a proxy, an old Docker) may lack any field or give it another type, and that must
// read as "absent", never as a crash.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "e2e3d/docker/container.hpp"

namespace e2e3d::docker {
namespace {

using nlohmann::json;

const json& field(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string text(const json& object, const char* key) {
  const json& v = field(object, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

long long number(const json& object, const char* key) {
  const json& v = field(object, key);
  return v.is_number_integer() ? v.get<long long>() : 0;
}

bool flag(const json& object, const char* key) {
  const json& v = field(object, key);
  return v.is_boolean() && v.get<bool>();
}

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  if (!array.is_array()) return out;
  for (const auto& v : array) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::map<std::string, std::string> string_map(const json& object) {
  std::map<std::string, std::string> out;
  if (!object.is_object()) return out;
  for (const auto& [key, value] : object.items()) {
    if (value.is_string()) out[key] = value.get<std::string>();
  }
  return out;
}

std::string without_slash(std::string name) {
  if (name.starts_with("/")) name.erase(0, 1);
  return name;
}

json parse_object_or_array(std::string_view text, bool array, std::string_view what) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || (array ? !j.is_array() : !j.is_object())) {
    throw EngineError(EngineFailure::bad_answer,
                      fmt::format("the answer to {} is not the Engine API's JSON", what));
  }
  return j;
}

std::vector<NetworkAttachment> networks_of(const json& settings) {
  std::vector<NetworkAttachment> out;
  const json& networks = field(settings, "Networks");
  if (!networks.is_object()) return out;
  for (const auto& [name, n] : networks.items()) {
    out.push_back({name, text(n, "NetworkID"), text(n, "IPAddress"), text(n, "GlobalIPv6Address"),
                   strings(field(n, "Aliases"))});
  }
  return out;
}

// "9101/tcp" -> {9101, "tcp"}
std::pair<int, std::string> port_key(const std::string& key) {
  auto slash = key.find('/');
  int port = 0;
  try {
    port = std::stoi(key.substr(0, slash));
  } catch (...) {
  }
  return {port, slash == std::string::npos ? "tcp" : key.substr(slash + 1)};
}

}  // namespace

const std::string* Container::label(std::string_view key) const {
  auto it = labels.find(std::string(key));
  return it == labels.end() ? nullptr : &it->second;
}

std::vector<ContainerSummary> parse_container_list(std::string_view body) {
  json list = parse_object_or_array(body, true, "GET /containers/json");
  std::vector<ContainerSummary> out;
  for (const auto& c : list) {
    if (!c.is_object()) continue;
    ContainerSummary s;
    s.id = text(c, "Id");
    for (auto& n : strings(field(c, "Names")))
      s.names.push_back(without_slash(n));
    s.image = text(c, "Image");
    s.command = text(c, "Command");
    s.state = text(c, "State");
    s.labels = string_map(field(c, "Labels"));
    const json& ports = field(c, "Ports");
    if (ports.is_array()) {
      for (const auto& p : ports) {
        if (number(p, "PublicPort") == 0) continue;
        s.ports.push_back({static_cast<int>(number(p, "PrivatePort")), text(p, "Type"),
                           text(p, "IP"), static_cast<int>(number(p, "PublicPort"))});
      }
    }
    s.networks = networks_of(field(c, "NetworkSettings"));
    out.push_back(std::move(s));
  }
  return out;
}

Container parse_container(std::string_view body) {
  json c = parse_object_or_array(body, false, "GET /containers/{id}/json");
  Container out;
  out.id = text(c, "Id");
  out.name = without_slash(text(c, "Name"));
  out.created = text(c, "Created");
  out.restart_count = static_cast<int>(number(c, "RestartCount"));
  if (auto path = text(c, "Path"); !path.empty()) out.command.push_back(path);
  for (auto& a : strings(field(c, "Args")))
    out.command.push_back(a);

  const json& config = field(c, "Config");
  out.image = text(config, "Image");
  out.tty = flag(config, "Tty");
  out.labels = string_map(field(config, "Labels"));
  for (const auto& entry : strings(field(config, "Env"))) {
    auto eq = entry.find('=');
    if (eq == std::string::npos)
      out.env.emplace_back(entry, "");
    else
      out.env.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  }

  const json& state = field(c, "State");
  ContainerState& s = out.state;
  s.status = text(state, "Status");
  s.running = flag(state, "Running");
  s.paused = flag(state, "Paused");
  s.restarting = flag(state, "Restarting");
  s.oom_killed = flag(state, "OOMKilled");
  s.dead = flag(state, "Dead");
  s.exit_code = static_cast<int>(number(state, "ExitCode"));
  s.pid = static_cast<pid_t>(number(state, "Pid"));
  s.error = text(state, "Error");
  s.started_at = text(state, "StartedAt");
  s.finished_at = text(state, "FinishedAt");
  if (const json& health = field(state, "Health"); health.is_object()) {
    Health h;
    h.status = text(health, "Status");
    h.failing_streak = static_cast<int>(number(health, "FailingStreak"));
    const json& log = field(health, "Log");
    if (log.is_array() && !log.empty()) {
      h.last_output = text(log.back(), "Output");
      h.last_exit_code = static_cast<int>(number(log.back(), "ExitCode"));
    }
    s.health = h;
  }

  const json& host = field(c, "HostConfig");
  out.network_mode = text(host, "NetworkMode");
  out.restart_policy = text(field(host, "RestartPolicy"), "Name");

  const json& settings = field(c, "NetworkSettings");
  out.networks = networks_of(settings);
  const json& ports = field(settings, "Ports");
  if (ports.is_object()) {
    for (const auto& [key, bindings] : ports.items()) {
      if (!bindings.is_array()) continue;  // exposed, not published
      auto [port, protocol] = port_key(key);
      for (const auto& b : bindings) {
        int host_port = 0;
        try {
          host_port = std::stoi(text(b, "HostPort"));
        } catch (...) {
          continue;
        }
        out.published.push_back({port, protocol, text(b, "HostIp"), host_port});
      }
    }
  }
  return out;
}

std::vector<Process> parse_top(std::string_view body) {
  json top = parse_object_or_array(body, false, "GET /containers/{id}/top");
  auto titles = strings(field(top, "Titles"));
  auto column = [&](std::string_view name) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < titles.size(); ++i) {
      if (titles[i] == name) return i;
    }
    return std::nullopt;
  };
  auto pid_col = column("PID");
  auto user_col = column("UID") ? column("UID") : column("USER");
  auto cmd_col = column("CMD") ? column("CMD") : column("COMMAND");
  std::vector<Process> out;
  const json& rows = field(top, "Processes");
  if (!rows.is_array() || !pid_col) return out;
  for (const auto& row : rows) {
    auto cells = strings(row);
    if (*pid_col >= cells.size()) continue;
    Process p;
    try {
      p.pid = static_cast<pid_t>(std::stol(cells[*pid_col]));
    } catch (...) {
      continue;
    }
    if (user_col && *user_col < cells.size()) p.user = cells[*user_col];
    if (cmd_col && *cmd_col < cells.size()) p.command = cells[*cmd_col];
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace e2e3d::docker
