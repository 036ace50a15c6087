// Looking inside the containers from the host: `docker top`, the listening sockets of the
// service's network namespace (/proc/PID/net/tcp of its main process, what `docker exec ...
// netstat` shows), both logs, and Prometheus's configuration file.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "doctor/containers_detail.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/docker/archive.hpp"
#include "e2e3d/doctor/context.hpp"
#include "e2e3d/sys/processes.hpp"

namespace e2e3d::doctor {
namespace {

constexpr std::size_t kLogBytes = 4u * 1024u * 1024u;
constexpr std::size_t kConfigBytes = 4u * 1024u * 1024u;
constexpr std::string_view kDefaultConfigFile = "/etc/prometheus/prometheus.yml";

// `path` opened as the container sees it: RESOLVE_IN_ROOT keeps every symbolic link, absolute
// ones included, inside `root`, so a link planted in the container cannot make us read a file
// of the host. nullopt with `error` set when it cannot be read that way.
std::optional<std::string> read_in_root(const std::string& root, const std::string& path,
                                        std::size_t max_bytes, std::string& error) {
  int dir = open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    error = fmt::format("{}: {}", root, std::strerror(errno));
    return std::nullopt;
  }
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  int fd = static_cast<int>(syscall(SYS_openat2, dir, path.c_str(), &how, sizeof how));
  int saved = errno;
  close(dir);
  if (fd < 0) {
    error = fmt::format("{}: {}", path, std::strerror(saved));
    return std::nullopt;
  }
  struct stat st {};
  std::optional<std::string> out;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = fmt::format("{} is not a regular file in the container", path);
  } else if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    error = fmt::format("{} is {} bytes, more than the {} read", path, st.st_size, max_bytes);
  } else {
    std::string text(static_cast<std::size_t>(st.st_size), '\0');
    ssize_t n = read(fd, text.data(), text.size());
    if (n >= 0) {
      text.resize(static_cast<std::size_t>(n));
      out = std::move(text);
    } else {
      error = fmt::format("{}: {}", path, std::strerror(errno));
    }
  }
  close(fd);
  return out;
}

// The container port the service should listen on: the one the URL's port is published from,
// else the URL's own port when the URL names the container, else the document's.
uint16_t container_port(const docker::Container& c, const std::optional<UrlParts>& url,
                        bool url_is_local) {
  if (url) {
    for (const auto& p : c.published) {
      if (url_is_local && p.host_port == url->port && p.protocol == "tcp")
        return static_cast<uint16_t>(p.container_port);
    }
    if (!url_is_local) return url->port;
  }
  return catalog::kPort;
}

void read_log(Context& context, const ContainerProbe& probe, int lines, LogProbe& out) {
  const auto& c = probe.container;
  if (!c) return;
  try {
    out.lines = docker::container_logs(*context.runtime().client, c->id, c->tty, lines,
                                       call_budget(context), kLogBytes);
  } catch (const docker::EngineError& e) {
    out.error = e.what();
  }
}

}  // namespace

const InsideProbe& Context::inside() {
  std::call_once(inside_once_, [this] {
    const ContainerProbe& service = service_container();
    if (!service.container) return;
    const docker::Container& c = *service.container;
    inside_.port = container_port(c, url_, url_ && url_host_is_local().value_or(false));
    if (!c.state.running) return;
    try {
      inside_.processes = docker::container_top(*runtime().client, c.id, call_budget(*this));
    } catch (const docker::EngineError& e) {
      inside_.processes_error = e.what();
    }
    if (c.state.pid <= 0) {
      inside_.sockets_error = "the runtime gives no PID for the container's main process";
      return;
    }
    std::string netns_proc = fmt::format("{}/{}", options_.proc_root, c.state.pid);
    try {
      inside_.listening = sys::listening_on(sys::listening_sockets(netns_proc), inside_.port);
      inside_.sockets_readable = true;
    } catch (const std::exception& e) {
      inside_.sockets_error = fmt::format(
          "{} (the container's PID {} is not visible here: a remote daemon, another PID "
          "namespace, or not root)",
          e.what(), c.state.pid);
      return;
    }
    std::vector<pid_t> pids;
    for (const auto& p : inside_.processes)
      pids.push_back(p.pid);
    if (pids.empty()) pids.push_back(c.state.pid);
    for (const auto& socket : inside_.listening) {
      inside_.owner = sys::socket_owner_among(socket.inode, pids, options_.proc_root);
      if (inside_.owner) break;
    }
    if (inside_.owner) {
      if (auto argv = sys::read_cmdline(*inside_.owner, options_.proc_root)) {
        inside_.owner_cmdline = *argv;
      } else {
        for (const auto& p : inside_.processes) {
          if (p.pid == *inside_.owner) inside_.owner_cmdline = {p.command};
        }
      }
    }
  });
  return inside_;
}

