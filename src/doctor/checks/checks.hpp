#pragma once
// The checks, one file each in this directory, and the small helpers they share.

#include <string>
#include <vector>

#include "doctor/text.hpp"
#include "e2e3d/doctor/context.hpp"
#include "e2e3d/doctor/result.hpp"

namespace e2e3d::doctor {

Result check_env_enable_metrics(Context& context);
Result check_container_state(Context& context);
Result check_process_metrics_server(Context& context);
Result check_port_listening(Context& context);
Result check_http_endpoint(Context& context);
Result check_exposition_valid(Context& context);
Result check_metrics_documented(Context& context);
Result check_metrics_sanity(Context& context);
Result check_container_logs(Context& context);
Result check_prometheus_config(Context& context);
Result check_prometheus_target(Context& context);
Result check_alerts_rules(Context& context);

// docker-proxy, rootlesskit, slirp4netns, pasta: a program that publishes a container's port on
// the host. Its environment and command line are not the service's.
bool is_port_forwarder(const std::vector<std::string>& cmdline);

// Every result is built here, so no check can put a control character into the report or a
// line break into a summary.
inline Result make_result(Status status, std::string_view summary, std::string_view detail,
                          std::string_view fix) {
  return {"", status, printable(summary, false), printable(detail, true), printable(fix, true)};
}
inline Result pass(std::string_view summary, std::string_view detail = "") {
  return make_result(Status::pass, summary, detail, "");
}
inline Result warn(std::string_view summary, std::string_view detail, std::string_view fix) {
  return make_result(Status::warn, summary, detail, fix);
}
inline Result fail(std::string_view summary, std::string_view detail, std::string_view fix) {
  return make_result(Status::fail, summary, detail, fix);
}
// A check whose input is missing: the summary names the flag that would enable it.
inline Result skip(std::string_view summary, std::string_view detail = "") {
  return make_result(Status::skip, summary, detail, "");
}

}  // namespace e2e3d::doctor
