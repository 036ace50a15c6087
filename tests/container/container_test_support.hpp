#pragma once
// The document's Compose deployment, built for each scenario: the service (the real Python
// client, tests/support/e2e3d_exporter.py) publishing 9101 and a real Prometheus scraping
// `reconstruction-service:9101` on the project's network; doctor run against it as a user would.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "support/child_process.hpp"
#include "support/docker_fixture.hpp"

namespace e2e3d::test {

struct Deployment {
  // `environment:` lines of the service ("- ENABLE_METRICS=true"); empty: no environment key.
  std::vector<std::string> environment = {"ENABLE_METRICS=true"};
  std::string bind = "0.0.0.0";  // the exporter's --bind inside the container
  // `ports:` entry of the service ("HOST:9101", "127.0.0.1:HOST:9101"); empty: not published.
  std::string ports;
  std::string service_command;  // replaces the exporter's command (a YAML flow list)
  std::string service_extra;    // more keys under the service (restart: always, networks: ...)
  std::string prometheus_extra;
  std::string networks;  // a top-level networks: block
  bool with_prometheus = true;
};

inline std::string exporter_command(const std::string& bind) {
  return fmt::format(
      R"(["/usr/bin/python3", "/support/e2e3d_exporter.py", "--bind", "{}", "--port", "9101", "--require-enable-metrics"])",
      bind);
}

inline std::string compose_yaml(const Deployment& d) {
  std::string y = "version: \"3.8\"\n" + compose_host_anchor() + "services:\n";
  y += "  reconstruction-service:\n    <<: *host\n";
  y +=
      "    command: " + (d.service_command.empty() ? exporter_command(d.bind) : d.service_command) +
      "\n";
  if (!d.environment.empty()) {
    y += "    environment:\n";
    for (const auto& e : d.environment)
      y += "      - " + e + "\n";
  }
  if (!d.ports.empty()) y += "    ports:\n      - \"" + d.ports + "\"\n";
  y += d.service_extra;
  if (d.with_prometheus) {
    y += "  prometheus:\n    <<: *host\n";
    y +=
        R"(    command: ["/usr/bin/prometheus", "--config.file=/config/prometheus.yml", "--storage.tsdb.path=/tmp/prometheus", "--web.listen-address=0.0.0.0:9090"])";
    y += "\n    volumes:\n";
    for (const char* v : {"/usr:/usr:ro", "/lib:/lib:ro", "/lib64:/lib64:ro", "/bin:/bin:ro",
                          "/etc:/etc:ro", "./:/config:ro"}) {
      y += fmt::format("      - {}\n", v);
    }
    y += d.prometheus_extra;
  }
  y += d.networks;
  return y;
}

inline std::string prometheus_yaml(const std::string& target = "reconstruction-service:9101") {
  return fmt::format(R"(global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: 'e2e3d'
    scrape_interval: 1s
    static_configs:
      - targets: ['{}']
)",
                     target);
}

// The project, up, with prometheus.yml written first.
struct Running {
  ComposeProject project;
  int host_port = 0;
  explicit Running(const Deployment& d, const std::string& prometheus = prometheus_yaml())
      : project(compose_yaml(d)) {
    project.write("prometheus.yml", prometheus);
    project.up();
  }
  std::string container(const std::string& service = "reconstruction-service") const {
    auto r = project.compose({"ps", "-q", service});
    std::string id = r.out.substr(0, r.out.find('\n'));
    auto name = docker({"inspect", "--format", "{{.Name}}", id});
    std::string n = name.out.substr(0, name.out.find('\n'));
    return n.starts_with("/") ? n.substr(1) : n;
  }
};

struct DoctorRun {
  RunResult raw;
  nlohmann::json report;
  const nlohmann::json& check(const std::string& id) const {
    for (const auto& c : report["checks"]) {
      if (c["id"] == id) return c;
    }
    FAIL("no check " << id << " in " << raw.out);
    static nlohmann::json none;
    return none;
  }
  std::string status(const std::string& id) const { return check(id)["status"]; }
  std::string text(const std::string& id) const {
    const auto& c = check(id);
    return c["summary"].get<std::string>() + "\n" + c["detail"].get<std::string>() +
           "\nfix: " + c["fix"].get<std::string>();
  }
};

inline DoctorRun doctor(std::vector<std::string> args, std::vector<std::string> env = {},
                        const std::string& timeout = "10") {
  args.insert(args.begin(), "doctor");
  args.insert(args.end(), {"--output", "json", "--timeout", timeout});
  env.push_back("DOCKER_HOST=" + require_docker_host());
  DoctorRun d;
  d.raw = run_tool(args, env);
  INFO("doctor: " << d.raw.out << d.raw.err);
  d.report = nlohmann::json::parse(d.raw.out, nullptr, false);
  REQUIRE(d.report.is_object());
  return d;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline std::string metrics_url(int port) {
  return fmt::format("http://127.0.0.1:{}/metrics", port);
}

// Waits until the service answers on `url` (the published port).
inline void wait_for_metrics(const std::string& url) {
  REQUIRE(wait_until([&] { return contains(http_body(url), "reconstruction_total"); }));
}

// Waits until the container's log has a line containing `text`.
inline void wait_for_log(const std::string& container, const std::string& text) {
  REQUIRE(wait_until([&] {
    auto r = docker({"logs", container});
    return contains(r.out + r.err, text);
  }));
}

}  // namespace e2e3d::test

namespace e2e3d::test {

// The address of a container on its first network.
inline std::string container_ip(const std::string& container) {
  auto r = docker({"inspect", "--format",
                   "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", container});
  return r.out.substr(0, r.out.find(' '));
}

// Prometheus's own health of the target, from its API on the container's address.
inline std::string target_health(const std::string& prometheus_container) {
  auto body =
      http_body(fmt::format("http://{}:9090/api/v1/targets", container_ip(prometheus_container)));
  if (contains(body, "\"health\":\"up\"")) return "up";
  if (contains(body, "\"health\":\"down\"")) return "down";
  return "unknown";
}

inline void wait_for_target(const std::string& prometheus_container, const std::string& health) {
  REQUIRE(wait_until([&] { return target_health(prometheus_container) == health; },
                     std::chrono::seconds(40)));
}

}  // namespace e2e3d::test
