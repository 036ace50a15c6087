#pragma once
// Containers as the Engine API describes them: the list (`docker ps`), one container's
// inspection (`docker inspect`) and its processes (`docker top`), decoded from JSON into
// plain structs with every field optional in the answer (Podman and old daemons omit some).

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "e2e3d/docker/engine_client.hpp"

namespace e2e3d::docker {

// A container port published on the host (`ports: - "127.0.0.1:9101:9101"`).
struct PortBinding {
  int container_port = 0;
  std::string protocol = "tcp";
  std::string host_ip;  // "" or "0.0.0.0" or "::": every address
  int host_port = 0;

  // Reachable on every host address, not loopback only.
  bool all_addresses() const { return host_ip.empty() || host_ip == "0.0.0.0" || host_ip == "::"; }
};

struct NetworkAttachment {
  std::string name;  // "e2e3d_default"
  std::string id;
  std::string ip_address;
  std::string global_ipv6_address;
  std::vector<std::string> aliases;  // the Compose service name, the short id
};

struct ContainerSummary {
  std::string id;
  std::vector<std::string> names;  // without the leading '/'
  std::string image;
  std::string command;  // as the daemon joined it
  std::string state;    // "running", "exited", "restarting", "paused", "created", "dead"
  std::map<std::string, std::string> labels;
  std::vector<PortBinding> ports;  // published ones only
  std::vector<NetworkAttachment> networks;
};

struct Health {
  std::string status;  // "starting", "healthy", "unhealthy"
  int failing_streak = 0;
  std::string last_output;  // the last probe's output
  int last_exit_code = 0;
};

struct ContainerState {
  std::string status;  // as in ContainerSummary::state
  bool running = false, paused = false, restarting = false, oom_killed = false, dead = false;
  int exit_code = 0;
  pid_t pid = 0;      // the main process, in the host's PID namespace; 0 when not running
  std::string error;  // the runtime's error ("OCI runtime create failed: ...")
  std::string started_at, finished_at;  // RFC 3339; "0001-01-01T00:00:00Z" when never
  std::optional<Health> health;         // only when the image or Compose file has a healthcheck
};

struct Container {
  std::string id;
  std::string name;  // without the leading '/'
  std::string image;
  std::string created;               // RFC 3339
  std::vector<std::string> command;  // Path then Args: what the main process runs
  std::vector<std::pair<std::string, std::string>> env;  // Config.Env
  std::map<std::string, std::string> labels;
  bool tty = false;  // a TTY's log is one raw stream, not multiplexed frames
  ContainerState state;
  int restart_count = 0;
  std::string restart_policy;  // "no", "always", "on-failure", "unless-stopped"
  std::string network_mode;    // "bridge", "host", "e2e3d_default", "container:ID"
  std::vector<NetworkAttachment> networks;
  std::vector<PortBinding> published;  // NetworkSettings.Ports with a host binding

  std::string short_id() const { return id.substr(0, 12); }
  const std::string* label(std::string_view key) const;
};

struct Process {
  pid_t pid = 0;  // in the host's PID namespace
  std::string user;
  std::string command;  // as ps printed it (arguments joined by spaces)
};

// Decoders of the daemon's answers. Throw EngineError (bad_answer) for what is not the
// documented JSON shape at its top level; unknown or missing fields are simply absent.
std::vector<ContainerSummary> parse_container_list(std::string_view json);
Container parse_container(std::string_view json);
std::vector<Process> parse_top(std::string_view json);

// The calls. Each takes the time it may use; each throws EngineError.
std::vector<ContainerSummary> list_containers(const EngineClient& client, bool all,
                                              double timeout_seconds);
// nullopt when the daemon has no such container (HTTP 404).
std::optional<Container> inspect_container(const EngineClient& client, std::string_view name_or_id,
                                           double timeout_seconds);
std::vector<Process> container_top(const EngineClient& client, std::string_view id,
                                   double timeout_seconds);

// "2024-05-01T10:00:00.123456789Z" -> unix seconds; nullopt for Docker's zero time
// ("0001-01-01T00:00:00Z") and for what is not RFC 3339.
std::optional<double> parse_timestamp(std::string_view rfc3339);

}  // namespace e2e3d::docker
