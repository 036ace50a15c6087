// prometheus.config: `cat prometheus.yml | grep reconstruction`, done properly: the YAML
// parses, a job scrapes the service, and the mistakes people make in that job are named
// (a URL where host:port belongs, the wrong port, a timeout longer than the interval).
#include <yaml-cpp/yaml.h>

#include <set>

#include <fmt/format.h>

#include "checks.hpp"
#include "doctor/containers_detail.hpp"
#include "doctor/duration.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/sys/bounded_file.hpp"
#include "e2e3d/yaml_load.hpp"

namespace e2e3d::doctor {
namespace {

constexpr double kDefaultInterval = 60;  // Prometheus's global defaults
constexpr double kDefaultTimeout = 10;

std::string at(const std::string& path, const YAML::Node& node) {
  return fmt::format("{}:{}", path, node.Mark().line + 1);
}

std::string documented_job(const std::string& job, const std::string& target) {
  return fmt::format(
      "scrape_configs:\n  - job_name: '{}'\n    scrape_interval: {}\n    static_configs:\n"
      "      - targets: ['{}']",
      job, catalog::kScrapeInterval, target);
}

// host:port targets of a job's static_configs.
std::vector<std::pair<std::string, YAML::Node>> static_targets(const YAML::Node& job) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  if (!job["static_configs"] || !job["static_configs"].IsSequence()) return out;
  for (const auto& sc : job["static_configs"]) {
    if (!sc["targets"] || !sc["targets"].IsSequence()) continue;
    for (const auto& t : sc["targets"]) {
      if (t.IsScalar()) out.emplace_back(t.Scalar(), t);
    }
  }
  return out;
}

std::optional<uint16_t> target_port(std::string_view target) {
  auto colon = target.rfind(':');
  auto bracket = target.rfind(']');
  if (colon == std::string_view::npos || (bracket != std::string_view::npos && colon < bracket)) {
    return std::nullopt;
  }
  try {
    int port = std::stoi(std::string(target.substr(colon + 1)));
    if (port > 0 && port < 65536) return static_cast<uint16_t>(port);
  } catch (...) {
  }
  return std::nullopt;
}

// One problem: where it is (file:line, may be empty) and what it is.
struct Finding {
  std::string where;
  std::string text;
  std::string line() const { return where.empty() ? text : where + ": " + text; }
};

std::vector<std::string> discovery_kinds(const YAML::Node& job) {
  std::vector<std::string> out;
  for (const auto& entry : job) {
    std::string key = entry.first.Scalar();
    if (key.ends_with("_sd_configs")) out.push_back(key);
  }
  return out;
}

}  // namespace

namespace {

// Where the service is, seen from Prometheus's container: the names it has on its networks and
// the port it listens on there (not the one published on the host).
struct ServiceInContainer {
  std::set<std::string> names;  // container name, aliases (the Compose service), addresses
  uint16_t port = 0;
  std::set<uint16_t> published;  // host ports
  std::string container;
};

std::optional<ServiceInContainer> service_in_container(Context& context) {
  const ContainerProbe& probe = context.service_container();
  if (!probe.container) return std::nullopt;
  ServiceInContainer out;
  const docker::Container& c = *probe.container;
  out.container = c.name;
  out.port = context.inside().port;
  for (const auto& n : c.networks) {
    for (auto& name : names_on_network(c, n))
      out.names.insert(name);
    if (!n.ip_address.empty()) out.names.insert(n.ip_address);
  }
  for (const auto& b : c.published) {
    if (b.container_port == out.port) out.published.insert(static_cast<uint16_t>(b.host_port));
  }
  return out;
}

std::string host_of(std::string_view target) {
  auto colon = target.rfind(':');
  std::string_view host = target.substr(0, colon);
  if (host.starts_with("[") && host.ends_with("]")) host = host.substr(1, host.size() - 2);
  return std::string(host);
}

Result check_config(Context& context, const std::string& path, const std::string& text,
                    const std::string& source) {
  const Options& options = context.options();
  YAML::Node root;
  try {
    root = load_yaml(text);
  } catch (const YAML::Exception& e) {
    return fail(fmt::format("{} is not valid YAML", path),
                fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg),
                "fix the YAML at that place (indentation is the usual cause); Prometheus refuses "
                "to start or to reload with it");
  }

  if (!root.IsMap()) {
    return fail(fmt::format("{} is not a Prometheus configuration", path),
                fmt::format("{}:{}: the document is not a mapping", path, root.Mark().line + 1),
                "pass the prometheus.yml that Prometheus loads (--config.file)");
  }
  auto service = service_in_container(context);
  bool prometheus_in_container =
      context.prometheus_container().container.has_value() && !options.prometheus_config;
  std::set<uint16_t> ports{catalog::kPort};
  if (context.url()) ports.insert(context.url()->port);
  if (service) {
    ports.insert(service->port);
    ports.insert(service->published.begin(), service->published.end());
  }
  std::string ports_text;
  for (auto p : ports)
    ports_text += fmt::format("{}{}", ports_text.empty() ? "" : " or ", p);
  std::string expected_target = fmt::format("{}:{}", catalog::kServiceName, catalog::kPort);

