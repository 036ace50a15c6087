#pragma once
// Where the container runtime's API is: the endpoint Docker's own clients would use, chosen
// the way they choose it (--docker-host, then DOCKER_HOST, then the default socket), then
// Podman's Docker-compatible sockets.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace e2e3d::docker {

struct Endpoint {
  enum class Kind { unix_socket, tcp };
  Kind kind = Kind::unix_socket;
  std::string socket_path;  // unix_socket: the socket file
  std::string host;         // tcp: host name or address (IPv6 without brackets)
  int port = 0;             // tcp; 0 from parse_endpoint when the address has none
  bool tls = false;         // tcp with DOCKER_TLS_VERIFY: https, verified with DOCKER_CERT_PATH
  std::string cert_path;    // tls: the directory of ca.pem, cert.pem, key.pem
  // How it was chosen, for messages: "--docker-host", "DOCKER_HOST", "the default socket",
  // "Podman's socket".
  std::string origin;

  // unix:///var/run/docker.sock, tcp://host:2375
  std::string uri() const;
};

struct EndpointChoice {
  std::optional<Endpoint> endpoint;
  // When none was chosen: the places looked at ("/var/run/docker.sock, /run/podman/...").
  std::vector<std::string> looked_at;
};

// The sockets looked for when neither --docker-host nor DOCKER_HOST names one, in order:
// /var/run/docker.sock, $XDG_RUNTIME_DIR/podman/podman.sock, /run/podman/podman.sock.
std::vector<std::string> default_sockets(
    const std::vector<std::pair<std::string, std::string>>& environment);

// --docker-host (`flag`), else DOCKER_HOST of `environment`, else the first of `sockets` that
// exists (a socket or not: a file that is not one is reported when it is used). Throws
// e2e3d::Error (config) for an address Docker's clients would refuse or that we cannot use
// (ssh://, npipe://), naming the option or variable it came from.
EndpointChoice choose_endpoint(const std::optional<std::string>& flag,
                               const std::vector<std::pair<std::string, std::string>>& environment,
                               const std::vector<std::string>& sockets);

// Parses one address: unix:///path, /path, tcp://host[:port], host:port. Throws as above,
// naming `origin`. choose_endpoint() fills in the default port (2375, 2376 with TLS).
Endpoint parse_endpoint(std::string_view address, std::string_view origin);

}  // namespace e2e3d::docker
