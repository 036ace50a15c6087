// env.enable_metrics: the service starts its metrics server only when ENABLE_METRICS is
// `true` in any letter case. `1`, `yes` and `on` look like yes to people and are no to the
// service, so they fail with that said plainly.
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "checks.hpp"
#include "doctor/compose.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/sys/processes.hpp"

namespace e2e3d::doctor {
namespace {

constexpr std::string_view kVariable = catalog::kEnableMetricsVariable;

struct Source {
  std::string name;  // "/proc/123/environ (python3 app.py, the process listening on :9101)"
  std::optional<std::string> value;
  std::string fix;  // how to set it in this source
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string quoted(std::string_view value) {
  return fmt::format("\"{}\"", value);
}

Result judge(const Source& source, const std::vector<std::string>& notes) {
  std::string detail = fmt::format("source: {}", source.name);
  for (const auto& n : notes)
    detail += "\n" + n;
  if (!source.value) {
    return fail(
        fmt::format("{} is not set for the service: its metrics server does not start", kVariable),
        detail, source.fix);
  }
  const std::string& v = *source.value;
  if (lower(v) == catalog::kEnableMetricsValue) {
    return pass(fmt::format("{}={} in {}", kVariable, v, source.name), detail);
  }
  std::string l = lower(v);
  if (l == "1" || l == "yes" || l == "on" || l == "y" || l == "enabled" || l == "enable") {
    return fail(fmt::format("{}={}: the service accepts only `true` (any letter case); `{}` "
                            "leaves metrics off",
                            kVariable, v, v),
                detail, source.fix);
  }
  // " true", "true\r" (an env file with CRLF line ends), "\"true\"" (quotes kept as text).
  if (l.find("true") != std::string::npos) {
    return fail(fmt::format("{}={}: the value has extra characters; the service compares it "
                            "with `true` exactly (any letter case)",
                            kVariable, quoted(v)),
                detail, source.fix);
  }
  return fail(fmt::format("{}={}: metrics are off", kVariable, v.empty() ? "\"\"" : v), detail,
              source.fix);
}

bool is_true(const std::optional<std::string>& value) {
  return value && lower(*value) == catalog::kEnableMetricsValue;
}

std::string shown(const std::optional<std::string>& value) {
  return value ? fmt::format("`{}`", *value) : std::string("none");
}

// The running container's Config.Env is what its process got. A Compose file that says
// otherwise was changed after the container was created, and only recreating it applies it.
Result judge_container(Context& context, const ContainerProbe& probe,
                       std::vector<std::string> notes) {
  const Options& options = context.options();
  const docker::Container& c = *probe.container;
  auto value = sys::environment_value(c.env, kVariable);
  const std::string* label = c.label("com.docker.compose.service");
  std::string service =
      label ? *label : options.service.value_or(std::string(catalog::kServiceName));
  std::string created = c.created.substr(0, 19) + "Z";
  std::string source = fmt::format("{} (Config.Env; created {}; found: {})", probe.source(),
                                   created, probe.found_by);
  std::string fix =
      label ? fmt::format(
                  "in the Compose file, under services: {}: environment:, write `- {}=true`, "
                  "then `docker compose up -d {}` (it recreates the container)",
                  service, kVariable, service)
            : fmt::format(
                  "recreate container {} with {}=true in its environment (docker run -e "
                  "{}=true ...)",
                  c.name, kVariable, kVariable);
  if (options.compose_file) {
    try {
      ComposeValue compose = read_compose_variable(*options.compose_file, options.service,
                                                   kVariable, context.own_environment());
      std::string where =
          compose.origin.empty()
              ? fmt::format("{}, service {}", *options.compose_file, compose.service)
              : compose.origin;
      notes.push_back(
          fmt::format("the Compose file: {}={} ({})", kVariable, shown(compose.value), where));
      std::string up = fmt::format("docker compose up -d {}", compose.service);
      if (is_true(compose.value) && !is_true(value)) {
        std::string detail = fmt::format("source: {}", source);
        for (const auto& n : notes)
          detail += "\n" + n;
        return fail(fmt::format("the Compose file says {}={}, but container {} (created {}) has "
                                "{}: it was created before the file changed",
                                kVariable, *compose.value, c.name, created, shown(value)),
                    detail,
                    fmt::format("`{}` recreates the container from the file (a restart keeps the "
                                "old environment)",
                                up));
      }
      if (!is_true(compose.value) && is_true(value)) {
        std::string detail = fmt::format("source: {}", source);
        for (const auto& n : notes)
          detail += "\n" + n;
        return warn(fmt::format("container {} has {}={}, but the Compose file says {}: the next "
                                "`{}` turns metrics off",
                                c.name, kVariable, *value, shown(compose.value), up),
                    detail,
                    fmt::format("in {}, under services: {}: environment:, write `- {}=true`",
                                *options.compose_file, compose.service, kVariable));
      }
    } catch (const Error& e) {
      notes.push_back(fmt::format("the Compose file cannot be compared: {}", e.what()));
    }
  }
  return judge({source, value, fix}, notes);
}

std::string process_fix(pid_t pid) {
  return fmt::format(
      "start the service (PID {}) with {}=true in its environment (Compose: `environment: - "
      "{}=true`) and restart it",
      pid, kVariable, kVariable);
}

}  // namespace

Result check_env_enable_metrics(Context& context) {
  const Options& options = context.options();
  std::vector<std::string> notes;

  // 1. The process named with --pid.
  if (options.pid) {
    auto env = sys::read_environ(*options.pid, options.proc_root);
    if (env) {
      auto cmd =
          sys::read_cmdline(*options.pid, options.proc_root).value_or(std::vector<std::string>{});
      notes.push_back(
          fmt::format("command line of PID {}: {}", *options.pid, sys::format_cmdline(cmd)));
      return judge({fmt::format("/proc/{}/environ (--pid)", *options.pid),
                    sys::environment_value(*env, kVariable), process_fix(*options.pid)},
                   notes);
    }
    // The process named is the one to judge: another (the port's owner) is not a stand-in.
    struct stat process {};
    if (stat(fmt::format("{}/{}", options.proc_root, *options.pid).c_str(), &process) != 0) {
      return fail(fmt::format("--pid {}: no such process", *options.pid),
                  "the service's environment is read from the process named with --pid",
                  "pass the PID of the running service (pgrep -f reconstruction), or leave "
                  "--pid out to use the process listening on the port");
    }
    return skip(fmt::format("--pid {}: its environment cannot be read (another user's process)",
                            *options.pid),
                fmt::format("/proc/{}/environ is not readable by this user: run doctor as that "
                            "user or as root",
                            *options.pid));
  }

  // 2. The service's container, when the runtime shows one.
  if (const ContainerProbe& container = context.service_container(); container.container) {
    return judge_container(context, container, notes);
  }

  // 3. The process that owns the listening socket, when the service runs on this machine.
  if (context.url_host_is_local().value_or(false)) {
    const auto& owner = context.owner();
    if (owner.pid && is_port_forwarder(owner.cmdline)) {
      notes.push_back(
          fmt::format("the port is published by PID {} ({}): the service runs in a container whose "
                      "environment is not visible from here",
                      *owner.pid, sys::format_cmdline(owner.cmdline, 80)));
    } else if (owner.pid) {
      auto env = sys::read_environ(*owner.pid, options.proc_root);
      if (env) {
        notes.push_back(fmt::format("command line of PID {}: {}", *owner.pid,
                                    sys::format_cmdline(owner.cmdline)));
        return judge({fmt::format("/proc/{}/environ of the process listening on port {}",
                                  *owner.pid, context.url()->port),
                      sys::environment_value(*env, kVariable), process_fix(*owner.pid)},
                     notes);
      }
      notes.push_back(
          fmt::format("/proc/{}/environ of the listening process cannot be read "
                      "(another user's process: run doctor as that user or root)",
                      *owner.pid));
    }
  }

  // 4. The Compose file.
  if (options.compose_file) {
    ComposeValue compose;
    try {
      compose = read_compose_variable(*options.compose_file, options.service, kVariable,
                                      context.own_environment());
    } catch (const Error& e) {
      return fail("the Compose file cannot be used", e.what(),
                  "fix the file, or name the service with --service NAME");
    }
    std::string fix = fmt::format(
        "in {}, under services: {}: environment:, write `- {}=true` (list form) or `{}: \"true\"` "
        "(map form), then `docker compose up -d {}`",
        *options.compose_file, compose.service, kVariable, kVariable, compose.service);
    std::string name;
    if (compose.origin.empty()) {
      name = fmt::format("{}, service {}", *options.compose_file, compose.service);
    } else if (compose.from_shell) {
      name = fmt::format(
          "{}, service {}: passed through from the shell that runs docker compose "
          "(this shell: {})",
          compose.origin, compose.service, compose.value ? "set" : "not set");
    } else if (compose.raw != compose.value.value_or("")) {
      name = fmt::format("{}, service {}: `{}` interpolated", compose.origin, compose.service,
                         compose.raw);
    } else {
      name = fmt::format("{}, service {}", compose.origin, compose.service);
    }
    return judge({name, compose.value, fix}, notes);
  }

  // 5. Doctor's own environment: authoritative only when doctor runs inside the container.
  if (auto own = sys::environment_value(context.own_environment(), kVariable)) {
    return judge(
        {"doctor's own environment (right when doctor runs inside the service's "
         "container)",
         own, fmt::format("export {}=true in the environment that starts the service", kVariable)},
        notes);
  }
  std::string detail = "no source shows the service's environment";
  for (const auto& n : notes)
    detail += "\n" + n;
  return skip(
      "no source for the service's environment: pass --pid PID or --compose FILE "
      "[--service NAME], or run doctor inside the service's container",
      detail);
}

}  // namespace e2e3d::doctor
