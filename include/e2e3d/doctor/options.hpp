#pragma once
// Everything a doctor run is told: where the service is, where its configuration lives, what
// to check, and the thresholds. The CLI fills it from flags; tests fill it directly.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "e2e3d/catalog.hpp"
#include "e2e3d/fetch.hpp"

namespace e2e3d::doctor {

struct Options {
  // The target: a URL (source.fetch.url, with TLS and auth options) or a file (source.file).
  ScrapeSource source;
  // The whole run, all probes included, ends within this (plus a small margin).
  double timeout_seconds = 5.0;

  std::optional<pid_t> pid;                            // --pid: the service's process
  std::optional<std::string> compose_file;             // --compose FILE
  std::optional<std::string> service;                  // --service NAME (in the Compose file)
  std::optional<std::string> prometheus_config;        // --prometheus-config FILE
  std::string job = std::string(catalog::kScrapeJob);  // --job NAME
  std::optional<std::string> prometheus_url;           // --prometheus URL (server base URL)
  std::optional<std::string> rules_file;               // --rules FILE

  // The container runtime (Docker Engine API, or Podman's compatible one).
  std::optional<std::string> docker_host;           // --docker-host unix:///PATH | tcp://HOST:PORT
  std::optional<std::string> container;             // --container NAME|ID: the service's
  std::optional<std::string> prometheus_container;  // --prometheus-container NAME|ID
  int log_lines = 200;                              // --log-lines: the tail of each log read

  std::vector<std::string> only;  // --check ID: run these (and what they need), report these
  std::vector<std::string> skip;  // --skip ID: do not run; reported as skip

  // metrics.sanity thresholds.
  uint64_t job_id_series_warn = 10000;       // distinct job_id values before warning
  double open_fds_warn_ratio = 0.8;          // open/max file descriptors
  double idle_counters_warn_seconds = 3600;  // uptime with all job counters at zero
  // prometheus.target: a last scrape older than this many scrape intervals is stale.
  double stale_scrape_intervals = 3;

  // For tests: the /proc to read, the environment doctor itself runs in (default: its own),
  // and the wall clock (unix seconds; default: now).
  std::string proc_root = "/proc";
  std::optional<std::vector<std::pair<std::string, std::string>>> own_environment;
  std::optional<double> now_unix_seconds;
  // For tests: the sockets looked for when neither --docker-host nor DOCKER_HOST names one
  // (default: /var/run/docker.sock, then Podman's).
  std::optional<std::vector<std::string>> docker_sockets;
};

}  // namespace e2e3d::doctor
