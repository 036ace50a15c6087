// Is there a container runtime, and may we talk to it? Absent is normal (the service runs on
// the host, or elsewhere): every check then behaves as without containers. A socket that
// refuses us is the operator's to fix, never the service's fault.
#include <fmt/format.h>

#include "doctor/containers_detail.hpp"
#include "e2e3d/docker/endpoint.hpp"
#include "e2e3d/doctor/context.hpp"

namespace e2e3d::doctor {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items)
    out += (out.empty() ? "" : ", ") + i;
  return out;
}

std::string denied_fix(const docker::Endpoint& e) {
  if (e.kind != docker::Endpoint::Kind::unix_socket)
    return "check the daemon's TLS client certificates";
  if (e.socket_path.find("podman") != std::string::npos) {
    return fmt::format("run doctor as the user who owns {} (rootless Podman), or with sudo",
                       e.socket_path);
  }
  return fmt::format(
      "add your user to the docker group (sudo usermod -aG docker $USER, then log in again), or "
      "run doctor with sudo; {} belongs to that group",
      e.socket_path);
}

}  // namespace

const RuntimeProbe& Context::runtime() {
  std::call_once(runtime_once_, [this] {
    auto sockets = options_.docker_sockets ? *options_.docker_sockets
                                           : docker::default_sockets(own_environment_);
    docker::EndpointChoice choice;
    try {
      choice = docker::choose_endpoint(options_.docker_host, own_environment_, sockets);
    } catch (const Error& e) {
      runtime_.state = RuntimeProbe::State::broken;
      runtime_.problem = e.what();
      runtime_.fix = "fix --docker-host or DOCKER_HOST";
      return;
    }
    if (!choice.endpoint) {
      runtime_.problem = fmt::format(
          "no container runtime: no --docker-host, no DOCKER_HOST, and none of {} exists",
          join(choice.looked_at));
      return;
    }
    const auto& endpoint = *choice.endpoint;
    runtime_.endpoint = fmt::format("{} ({})", endpoint.uri(), endpoint.origin);
    auto client = std::make_shared<docker::EngineClient>(endpoint);
    try {
      client->negotiate(call_budget(*this));
      runtime_.client = client;
      runtime_.state = RuntimeProbe::State::ready;
    } catch (const docker::EngineError& e) {
      runtime_.problem = e.what();
      if (e.failure() == docker::EngineFailure::permission_denied) {
        runtime_.state = RuntimeProbe::State::denied;
        runtime_.fix = denied_fix(endpoint);
      } else {
        runtime_.state = RuntimeProbe::State::broken;
        runtime_.fix =
            endpoint.origin == "the default socket" || endpoint.origin == "Podman's socket"
                ? "start the daemon (systemctl start docker), or name its socket with "
                  "--docker-host unix:///PATH"
                : fmt::format("check that a Docker or Podman daemon listens at {} ({})",
                              endpoint.uri(), endpoint.origin);
      }
    }
  });
  return runtime_;
}

std::string ContainerProbe::source() const {
  return container ? fmt::format("docker inspect {}", container->name) : std::string();
}

double call_budget(const Context& context) {
  return std::max(0.05, context.seconds_left());
}

}  // namespace e2e3d::doctor
