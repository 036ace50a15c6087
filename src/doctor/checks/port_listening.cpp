// port.listening: `netstat -tln | grep 9101` from /proc/net/tcp{,6}. A listener bound to
// loopback only answers this network namespace only: Prometheus in another container, or on
// another host, cannot reach it.
#include <fmt/format.h>

#include "checks.hpp"

namespace e2e3d::doctor {

Result check_port_listening(Context& context) {
  if (!context.url()) return skip("the input is a file: no port to check");
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
