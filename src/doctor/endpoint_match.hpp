#pragma once
// Whether two ways of writing an endpoint ("localhost:9101", "127.0.0.1:9101",
// "myhost:9101") name the same server, as far as this machine can tell: the same port, and
// host names that are equal, resolve to a shared address, or both resolve to this machine
// (loopback aliases, the addresses of its interfaces).

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace e2e3d::doctor {

struct Endpoint {
  std::string host;  // lower case, IPv6 without brackets
  uint16_t port = 0;
};

// host:port of a URL (the scheme's port when none is written), or nothing.
std::optional<Endpoint> endpoint_of_url(std::string_view url);
// A Prometheus target "host:port" (or "host", taking the scheme's port).
std::optional<Endpoint> endpoint_of_target(std::string_view address, std::string_view scheme);

std::string to_string(const Endpoint& endpoint);  // "host:port", "[::1]:port"

enum class Sameness {
  same,
  different,
  unknown,  // a name that does not resolve here (a Docker network name, say)
};
Sameness compare_endpoints(const Endpoint& a, const Endpoint& b);

// The addresses of this machine's interfaces (this network namespace's).
std::set<std::string> local_addresses();
// The addresses `host` resolves to here (getaddrinfo), or nothing when it does not resolve.
std::optional<std::set<std::string>> resolve_host(const std::string& host);
bool is_loopback_address(std::string_view address);

}  // namespace e2e3d::doctor
