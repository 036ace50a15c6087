// port.listening: `netstat -tln | grep 9101` from /proc/net/tcp{,6}. A listener bound to
// loopback only answers this network namespace only: Prometheus in another container, or on
// another host, cannot reach it.
#include <fmt/format.h>

#include "checks.hpp"
#include "doctor/containers_detail.hpp"

namespace e2e3d::doctor {
namespace {

std::string addresses_of(const std::vector<sys::ListeningSocket>& sockets) {
  std::string out;
  for (const auto& s : sockets) {
    out += fmt::format("{}{}", out.empty() ? "" : ", ",
                       s.ipv6 ? fmt::format("[{}]:{}", s.address, s.port)
                              : fmt::format("{}:{}", s.address, s.port));
  }
  return out;
}

// Inside the container: the listener must take connections on the container's own address
// (docker-proxy and other containers use it). On the host: how it is published matters only to
// a Prometheus outside the service's networks.
Result in_container(Context& context, const ContainerProbe& probe) {
  const docker::Container& c = *probe.container;
  const InsideProbe& inside = context.inside();
  uint16_t port = inside.port;
  std::string published = describe_published(c, port);
  std::string detail = fmt::format(
      "source: /proc/{}/net/tcp{{,6}} (the network namespace of container {}, what `docker exec "
      "{} netstat -tln` shows; found: {})\npublished on the host: {}\nnetworks: {}",
      c.state.pid, c.name, c.name, probe.found_by, published, describe_networks(c));
  if (!inside.sockets_readable) {
    return skip(fmt::format("the sockets of container {} cannot be read from here", c.name),
                detail + "\n" + inside.sockets_error);
  }
  if (inside.listening.empty()) {
    return fail(fmt::format("nothing listens on port {} inside container {}", port, c.name), detail,
                fmt::format("start the metrics server in the container ({}=true in its "
                            "environment); if it listens on another port, pass that port in "
                            "--url",
                            catalog::kEnableMetricsVariable));
  }
  std::string addresses = addresses_of(inside.listening);
  bool reachable = false;
  for (const auto& s : inside.listening)
    reachable |= !s.loopback_only();
  if (!reachable) {
    return fail(fmt::format("port {} listens on loopback only inside container {} ({})", port,
                            c.name, addresses),
                detail +
                    "\ndocker-proxy (the published port) and the other containers connect to the "
                    "container's own address, which a loopback listener never answers",
                fmt::format("bind the metrics server to 0.0.0.0 inside the container (Python: "
                            "start_http_server({}, addr='0.0.0.0'))",
                            port));
  }
  bool on_all = false, loopback_only_published = false, any_published = false;
  for (const auto& b : c.published) {
    if (b.container_port != port || b.protocol != "tcp") continue;
    any_published = true;
    on_all |= b.all_addresses();
  }
  loopback_only_published = any_published && !on_all;
  std::string summary =
      fmt::format("port {} is listening on {} in container {}", port, addresses, c.name);
  if (on_all) return pass(summary + fmt::format(", published as {}", published), detail);

  // Not published on every address: fine for a Prometheus on one of the service's networks.
  const ContainerProbe& prometheus = context.prometheus_container();
  std::vector<std::string> shared;
  if (prometheus.container) shared = shared_networks(c, *prometheus.container);
  std::string how = loopback_only_published ? fmt::format("published on {} only", published)
                                            : std::string("not published on the host");
  if (!shared.empty()) {
    return pass(fmt::format("{}; {}, which is fine: Prometheus ({}) reaches it on network {}",
                            summary, how, prometheus.container->name, shared.front()),
                detail);
  }
  std::string outside =
      prometheus.container
          ? fmt::format("Prometheus ({}) is on {} only", prometheus.container->name,
                        describe_networks(*prometheus.container))
          : std::string("no Prometheus container shares its networks");
  const std::string* service = c.label("com.docker.compose.service");
  return warn(
      fmt::format("{}; {}: a Prometheus outside its networks cannot reach it", summary, how),
      detail + "\n" + outside,
      fmt::format("publish it on every address: under services: {}: ports:, write `- "
                  "\"{}:{}\"` (not 127.0.0.1:...), then `docker compose up -d {}`; or "
                  "put Prometheus on the service's network",
                  service ? *service : c.name, catalog::kPort, port, service ? *service : c.name));
}

}  // namespace

Result check_port_listening(Context& context) {
  if (!context.url()) return skip("the input is a file: no port to check");
  if (const ContainerProbe& probe = context.service_container(); probe.container) {
    return in_container(context, probe);
  }
  const auto& url = *context.url();
  if (!context.url_host_is_local().value_or(false)) {
    return skip(
        fmt::format("{} is not this machine: its sockets cannot be read from here", url.host),
        "http.endpoint still tests the connection");
  }
  const auto& owner = context.sockets();
  if (!owner.socket_error.empty()) {
    return fail("the listening sockets cannot be read", owner.socket_error,
                "run doctor where /proc is mounted");
  }
  if (owner.listening.empty()) {
    return fail(fmt::format("nothing listens on port {}", url.port),
                fmt::format("no socket in LISTEN state on port {} in /proc/net/tcp or "
                            "/proc/net/tcp6 (this network namespace)",
                            url.port),
                fmt::format("start the metrics server (the service with {}=true); if it listens "
                            "on another port, pass that port in --url",
                            catalog::kEnableMetricsVariable));
  }
  std::string addresses;
  bool reachable_from_outside = false;
  for (const auto& s : owner.listening) {
    addresses += fmt::format("{}{}", addresses.empty() ? "" : ", ",
                             s.ipv6 ? fmt::format("[{}]:{}", s.address, s.port)
                                    : fmt::format("{}:{}", s.address, s.port));
    reachable_from_outside |= !s.loopback_only();
  }
  if (!reachable_from_outside) {
    return warn(fmt::format("port {} listens on loopback only ({})", url.port, addresses),
                "a loopback listener answers this host (this container) only: Prometheus in "
                "another container or on another host cannot reach it",
                "bind the metrics server to 0.0.0.0 (Python: start_http_server(9101, "
                "addr='0.0.0.0'))");
  }
  return pass(fmt::format("port {} is listening on {}", url.port, addresses));
}

}  // namespace e2e3d::doctor
