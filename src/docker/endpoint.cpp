// Choosing the runtime's API endpoint as Docker's clients do: an explicit address wins, then
// DOCKER_HOST, then the default socket; Podman's sockets come last because Podman users
// who set nothing still expect `docker`-compatible tools to find it.
#include "e2e3d/docker/endpoint.hpp"

#include <sys/stat.h>

#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "e2e3d/error.hpp"

namespace e2e3d::docker {
namespace {

std::optional<std::string> value_of(
    const std::vector<std::pair<std::string, std::string>>& environment, std::string_view name) {
  std::optional<std::string> out;
  for (const auto& [key, value] : environment) {
    if (key == name) out = value;
  }
  return out;
}

bool exists(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0;
}

Error bad(std::string_view origin, std::string_view address, std::string_view why) {
  return Error(ErrorKind::config, fmt::format("{} {}: {}; write unix:///PATH/docker.sock or "
                                              "tcp://HOST:PORT",
                                              origin, one_line(address), why));
}

}  // namespace

std::string Endpoint::uri() const {
  if (kind == Kind::unix_socket) return "unix://" + socket_path;
  bool v6 = host.find(':') != std::string::npos;
  return fmt::format("tcp://{}{}{}:{}", v6 ? "[" : "", host, v6 ? "]" : "", port);
}

Endpoint parse_endpoint(std::string_view address, std::string_view origin) {
  Endpoint e;
  e.origin = std::string(origin);
  std::string_view rest = address;
  std::string_view scheme;
  if (auto sep = address.find("://"); sep != std::string_view::npos) {
    scheme = address.substr(0, sep);
    rest = address.substr(sep + 3);
  } else if (address.starts_with("/")) {
    scheme = "unix";
  } else {
    scheme = "tcp";
  }
  if (scheme == "unix") {
    if (!rest.starts_with("/")) throw bad(origin, address, "a unix socket needs an absolute path");
    e.kind = Endpoint::Kind::unix_socket;
    e.socket_path = std::string(rest);
    return e;
  }
  if (scheme == "ssh") {
    throw bad(origin, address,
              "ssh:// is not supported (doctor runs no ssh); forward the socket with `ssh -L "
              "/tmp/docker.sock:/var/run/docker.sock HOST` and use unix:///tmp/docker.sock");
  }
  if (scheme != "tcp" && scheme != "http" && scheme != "https") {
    throw bad(origin, address, fmt::format("the scheme {} is not unix or tcp", one_line(scheme)));
  }
  e.kind = Endpoint::Kind::tcp;
  e.tls = scheme == "https";
  if (auto slash = rest.find('/'); slash != std::string_view::npos) rest = rest.substr(0, slash);
  std::string_view port_text;
  if (rest.starts_with("[")) {
    auto close = rest.find(']');
    if (close == std::string_view::npos) throw bad(origin, address, "unclosed [ in the host");
    e.host = std::string(rest.substr(1, close - 1));
    if (rest.substr(close + 1).starts_with(":")) port_text = rest.substr(close + 2);
  } else {
    auto colon = rest.rfind(':');
    e.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port_text = rest.substr(colon + 1);
  }
  if (e.host.empty()) throw bad(origin, address, "no host");
  for (char c : e.host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_' &&
        c != ':' && c != '%') {
      throw bad(origin, address, "the host is not a name or an address");
    }
  }
  if (!port_text.empty()) {
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), e.port);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || e.port < 1 ||
        e.port > 65535) {
      throw bad(origin, address, fmt::format("port {} is not 1 to 65535", one_line(port_text)));
    }
  }
  return e;
}

std::vector<std::string> default_sockets(
    const std::vector<std::pair<std::string, std::string>>& environment) {
  std::vector<std::string> out = {"/var/run/docker.sock"};
  if (auto runtime_dir = value_of(environment, "XDG_RUNTIME_DIR");
      runtime_dir && !runtime_dir->empty())
    out.push_back(*runtime_dir + "/podman/podman.sock");
  out.push_back("/run/podman/podman.sock");
  return out;
}

EndpointChoice choose_endpoint(const std::optional<std::string>& flag,
                               const std::vector<std::pair<std::string, std::string>>& environment,
                               const std::vector<std::string>& sockets) {
  EndpointChoice choice;
  std::optional<std::string> docker_host = value_of(environment, "DOCKER_HOST");
  if (flag) {
    choice.endpoint = parse_endpoint(*flag, "--docker-host");
  } else if (docker_host && !docker_host->empty()) {
    choice.endpoint = parse_endpoint(*docker_host, "DOCKER_HOST");
  }
  if (choice.endpoint) {
    auto& e = *choice.endpoint;
    // Docker's clients speak TLS to tcp:// when DOCKER_TLS_VERIFY is set (to anything but "").
    if (e.kind == Endpoint::Kind::tcp &&
        value_of(environment, "DOCKER_TLS_VERIFY").value_or("") != "") {
      e.tls = true;
    }
    if (e.tls) {
      e.cert_path = value_of(environment, "DOCKER_CERT_PATH").value_or("");
      if (e.cert_path.empty())
        e.cert_path = value_of(environment, "HOME").value_or("") + "/.docker";
    }
    // Docker's defaults for tcp:// without a port.
    if (e.kind == Endpoint::Kind::tcp && e.port == 0) e.port = e.tls ? 2376 : 2375;
    return choice;
  }
  for (const auto& path : sockets) {
    if (exists(path)) {
      Endpoint e;
      e.kind = Endpoint::Kind::unix_socket;
      e.socket_path = path;
      e.origin =
          path.find("podman") != std::string::npos ? "Podman's socket" : "the default socket";
      choice.endpoint = e;
      return choice;
    }
    choice.looked_at.push_back(path);
  }
  return choice;
}

}  // namespace e2e3d::docker
