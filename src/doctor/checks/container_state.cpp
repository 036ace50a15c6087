// container.state: `docker ps` / `docker inspect` for the service's container. A metrics server
// cannot answer from a container that exited, restarts in a loop or is paused, and the reason
// (exit code, OOM kill, the last lines it wrote) is right there in the runtime.
#include <fmt/format.h>

#include "checks.hpp"
#include "doctor/container_text.hpp"
#include "e2e3d/docker/container.hpp"

namespace e2e3d::doctor {
namespace {

constexpr std::size_t kQuotedLines = 8;

std::string when(const Context& context, const std::string& rfc3339) {
  auto t = docker::parse_timestamp(rfc3339);
  if (!t) return "at an unknown time";
  return fmt::format("{} ({} ago)", rfc3339.substr(0, 19) + "Z",
                     human_age(context.now_unix_seconds() - *t));
}

std::string recreate_fix(const docker::Container& c) {
  if (const auto* service = c.label("com.docker.compose.service")) {
    return fmt::format("docker compose up -d {}", *service);
  }
  return fmt::format("docker start {}", c.name);
}

}  // namespace

Result check_container_state(Context& context) {
  const ContainerProbe& probe = context.service_container();
  if (auto unusable = container_unusable(context, probe)) return *unusable;
  const docker::Container& c = *probe.container;
  const docker::ContainerState& s = c.state;
  std::string detail = fmt::format("source: {} (found: {})\nimage {}, created {}", probe.source(),
                                   probe.found_by, c.image, c.created.substr(0, 19) + "Z");
  auto with_log = [&](std::string text) {
    std::string tail = last_log_lines(context.service_logs(), kQuotedLines);
    return tail.empty() ? text : text + "\nlast lines of its log (docker logs):\n" + tail;
  };

  if (s.restarting || (s.status == "restarting")) {
    return fail(fmt::format("container {} is restarting: it exited with code {} and has been "
                            "restarted {} time(s)",
                            c.name, s.exit_code, c.restart_count),
                with_log(detail + fmt::format("\nrestart policy: {}; last exit {}",
                                              c.restart_policy, when(context, s.finished_at))),
                "the main process keeps exiting: read the traceback in its log (container.logs), "
                "fix the cause, then " +
                    recreate_fix(c));
  }
  if (s.paused) {
    return fail(fmt::format("container {} is paused: its processes are frozen", c.name), detail,
                fmt::format("docker unpause {}", c.name));
  }
  if (!s.running) {
    std::string why =
        s.oom_killed ? ", killed for using more memory than its limit (OOMKilled)" : "";
    if (!s.error.empty()) why += fmt::format(" ({})", s.error);
    std::string summary =
        s.status == "created"
            ? fmt::format("container {} was created but never started", c.name)
            : fmt::format("container {} is {}: exit code {}{}", c.name,
                          s.status.empty() ? "stopped" : s.status, s.exit_code, why);
    std::string fix;
    if (s.oom_killed) {
      fix =
          "raise the container's memory limit (deploy.resources.limits.memory, or mem_limit), "
          "then " +
          recreate_fix(c);
    } else if (s.exit_code != 0) {
      fix = "read why it failed in its log (container.logs quotes it), fix that, then " +
            recreate_fix(c);
    } else {
      fix = recreate_fix(c);
    }
    return fail(summary,
                with_log(detail + fmt::format("\nexited {}", when(context, s.finished_at))), fix);
  }

  std::string summary =
      fmt::format("container {} is running, started {}", c.name, when(context, s.started_at));
  if (s.health) {
    const docker::Health& h = *s.health;
    std::string probe_text = h.last_output.empty()
                                 ? ""
                                 : fmt::format("\nlast healthcheck (exit {}): {}", h.last_exit_code,
                                               h.last_output.substr(0, 300));
    if (h.status == "unhealthy") {
      return fail(fmt::format("container {} is unhealthy: its healthcheck failed {} time(s) in a "
                              "row",
                              c.name, h.failing_streak),
                  detail + probe_text,
                  "the healthcheck's own output above says why; fix the service or the "
                  "healthcheck command");
    }
    if (h.status == "starting") {
      return warn(
          fmt::format("container {} is running, its healthcheck has not passed yet", c.name),
          detail + probe_text, "wait for the healthcheck's start period and run doctor again");
    }
    summary += fmt::format(", {}", h.status);
  }
  if (c.restart_count > 0) {
    return warn(fmt::format("container {} is running but has been restarted {} time(s)", c.name,
                            c.restart_count),
                with_log(detail + "\n" + summary),
                "it crashed before: read its log (container.logs) for the reason");
  }
  return pass(summary, detail);
}

}  // namespace e2e3d::doctor
