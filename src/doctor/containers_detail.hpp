#pragma once
// Helpers shared by the container probes and the checks that read them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/docker/container.hpp"
#include "e2e3d/doctor/context.hpp"

namespace e2e3d::doctor {

// The time one API call may take: what is left of the run (at least 50 ms).
double call_budget(const Context& context);

// A Prometheus server by its image (prom/prometheus, bitnami/prometheus:2.42) or by its command
// (/bin/prometheus --config.file=...).
bool runs_prometheus(std::string_view image, std::string_view command);

// The value of a Go-style flag in a command line: `--name=value`, `-name=value`, or the
// argument after `--name` / `-name`.
std::optional<std::string> flag_value(const std::vector<std::string>& argv, std::string_view name);

// The networks both containers are attached to.
std::vector<std::string> shared_networks(const docker::Container& a, const docker::Container& b);

// The names other containers on a user-defined network reach `c` by: its name, its aliases
// (the Compose service name among them) and its short id.
std::vector<std::string> names_on_network(const docker::Container& c,
                                          const docker::NetworkAttachment& network);

// "e2e3d_default (172.18.0.2), other (172.19.0.5)" or "none".
std::string describe_networks(const docker::Container& c);

// "0.0.0.0:9101->9101/tcp, [::]:9101->9101/tcp" or "not published".
std::string describe_published(const docker::Container& c, int container_port);

}  // namespace e2e3d::doctor
