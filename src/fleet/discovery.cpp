// --from-prometheus: the targets a Prometheus server scrapes for a job, from its
// /api/v1/targets, labelled as that server labels them.

#include <fmt/format.h>

#include <set>
#include <string>

#include "e2e3d/fleet.hpp"
#include "e2e3d/prometheus_api.hpp"

namespace e2e3d {

std::vector<FleetTarget> discover_targets(const std::string& prometheus_url, std::string_view job,
                                          const FetchOptions& http) {
  PrometheusApi api(prometheus_url, http, "--from-prometheus");
  std::vector<FleetTarget> targets;
  std::set<std::string> jobs;
  for (PrometheusTarget& entry : api.active_targets()) {
    auto job_label = entry.labels.find("job");
    std::string its_job = job_label == entry.labels.end() ? std::string() : job_label->second;
    std::string its_pool = entry.scrape_pool.empty() ? its_job : entry.scrape_pool;
    jobs.insert(its_pool.empty() ? its_job : its_pool);
    if (its_job != job && its_pool != job) continue;

    FleetTarget target;
    target.url = std::move(entry.scrape_url);
    for (auto& [name, value] : entry.labels) {
      if (name.rfind("__", 0) != 0) target.labels[name] = std::move(value);
    }
    targets.push_back(std::move(target));
  }
  if (targets.empty()) {
    std::string have;
    for (const auto& name : jobs)
      have += (have.empty() ? "" : ", ") + name;
    throw Error(ErrorKind::config,
                jobs.empty()
                    ? fmt::format("Prometheus at {} has no active targets at all, so none of job "
                                  "'{}'; check that it is the server that scrapes the service",
                                  api.name(), job)
                    : fmt::format("Prometheus at {} has no active target of job '{}'; its jobs "
                                  "are: {}; pass the right one with --job",
                                  api.name(), job, have));
  }
  make_labels_distinct(targets);
  return targets;
}

}  // namespace e2e3d
