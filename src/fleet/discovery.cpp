// --from-prometheus: the targets a Prometheus server scrapes for a job, from its
// /api/v1/targets, labelled as that server labels them.

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "e2e3d/fleet.hpp"
#include "fetch/safe_text.hpp"
#include "fetch/target.hpp"
#include "fetch/transfer.hpp"

namespace e2e3d {
namespace {

using nlohmann::json;

std::string api_url(std::string_view server) {
  std::string base = server.find("://") == std::string_view::npos ? fmt::format("http://{}", server)
                                                                  : std::string(server);
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base + "/api/v1/targets?state=active";
}

// The transfer's own message speaks of an exporter; here the server is a Prometheus.
FetchError as_prometheus_failure(const FetchError& e, const std::string& url) {
  std::string where = redact_url(url);
  if (e.failure() == FetchFailure::refused &&
      std::string_view(e.what()).find("connection refused") != std::string_view::npos) {
    return FetchError(e.failure(),
                      fmt::format("cannot ask Prometheus for its targets at {}: nothing is "
                                  "listening on {}; check the address given with "
                                  "--from-prometheus (Prometheus listens on port 9090 unless "
                                  "told otherwise)",
                                  where, fetch_detail::parse_target(url).host_port()));
  }
  if (e.failure() == FetchFailure::http_status) {
    return FetchError(
        e.failure(),
        fmt::format("cannot ask Prometheus for its targets: {} answered HTTP {}: this is not a "
                    "Prometheus server's API; point --from-prometheus at the Prometheus server "
                    "itself (http://HOST:9090), without a path unless it runs under a prefix",
                    where, e.http_status()),
        e.http_status());
  }
  return e;
}

Error odd_answer(const std::string& url, std::string_view why) {
  return FetchError(FetchFailure::not_exposition,
                    fmt::format("cannot ask Prometheus for its targets: {} {}; point "
                                "--from-prometheus at a Prometheus server (http://HOST:9090)",
                                redact_url(url), why));
}

const json* member(const json& object, const char* name) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

std::vector<FleetTarget> discover_targets(const std::string& prometheus_url, std::string_view job,
                                          const FetchOptions& http) {
  FetchOptions options = http;
  options.url = api_url(prometheus_url);
  std::string body;
  fetch_detail::Transfer::ChunkSink collect = [&](std::string_view chunk, const FetchInfo&) {
    body.append(chunk);
  };
  try {
    fetch_detail::Transfer transfer(options, collect, fetch_detail::Expect::json);
    transfer.run();
  } catch (const FetchError& e) {
    throw as_prometheus_failure(e, options.url);
  }

  json answer = json::parse(body, nullptr, false);
  if (answer.is_discarded()) {
    std::string start = fetch_detail::one_line(body.substr(0, 40), 40);
    throw odd_answer(options.url, fmt::format("answered with something that is not JSON "
                                              "(it starts '{}')",
                                              start));
  }
  const json* status = member(answer, "status");
  if (status && *status == "error") {
    const json* error = member(answer, "error");
    throw odd_answer(options.url,
                     fmt::format("answered with an error: {}", error && error->is_string()
                                                                   ? error->get<std::string>()
                                                                   : std::string("(no message)")));
  }
  const json* data = member(answer, "data");
  const json* active = data ? member(*data, "activeTargets") : nullptr;
  if (!active || !active->is_array()) {
    throw odd_answer(options.url, "answered JSON without data.activeTargets");
  }

  std::vector<FleetTarget> targets;
  std::set<std::string> jobs;
  for (const json& entry : *active) {
    const json* url = member(entry, "scrapeUrl");
    const json* labels = member(entry, "labels");
    const json* pool = member(entry, "scrapePool");
    if (!url || !url->is_string() || !labels || !labels->is_object()) {
      throw odd_answer(options.url, "answered an active target without scrapeUrl and labels");
    }
    std::string its_job = labels->contains("job") && (*labels)["job"].is_string()
                              ? (*labels)["job"].get<std::string>()
                              : std::string();
    std::string its_pool = pool && pool->is_string() ? pool->get<std::string>() : its_job;
    jobs.insert(its_pool.empty() ? its_job : its_pool);
    if (its_job != job && its_pool != job) continue;

    FleetTarget target;
    target.url = url->get<std::string>();
    for (const auto& [name, value] : labels->items()) {
      if (name.rfind("__", 0) == 0 || !value.is_string()) continue;
      target.labels[name] = value.get<std::string>();
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
                                  redact_url(prometheus_url), job)
                    : fmt::format("Prometheus at {} has no active target of job '{}'; its jobs "
                                  "are: {}; pass the right one with --job",
                                  redact_url(prometheus_url), job, have));
  }
  return targets;
}

}  // namespace e2e3d
