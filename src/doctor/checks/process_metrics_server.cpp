// process.metrics_server: `ps aux | grep metrics` and `netstat -p`, answered from /proc: the
// process that owns the listening socket, with its PID and command line; when nothing
// listens, the processes that look like the metrics server (so the operator sees it is
// running without a server, or not running at all).
#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "checks.hpp"
#include "e2e3d/sys/processes.hpp"

namespace e2e3d::doctor {
namespace {

std::string basename_of(std::string_view path) {
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

// Interpreters and application servers: what they run is named by an argument.
bool runs_something_else(std::string_view program) {
  for (std::string_view name :
       {"python", "node", "java", "ruby", "perl", "php", "gunicorn", "uvicorn", "hypercorn",
        "celery", "sh", "bash", "dash", "tini", "dumb-init", "docker-init"}) {
    if (program == name || (program.starts_with(name) && name == "python")) return true;
  }
  return false;
}

// What a command line runs: the program, and for an interpreter the script or module it is
// given (python -m e2e3d.service, gunicorn app:api). Only these decide whether a process is the
// service: `curl -u admin:pw http://host:9101/metrics` or `grep metrics` mention the words too,
// and are not the service.
std::vector<std::string> what_runs(const std::vector<std::string>& cmdline) {
  std::vector<std::string> out{basename_of(cmdline[0])};
  if (!runs_something_else(out[0])) return out;
  for (std::size_t i = 1; i < cmdline.size(); ++i) {
    const std::string& arg = cmdline[i];
    if (arg == "-m" || arg == "-jar") {
      if (i + 1 < cmdline.size()) out.push_back(cmdline[i + 1]);
      break;
    }
    if (arg == "-c") break;  // inline code: nothing named
    if (!arg.starts_with("-")) {
      out.push_back(arg);
      break;
    }
  }
  return out;
}

// A process that runs the service or a metrics server.
bool looks_like_metrics_server(const std::vector<std::string>& cmdline) {
  for (const auto& part : what_runs(cmdline)) {
    std::string lower(part);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (std::string_view word : {"metrics", "e2e3d", "reconstruction", "prometheus_client"}) {
      if (lower.find(word) != std::string::npos) return true;
    }
  }
  return false;
}

// A process of the container as a line: its argv from /proc when we may read it (exact,
// arguments kept apart), else the line `docker top` printed.
std::string process_line(const Context& context, const docker::Process& p) {
  auto argv = sys::read_cmdline(p.pid, context.options().proc_root);
  if (!argv || argv->empty()) argv = std::vector<std::string>{p.command};
  return fmt::format("PID {}: {}", p.pid, sys::format_cmdline(*argv, 120));
}

// `docker top` and the socket table of the container's network namespace: which of its
// processes listens on the container port.
Result in_container(Context& context, const ContainerProbe& probe) {
  const docker::Container& c = *probe.container;
  const InsideProbe& inside = context.inside();
  if (!c.state.running) {
    return fail(fmt::format("container {} is not running ({}): no process serves metrics", c.name,
                            c.state.status),
                fmt::format("source: {}", probe.source()),
                "see container.state for why it stopped");
  }
  std::string processes;
  for (std::size_t i = 0; i < inside.processes.size() && i < 10; ++i)
    processes += "\n  " + process_line(context, inside.processes[i]);
  if (inside.processes.size() > 10)
    processes += fmt::format("\n  … and {} more", inside.processes.size() - 10);
  if (!inside.processes_error.empty())
    processes = "\n  (docker top failed: " + inside.processes_error + ")";
  std::string source = fmt::format(
      "source: docker top {} and /proc/{}/net/tcp{{,6}} (the container's network namespace; "
      "found: {})",
      c.name, c.state.pid, probe.found_by);
  std::string listing = fmt::format("processes in container {}:{}", c.name, processes);
  if (!inside.sockets_readable) {
    return skip(
        fmt::format("which process in container {} listens cannot be seen from here", c.name),
        fmt::format("{}\n{}\n{}", source, inside.sockets_error, listing));
  }
  if (inside.owner) {
    return pass(fmt::format("PID {} in container {} listens on port {}: {}", *inside.owner, c.name,
                            inside.port, sys::format_cmdline(inside.owner_cmdline, 80)),
                fmt::format("{}\ncommand line: {}\n{}", source,
                            sys::format_cmdline(inside.owner_cmdline), listing));
  }
  if (!inside.listening.empty()) {
    return warn(fmt::format("port {} listens in container {} but no process of it owns the socket",
                            inside.port, c.name),
                fmt::format("{}\n{}", source, listing),
                "a process of another container sharing its network namespace may hold it "
                "(network_mode: service:...); check that one");
  }
  return fail(fmt::format("no process in container {} listens on port {}; {} process(es) run "
                          "there without a metrics server",
                          c.name, inside.port, inside.processes.size()),
              fmt::format("{}\n{}", source, listing),
              fmt::format("a running service without a metrics server usually lacks {}=true (see "
                          "env.enable_metrics); recreate the container with the variable set",
                          catalog::kEnableMetricsVariable));
}

}  // namespace

bool is_port_forwarder(const std::vector<std::string>& cmdline) {
  if (cmdline.empty()) return false;
  auto name = basename_of(cmdline[0]);
  return name == "docker-proxy" || name == "rootlesskit" || name == "slirp4netns" ||
         name == "pasta" || name == "gvproxy";
}

Result check_process_metrics_server(Context& context) {
  if (!context.url()) return skip("the input is a file: no process to look for");
  if (const ContainerProbe& probe = context.service_container(); probe.container) {
    return in_container(context, probe);
  }
  if (!context.url_host_is_local().value_or(false)) {
    return skip(fmt::format("{} is not this machine: its processes cannot be seen from here",
                            context.url()->host),
                "run doctor on the service's host or inside its container");
  }
  const auto& owner = context.owner();
  uint16_t port = context.url()->port;
  if (!owner.socket_error.empty()) {
    return fail("the listening sockets cannot be read", owner.socket_error,
                "run doctor where /proc is mounted (inside the container: docker exec)");
  }
  if (owner.pid) {
    std::string cmd = sys::format_cmdline(owner.cmdline);
    if (is_port_forwarder(owner.cmdline)) {
      return pass(fmt::format("port {} is published by PID {} ({}) for a container", port,
                              *owner.pid, basename_of(owner.cmdline[0])),
                  fmt::format("command line: {}\nthe metrics server runs inside the container; "
                              "run doctor there (docker exec) to see its process",
                              cmd));
    }
    Result r = pass(fmt::format("PID {} listens on port {}: {}", *owner.pid, port,
                                sys::format_cmdline(owner.cmdline, 80)),
                    fmt::format("command line: {}", cmd));
    if (context.options().pid && *context.options().pid != *owner.pid) {
      r = warn(fmt::format("PID {} listens on port {}, not --pid {}", *owner.pid, port,
                           *context.options().pid),
               fmt::format("command line of PID {}: {}", *owner.pid, cmd),
               fmt::format("check that --pid names the service; the process serving port {} is "
                           "PID {}",
                           port, *owner.pid));
    }
    return r;
  }
  if (!owner.listening.empty()) {
    return warn(fmt::format("port {} is listening but its process is not visible", port),
                "the socket belongs to another user's process or another PID namespace",
                "run doctor as root, or inside the service's container (docker exec)");
  }
  // Nothing listens: list what looks like the service, excluding doctor itself.
  std::vector<std::string> candidates;
  pid_t self = getpid();
  auto pids = sys::list_pids(context.options().proc_root);
  if (auto named = context.options().pid) {
    // The process the operator named comes first, whatever else looks like it.
    std::erase(pids, *named);
    pids.insert(pids.begin(), *named);
  }
  for (pid_t pid : pids) {
    if (pid == self) continue;
    auto cmdline = sys::read_cmdline(pid, context.options().proc_root);
    if (!cmdline || cmdline->empty() || !looks_like_metrics_server(*cmdline)) continue;
    candidates.push_back(fmt::format("PID {}: {}", pid, sys::format_cmdline(*cmdline, 400)));
    if (candidates.size() == 10) break;
  }
  if (candidates.empty()) {
    return fail(fmt::format("no process listens on port {} and none looks like the metrics "
                            "server",
                            port),
                "no program or script it runs is named after metrics, e2e3d, reconstruction or "
                "prometheus_client",
                "start the service (docker compose up -d reconstruction-service)");
  }
  std::string detail = "processes that look like the service:";
  for (const auto& c : candidates)
    detail += "\n  " + c;
  return fail(fmt::format("no process listens on port {}; {} process(es) look like the service "
                          "but serve no metrics",
                          port, candidates.size()),
              detail,
              fmt::format("a running service without a metrics server usually lacks "
                          "{}=true (see env.enable_metrics); restart it with the variable set",
                          catalog::kEnableMetricsVariable));
}

}  // namespace e2e3d::doctor