  auto global = root["global"];
  double global_interval = kDefaultInterval, global_timeout = kDefaultTimeout;
  std::vector<Finding> failures, warnings;
  auto duration_of = [&](const YAML::Node& node, double fallback, std::string_view what) {
    if (!node) return fallback;
    auto d = parse_prometheus_duration(node.Scalar());
    if (!d) {
      failures.push_back({at(path, node),
                          fmt::format("{} `{}` is not a duration (15s, 1m)", what, node.Scalar())});
      return fallback;
    }
    return *d;
  };
  if (global && global.IsMap()) {
    global_interval = duration_of(global["scrape_interval"], kDefaultInterval, "scrape_interval");
    global_timeout = duration_of(global["scrape_timeout"], kDefaultTimeout, "scrape_timeout");
  }

  auto configs = root["scrape_configs"];
  if (!configs || !configs.IsSequence() || configs.size() == 0) {
    return fail(fmt::format("{} has no scrape_configs", path), "",
                "add the job:\n" + documented_job(options.job, expected_target));
  }
  // optional, not a Node: assigning to a valid Node overwrites the node it refers to.
  std::optional<YAML::Node> found_job;
  std::vector<std::string> names, same_port;
  for (const auto& c : configs) {
    std::string name = c["job_name"] ? c["job_name"].Scalar() : "";
    names.push_back(name);
    if (name == options.job && !found_job) found_job.emplace(static_cast<const YAML::Node&>(c));
    for (const auto& [t, n] : static_targets(c)) {
      if (auto p = target_port(t); p && ports.count(*p) && name != options.job) {
        same_port.push_back(fmt::format("{} ({})", name, t));
      }
    }
  }
  if (!found_job) {
    std::string jobs;
    for (const auto& n : names)
      jobs += (jobs.empty() ? "" : ", ") + n;
    if (!same_port.empty()) {
      return fail(
          fmt::format("no job named {}; job {} targets the service's port", options.job,
                      same_port.front()),
          fmt::format("jobs in {}: {}", path, jobs),
          fmt::format("pass --job {} to check that job, or rename it to {} (the name the "
                      "document's queries and dashboards use)",
                      same_port.front().substr(0, same_port.front().find(' ')), options.job));
    }
    return fail(
        fmt::format("no job named {} in {}: Prometheus does not scrape the service", options.job,
                    path),
        fmt::format("jobs in {}: {}", path, jobs.empty() ? "none" : jobs),
        "add the job under scrape_configs:\n" + documented_job(options.job, expected_target));
  }

  const YAML::Node& job = *found_job;
  double interval = duration_of(job["scrape_interval"], global_interval, "scrape_interval");
  // A job without its own timeout takes the global one, capped by its own interval.
  double timeout = job["scrape_timeout"]
                       ? duration_of(job["scrape_timeout"], global_timeout, "scrape_timeout")
                       : std::min(global_timeout, interval);

  auto targets = static_targets(job);
  auto discovery = discovery_kinds(job);
  std::vector<std::string> good_targets;
  for (const auto& [t, node] : targets) {
    if (t.find("://") != std::string::npos) {
      auto host_start = t.find("://") + 3;
      auto host_end = t.find('/', host_start);
      failures.push_back(
          {at(path, node),
           fmt::format(
               "target `{}` contains a URL scheme: targets are host:port (Prometheus "
               "rejects the file); write `{}` and set `scheme:` if needed",
               t,
               t.substr(host_start, host_end == std::string::npos ? std::string::npos
                                                                  : host_end - host_start))});
      continue;
    }
    auto port = target_port(t);
    if (!port) {
      failures.push_back(
          {at(path, node), fmt::format("target `{}` has no port: Prometheus uses 80 (or 443 for "
                                       "https); the service listens on {}",
                                       t, catalog::kPort)});
      continue;
    }
    std::string host = host_of(t);
    if (service && service->names.count(host) && *port != service->port) {
      failures.push_back(
          {at(path, node),
           service->published.count(*port)
               ? fmt::format("target `{}` uses the port container {} is published on, on the "
                             "host ({}); on the container network it listens on {}: write `{}:{}`",
                             t, service->container, *port, service->port, host, service->port)
               : fmt::format("target `{}` uses port {}: in container {} the metrics server "
                             "listens on {}",
                             t, *port, service->container, service->port)});
      continue;
    }
    if (prometheus_in_container &&
        (host == "localhost" || host.starts_with("127.") || host == "::1")) {
      failures.push_back(
          {at(path, node),
           fmt::format("target `{}`: inside Prometheus's container, {} is Prometheus's own "
                       "container, not the service; write `{}:{}`",
                       t, host, catalog::kServiceName, service ? service->port : catalog::kPort)});
      continue;
    }
    if (!ports.count(*port)) {
      failures.push_back(
          {at(path, node), fmt::format("target `{}` uses port {}: the metrics server listens on {}",
                                       t, *port, ports_text)});
      continue;
    }
    good_targets.push_back(t);
  }
  if (targets.empty() && discovery.empty()) {
    failures.push_back({at(path, job), fmt::format("job {} has no targets", options.job)});
  }
  if (targets.empty() && !discovery.empty()) {
    warnings.push_back(
        {at(path, job), fmt::format("job {} finds its targets with {}: doctor cannot see which; "
                                    "prometheus.target checks the live server",
                                    options.job, discovery.front())});
  }
  std::string expected_path =
      context.url() ? context.url()->path : std::string(catalog::kMetricsPath);
  if (auto mp = job["metrics_path"]; mp && mp.Scalar() != expected_path) {
    failures.push_back({at(path, mp), fmt::format("metrics_path {} but the metrics are at {}",
                                                  mp.Scalar(), expected_path)});
  }
  if (auto scheme = job["scheme"]) {
    std::string want = context.url() ? context.url()->scheme : "http";
    if (scheme.Scalar() != want) {
      failures.push_back(
          {at(path, scheme),
           fmt::format("scheme {} but the metrics server speaks {}", scheme.Scalar(), want)});
    }
  }
  if (timeout > interval) {
    failures.push_back(
        {at(path, job), fmt::format("scrape_timeout {} is longer than scrape_interval {}: "
                                    "Prometheus refuses to load this configuration",
                                    format_duration(timeout), format_duration(interval))});
  }
  if (interval > 120) {
    warnings.push_back(
        {at(path, job),
         fmt::format("scrape_interval {} is long: series go stale after 5m without a sample, so "
                     "queries and alerts see gaps; the document uses {}",
                     format_duration(interval), catalog::kScrapeInterval)});
  }

