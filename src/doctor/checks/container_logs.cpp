// container.logs: `docker logs` of the service and of Prometheus, read for the failures that
// explain a missing metrics server or a failing scrape, each quoted (a few lines, escaped,
// credentials masked). Known failures only: a log line that matches nothing is not a verdict.
#include <fmt/format.h>

#include "checks.hpp"
#include "doctor/container_text.hpp"
#include "e2e3d/catalog.hpp"

namespace e2e3d::doctor {
namespace {

constexpr std::size_t kMaxQuotes = 6;

struct Finding {
  Status status = Status::warn;
  std::string summary;
  std::string fix;
  std::vector<std::string> quotes;  // raw lines, quoted at the end
};

bool contains(std::string_view line, std::string_view part) {
  return line.find(part) != std::string_view::npos;
}

// The exception line of the Python traceback that starts at `first`: the first line after it
// that is not indented (the frames are).
std::size_t exception_line(const std::vector<docker::LogLine>& lines, std::size_t first) {
  for (std::size_t i = first + 1; i < lines.size(); ++i) {
    const std::string& t = lines[i].text;
    if (!t.empty() && t[0] != ' ' && t[0] != '\t') return i;
  }
  return lines.size();
}

std::vector<Finding> scan_service(const std::vector<docker::LogLine>& lines, bool running,
                                  uint16_t port) {
  Finding bind{Status::fail, "", "", {}}, import{Status::fail, "", "", {}},
      traceback{running ? Status::warn : Status::fail, "", "", {}},
      denied{Status::warn, "", "", {}};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& t = lines[i].text;
    if (contains(t, "Address already in use") || contains(t, "[Errno 98]")) {
      bind.quotes.push_back(t);
    } else if ((contains(t, "ImportError") || contains(t, "ModuleNotFoundError")) &&
               contains(t, "prometheus_client")) {
      import.quotes.push_back(t);
    } else if (contains(t, "Traceback (most recent call last)")) {
      std::size_t e = exception_line(lines, i);
      if (e < lines.size()) traceback.quotes.push_back(lines[e].text);
    } else if (contains(t, "Permission denied") || contains(t, "PermissionError")) {
      denied.quotes.push_back(t);
    }
  }
  std::vector<Finding> out;
  if (!bind.quotes.empty()) {
    bind.summary = fmt::format("the service's log says its port is taken: \"{}\"",
                               quoted_log_line(bind.quotes.back()));
    bind.fix = fmt::format(
        "another process in the container's network namespace (or on the host, with "
        "network_mode: host) already listens on port {}: stop it, or start the metrics server "
        "on a free port and point --url and prometheus.yml at it",
        port);
    out.push_back(bind);
  }
  if (!import.quotes.empty()) {
    import.summary = "the service cannot import prometheus_client: \"" +
                     quoted_log_line(import.quotes.back()) + "\"";
    import.fix =
        "install prometheus-client in the image (pip install prometheus-client, or add it "
        "to requirements.txt) and rebuild it";
    out.push_back(import);
  }
  if (!traceback.quotes.empty()) {
    traceback.summary =
        fmt::format("the service's log has {} Python traceback(s), the last: \"{}\"",
                    traceback.quotes.size(), quoted_log_line(traceback.quotes.back()));
    traceback.fix = running ? "the service survived it; if metrics are missing, this is why"
                            : "the exception ended the service: fix its cause, then restart the "
                              "container (docker compose up -d)";
    out.push_back(traceback);
  }
  if (!denied.quotes.empty()) {
    denied.summary = "the service's log reports a permission denied: \"" +
                     quoted_log_line(denied.quotes.back()) + "\"";
    denied.fix = "check the user the container runs as and the files and ports it needs";
    out.push_back(denied);
  }
  return out;
}

std::vector<Finding> scan_prometheus(const std::vector<docker::LogLine>& lines) {
  Finding config{Status::fail, "", "", {}}, scrape{Status::warn, "", "", {}};
  for (const auto& line : lines) {
    const std::string& t = line.text;
    if (contains(t, "Error loading config")) {
      config.quotes.push_back(t);
    } else if (contains(t, "no such host") || contains(t, "context deadline exceeded") ||
               (contains(t, "scrape") &&
                (contains(t, "level=error") || contains(t, "level=warn")))) {
      scrape.quotes.push_back(t);
    }
  }
  std::vector<Finding> out;
  if (!config.quotes.empty()) {
    config.summary = "Prometheus's log says it cannot load its configuration: \"" +
                     quoted_log_line(config.quotes.back()) + "\"";
    config.fix =
        "fix prometheus.yml at the place the message names (promtool check config), "
        "then restart Prometheus or POST /-/reload";
    out.push_back(config);
  }
  if (!scrape.quotes.empty()) {
    scrape.summary = "Prometheus's log reports scrape or lookup errors: \"" +
                     quoted_log_line(scrape.quotes.back()) + "\"";
    scrape.fix =
        "no such host: the target's name does not resolve on Prometheus's networks "
        "(see prometheus.target); context deadline exceeded: the target answers slower "
        "than scrape_timeout";
    out.push_back(scrape);
  }
  return out;
}

}  // namespace

Result check_container_logs(Context& context) {
  const ContainerProbe& service = context.service_container();
  if (auto unusable = container_unusable(context, service)) return *unusable;
  const docker::Container& c = *service.container;
  const LogProbe& log = context.service_logs();
  if (!log.error.empty()) {
    return fail(fmt::format("the log of container {} cannot be read", c.name), log.error,
                "check the container's logging driver: `docker logs` needs json-file, local or "
                "journald");
  }
  std::string detail = fmt::format("source: docker logs --tail {} {} ({} line(s))",
                                   context.options().log_lines, c.name, log.lines.size());
  auto findings = scan_service(log.lines, c.state.running,
                               context.inside().port ? context.inside().port : catalog::kPort);
  const ContainerProbe& prometheus = context.prometheus_container();
  if (prometheus.container) {
    const LogProbe& plog = context.prometheus_logs();
    if (plog.error.empty()) {
      detail +=
          fmt::format("\nsource: docker logs --tail {} {} ({} line(s))",
                      context.options().log_lines, prometheus.container->name, plog.lines.size());
      auto more = scan_prometheus(plog.lines);
      findings.insert(findings.end(), more.begin(), more.end());
    } else {
      detail +=
          fmt::format("\nthe log of {} cannot be read: {}", prometheus.container->name, plog.error);
    }
  }
  if (findings.empty()) {
    return pass(
        fmt::format("no known failure in the last {} line(s) of {}'s log{}", log.lines.size(),
                    c.name,
                    prometheus.container ? " nor in " + prometheus.container->name + "'s" : ""),
        detail);
  }
  // The worst finding leads; every finding's lines are quoted, a few at most.
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return a.status == Status::fail && b.status != Status::fail;
  });
  std::size_t quoted = 0;
  std::string fixes;
  for (const auto& f : findings) {
    detail += "\n" + f.summary;
    std::size_t first = f.quotes.size() > 2 ? f.quotes.size() - 2 : 0;
    for (std::size_t i = first; i < f.quotes.size() && quoted < kMaxQuotes; ++i, ++quoted)
      detail += "\n  " + quoted_log_line(f.quotes[i]);
    fixes += (fixes.empty() ? "" : "\n") + f.fix;
  }
  const Finding& lead = findings.front();
  return lead.status == Status::fail ? fail(lead.summary, detail, fixes)
                                     : warn(lead.summary, detail, fixes);
}

}  // namespace e2e3d::doctor
