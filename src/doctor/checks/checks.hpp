#pragma once
// The checks, one file each in this directory, and the small helpers they share.

#include <string>
#include <vector>

#include "e2e3d/doctor/context.hpp"
#include "e2e3d/doctor/result.hpp"

namespace e2e3d::doctor {

Result check_env_enable_metrics(Context& context);
Result check_process_metrics_server(Context& context);
Result check_port_listening(Context& context);
Result check_http_endpoint(Context& context);
Result check_exposition_valid(Context& context);
Result check_metrics_documented(Context& context);
Result check_metrics_sanity(Context& context);
Result check_prometheus_config(Context& context);
Result check_prometheus_target(Context& context);
Result check_alerts_rules(Context& context);

// docker-proxy, rootlesskit, slirp4netns, pasta: a program that publishes a container's port on
// the host. Its environment and command line are not the service's.
bool is_port_forwarder(const std::vector<std::string>& cmdline);

inline Result pass(std::string summary, std::string detail = "") {
  return {"", Status::pass, std::move(summary), std::move(detail), ""};
}
inline Result warn(std::string summary, std::string detail, std::string fix) {
  return {"", Status::warn, std::move(summary), std::move(detail), std::move(fix)};
}
inline Result fail(std::string summary, std::string detail, std::string fix) {
  return {"", Status::fail, std::move(summary), std::move(detail), std::move(fix)};
}
// A check whose input is missing: the summary names the flag that would enable it.
inline Result skip(std::string summary, std::string detail = "") {
  return {"", Status::skip, std::move(summary), std::move(detail), ""};
}

}  // namespace e2e3d::doctor