  std::string summary_targets;
  for (const auto& t : good_targets)
    summary_targets += (summary_targets.empty() ? "" : ", ") + t;
  std::string detail;
  auto add = [&](const std::string& line) { detail += (detail.empty() ? "" : "\n") + line; };
  for (const auto& f : failures)
    add(f.line());
  for (const auto& w : warnings)
    add(w.line());
  add("source: " + source);
  add(fmt::format("job {} ({}): interval {}, timeout {}, targets: {}", options.job, at(path, job),
                  format_duration(interval), format_duration(timeout),
                  summary_targets.empty() ? "none usable" : summary_targets));
  if (!failures.empty()) {
    return fail(
        failures.front().text, detail,
        "the job as the document writes it:\n" + documented_job(options.job, expected_target));
  }
  if (!warnings.empty()) {
    return warn(warnings.front().text, detail,
                fmt::format("scrape_interval: {} as the document says", catalog::kScrapeInterval));
  }
  return pass(fmt::format("job {} scrapes {} every {} (timeout {})", options.job,
                          summary_targets.empty() ? "discovered targets" : summary_targets,
                          format_duration(interval), format_duration(timeout)),
              detail);
}

}  // namespace

Result check_prometheus_config(Context& context) {
  const Options& options = context.options();
  std::string path, text, source;
  if (options.prometheus_config) {
    path = *options.prometheus_config;
    try {
      text = sys::read_bounded_file(path, {"the Prometheus configuration", sys::kMaxConfigBytes});
    } catch (const Error& e) {
      return fail(fmt::format("{} cannot be read", path), e.what(),
                  "pass the path of the prometheus.yml Prometheus loads (docker cp "
                  "e2e3d-prometheus:/etc/prometheus/prometheus.yml .)");
    }
    source = path + " (--prometheus-config)";
  } else if (const ContainerProbe& prometheus = context.prometheus_container();
             prometheus.container) {
    const PrometheusFileProbe& file = context.prometheus_file();
    const std::string& name = prometheus.container->name;
    if (!file.text) {
      return fail(fmt::format("the configuration of container {} cannot be read", name),
                  fmt::format("{} (found: {})", file.error, prometheus.found_by),
                  "pass a copy with --prometheus-config FILE (docker cp " + name + ":" + file.path +
                      " prometheus.yml)");
    }
    path = fmt::format("{}:{}", name, file.path);
    text = *file.text;
    source = fmt::format("{} in container {}, its --config.file ({}; {}; found: {})", file.path,
                         name, file.how, prometheus.source(), prometheus.found_by);
  } else {
    std::string why = prometheus.not_found.empty() ? prometheus.error : prometheus.not_found;
    return skip("no Prometheus configuration given: pass --prometheus-config FILE",
                why.empty() ? "" : "no Prometheus container either: " + why);
  }
  try {
    return check_config(context, path, text, source);
  } catch (const YAML::Exception& e) {
    // A node of the wrong kind where the format wants a list or a mapping.
    return fail(fmt::format("{} is not in prometheus.yml's format", path),
                fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg),
                "compare the file with the scrape_configs example of the document; `promtool "
                "check config FILE` names the same place");
  }
}

}  // namespace e2e3d::doctor
