// The checklist: the spec's troubleshooting steps in the order an operator works through them.
// Ids are a contract (ARCHITECTURE.md): new checks get new ids, ids are never reused.
#include "checks/checks.hpp"
#include "e2e3d/doctor/doctor.hpp"

namespace e2e3d::doctor {

const std::vector<CheckSpec>& checks() {
  static const std::vector<CheckSpec> kChecks = {
      {"env.enable_metrics",
       "ENABLE_METRICS is true for the service",
       {},
       check_env_enable_metrics},
      {"container.state", "the service's container is running", {}, check_container_state},
      {"process.metrics_server",
       "the metrics server process is running",
       {"container.state"},
       check_process_metrics_server},
      {"port.listening",
       "the metrics port is listening",
       {"container.state"},
       check_port_listening},
      {"http.endpoint", "the metrics endpoint answers", {}, check_http_endpoint},
      {"exposition.valid",
       "the response is valid exposition",
       {"http.endpoint"},
       check_exposition_valid},
      {"metrics.documented",
       "the documented metrics are exposed",
       {"exposition.valid"},
       check_metrics_documented},
      {"metrics.sanity", "the values are plausible", {"exposition.valid"}, check_metrics_sanity},
      {"container.logs", "the containers' logs show no known failure", {}, check_container_logs},
      {"prometheus.config", "prometheus.yml scrapes the service", {}, check_prometheus_config},
      {"prometheus.target", "Prometheus scrapes the service", {}, check_prometheus_target},
      {"alerts.rules", "the alert rules can fire", {"exposition.valid"}, check_alerts_rules},
  };
  return kChecks;
}

const CheckSpec* find_check(std::string_view id) {
  for (const auto& spec : checks()) {
    if (spec.id == id) return &spec;
  }
  return nullptr;
}

}  // namespace e2e3d::doctor
