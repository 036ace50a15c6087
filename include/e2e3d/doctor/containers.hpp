#pragma once
// What doctor learns from the container runtime (Docker Engine API, or Podman's compatible one):
// whether there is one, which container runs the service and which runs Prometheus (and how
// each was found), what runs and listens inside the service's container, and both logs.
// Context computes each once, on the first check that asks.

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "e2e3d/docker/container.hpp"
#include "e2e3d/docker/engine_client.hpp"
#include "e2e3d/docker/logs.hpp"
#include "e2e3d/sys/sockets.hpp"

namespace e2e3d::doctor {

struct RuntimeProbe {
  enum class State {
    absent,  // nothing named and no socket found: the service is not in a container here
    broken,  // an endpoint was chosen and does not work (no daemon behind it, bad address)
    denied,  // the socket refuses us
    ready,
  };
  State state = State::absent;
  std::shared_ptr<const docker::EngineClient> client;  // set when ready
  std::string endpoint;  // "unix:///var/run/docker.sock (the default socket)"
  std::string problem;   // absent: the places looked at; broken, denied: the error
  std::string fix;       // broken, denied: what to do
};

struct ContainerProbe {
  std::optional<docker::Container> container;
  std::string found_by;   // "--container web", "it publishes port 9101 on the host", ...
  std::string not_found;  // why none was found, for people
  bool named = false;     // --container / --prometheus-container named it: absent is a failure
  std::string error;      // an API call failed: the container is unknown, not absent

  // "docker inspect e2e3d-reconstruction-service": how a check names its source.
  std::string source() const;
};

// Inside the service's container: its processes (`docker top`) and the sockets listening on the
// container port in its network namespace (/proc/PID/net/tcp{,6} of its main process).
struct InsideProbe {
  uint16_t port = 0;  // the container port the service should listen on
  std::vector<docker::Process> processes;
  std::string processes_error;
  bool sockets_readable = false;
  std::string sockets_error;  // why /proc/PID/net cannot be read (not root, remote daemon)
  std::vector<sys::ListeningSocket> listening;
  std::optional<pid_t> owner;  // the container process owning the socket (host PID)
  std::vector<std::string> owner_cmdline;
};

struct LogProbe {
  std::vector<docker::LogLine> lines;
  std::string error;
};

// Prometheus's own view: its configuration file and HTTP API address, read from its container.
struct PrometheusFileProbe {
  std::string path;  // as Prometheus loads it (--config.file), inside the container
  std::string how;   // "read from /proc/PID/root" or "docker cp"
  std::optional<std::string> text;
  std::string error;
};

}  // namespace e2e3d::doctor