const LogProbe& Context::service_logs() {
  std::call_once(service_logs_once_, [this] {
    read_log(*this, service_container(), options_.log_lines, service_logs_);
  });
  return service_logs_;
}

const LogProbe& Context::prometheus_logs() {
  std::call_once(prometheus_logs_once_, [this] {
    read_log(*this, prometheus_container(), options_.log_lines, prometheus_logs_);
  });
  return prometheus_logs_;
}

const PrometheusFileProbe& Context::prometheus_file() {
  std::call_once(prometheus_file_once_, [this] {
    const ContainerProbe& probe = prometheus_container();
    if (!probe.container) return;
    const docker::Container& c = *probe.container;
    PrometheusFileProbe& out = prometheus_file_;
    out.path = flag_value(c.command, "config.file").value_or(std::string(kDefaultConfigFile));
    if (!out.path.starts_with("/")) out.path = "/" + out.path;  // relative to the image's WORKDIR
    // Fast and exact where we may: the file through the container's root in /proc.
    if (c.state.running && c.state.pid > 0) {
      std::string error;
      out.text = read_in_root(fmt::format("{}/{}/root", options_.proc_root, c.state.pid), out.path,
                              kConfigBytes, error);
      if (out.text) {
        out.how = fmt::format("read through /proc/{}/root", c.state.pid);
        return;
      }
    }
    try {
      out.text = docker::read_container_file(*runtime().client, c.id, out.path, kConfigBytes,
                                             call_budget(*this));
      out.how = fmt::format("docker cp {}:{}", c.name, out.path);
      if (!out.text) out.error = fmt::format("{} does not exist in container {}", out.path, c.name);
    } catch (const docker::EngineError& e) {
      out.error = e.what();
    }
  });
  return prometheus_file_;
}

std::string Context::prometheus_api(std::string* origin) {
  if (options_.prometheus_url) {
    if (origin) *origin = "--prometheus";
    return *options_.prometheus_url;
  }
  const ContainerProbe& probe = prometheus_container();
  if (!probe.container || !probe.container->state.running) return "";
  const docker::Container& c = *probe.container;
  std::string listen = flag_value(c.command, "web.listen-address").value_or(":9090");
  int port = 9090;
  try {
    port = std::stoi(listen.substr(listen.rfind(':') + 1));
  } catch (...) {
  }
  // Its port published on this host, else its address on its first network (a bridge address
  // answers from the host on Linux).
  for (const auto& p : c.published) {
    if (p.container_port == port && p.protocol == "tcp") {
      std::string host = p.all_addresses() ? "127.0.0.1" : p.host_ip;
      if (host.find(':') != std::string::npos) host = "[" + host + "]";
      if (origin)
        *origin = fmt::format("container {}, published on {}:{}", c.name, host, p.host_port);
      return fmt::format("http://{}:{}", host, p.host_port);
    }
  }
  // A remote daemon's bridge addresses are not reachable from here.
  if (runtime().client->endpoint().kind != docker::Endpoint::Kind::unix_socket) return "";
  for (const auto& n : c.networks) {
    if (n.ip_address.empty()) continue;
    if (origin) *origin = fmt::format("container {} on network {}", c.name, n.name);
    return fmt::format("http://{}:{}", n.ip_address, port);
  }
  return "";
}

}  // namespace e2e3d::doctor
