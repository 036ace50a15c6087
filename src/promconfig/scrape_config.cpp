// config.ScrapeConfig as Prometheus 2.42 reads it: its own fields, the HTTP client's inline
// fields, one `<name>_sd_configs` list per service discovery mechanism plus static_configs,
// and ScrapeConfig.UnmarshalYAML's checks.
#include <algorithm>

#include <fmt/format.h>

#include "promconfig/decode.hpp"
#include "promconfig/go_text.hpp"

namespace e2e3d::promconfig::detail {
namespace {

// Every mechanism Prometheus 2.42 registers (plugins/plugins.go), by its YAML key.
constexpr std::string_view kDiscovery[] = {
    "azure_sd_configs",     "consul_sd_configs",     "digitalocean_sd_configs",
    "dns_sd_configs",       "docker_sd_configs",     "dockerswarm_sd_configs",
    "ec2_sd_configs",       "eureka_sd_configs",     "file_sd_configs",
    "gce_sd_configs",       "hetzner_sd_configs",    "http_sd_configs",
    "ionos_sd_configs",     "kubernetes_sd_configs", "kuma_sd_configs",
    "lightsail_sd_configs", "linode_sd_configs",     "marathon_sd_configs",
    "nerve_sd_configs",     "nomad_sd_configs",      "openstack_sd_configs",
    "ovhcloud_sd_configs",  "puppetdb_sd_configs",   "scaleway_sd_configs",
    "serverset_sd_configs", "static_configs",        "triton_sd_configs",
    "uyuni_sd_configs",     "vultr_sd_configs"};

constexpr std::string_view kGroupType =
    R"(struct { Targets []string "yaml:\"targets\""; Labels model.LabelSet "yaml:\"labels\"" })";

Position position_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return {};
  return {static_cast<uint32_t>(mark.line + 1), static_cast<uint32_t>(mark.column + 1)};
}

// file/file.go: patFileSDName ^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$
bool valid_file_sd_name(std::string_view name) {
  static constexpr std::string_view kExtensions[] = {".json", ".yml", ".yaml",
                                                     ".JSON", ".YML", ".YAML"};
  for (auto ext : kExtensions) {
    if (!name.ends_with(ext)) continue;
    std::string_view stem = name.substr(0, name.size() - ext.size());
    auto star = stem.find('*');
    if (star == std::string_view::npos) return true;
    std::string_view after = stem.substr(star + 1);
    return after.find('*') == std::string_view::npos && after.find('/') == std::string_view::npos;
  }
  return false;
}

void decode_group(Decoder& d, const YAML::Node& node, TargetGroup& group) {
  group.position = position_of(node);
  Fields fields(d, node, std::string(kGroupType));
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    if (e.key == "targets") {
      std::vector<std::string> targets;
      if (!d.strings(e.value, targets)) continue;
      group.targets.clear();
      std::size_t i = 0;
      for (const auto& item : e.value) {
        group.targets.emplace_back(targets[i++], position_of(item));
      }
    } else if (e.key == "labels") {
      d.label_set(e.value, group.labels);
    } else {
      fields.unknown(e);
    }
  }
}

void decode_file_sd(Decoder& d, const YAML::Node& node, std::vector<FileSd>& out) {
  std::size_t errors_before = d.type_errors();
  Fields fields(d, node, "file.plain");
  std::vector<std::string> files;
  std::vector<Position> places;
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    if (e.key == "files") {
      if (!d.strings(e.value, files)) continue;
      places.clear();
      for (const auto& item : e.value)
        places.push_back(position_of(item));
    } else if (e.key == "refresh_interval") {
      int64_t ignored = 0;
      d.duration(e.value, ignored);
    } else {
      fields.unknown(e);
    }
  }
  if (d.type_errors() != errors_before) return;
  if (files.empty()) {
    d.fail(&node, "file service discovery config must contain at least one path name", "file_sd");
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!valid_file_sd_name(files[i])) {
      d.fail(&node, fmt::format("path name {} is not valid for file discovery", go_quote(files[i])),
             "file_sd", files[i]);
    }
    out.push_back({files[i], files[i], {}, places[i]});
  }
}

void decode_docker_sd(Decoder& d, const YAML::Node& node, HttpClient& client) {
  std::size_t errors_before = d.type_errors();
  Fields fields(d, node, "moby.plain");
  std::string host;
  for (auto& e : fields.entries()) {
    if (http_client_field(d, fields, e, client)) continue;
    if (!fields.first(e)) continue;
    std::string text;
    int64_t number = 0;
    if (e.key == "host") {
      d.string(e.value, host);
    } else if (e.key == "port") {
      d.signed_int(e.value, number);
    } else if (e.key == "host_networking_host") {
      d.string(e.value, text);
    } else if (e.key == "refresh_interval") {
      d.duration(e.value, number);
    } else if (e.key == "filters") {
      if (d.kind(e.value) == Kind::null) continue;
      if (d.kind(e.value) != Kind::sequence) {
        d.type_error(e.value, "[]moby.Filter");
        continue;
      }
      for (const auto& filter : e.value) {
        Fields f(d, filter, "moby.Filter");
        for (const auto& fe : f.entries()) {
          if (!f.first(fe)) continue;
          std::vector<std::string> values;
          if (fe.key == "name")
            d.string(fe.value, text);
          else if (fe.key == "values")
            d.strings(fe.value, values);
          else
            f.unknown(fe);
        }
      }
    } else {
      fields.unknown(e);
    }
  }
  if (d.type_errors() != errors_before) return;
  if (host.empty()) d.fail(&node, "host missing", "docker_sd");
  validate_http_client(d, client, node);
}

}  // namespace

bool discovery_field(Decoder& d, Fields& fields, const Fields::Entry& e, Discovery& out) {
  if (std::find(std::begin(kDiscovery), std::end(kDiscovery), e.key) == std::end(kDiscovery)) {
    return false;
  }
  if (!fields.first(e)) return true;
  Kind k = d.kind(e.value);
  if (k == Kind::null) return true;
  std::string list_type = e.key == "static_configs"    ? "[]*targetgroup.Group"
                          : e.key == "file_sd_configs" ? "[]*file.SDConfig"
                          : e.key == "docker_sd_configs"
                              ? "[]*moby.DockerSDConfig"
                              : fmt::format("[]*{}.SDConfig", e.key.substr(0, e.key.find('_')));
  if (k != Kind::sequence) {
    d.type_error(e.value, list_type);
    return true;
  }
  for (const auto& item : e.value) {
    if (d.kind(item) == Kind::null) {
      // Refused by readConfigs once the whole section has decoded.
      out.null_sections.push_back(e.key);
      continue;
    }
    if (e.key == "static_configs") {
      TargetGroup group;
      decode_group(d, item, group);
      out.static_groups.push_back(std::move(group));
    } else if (e.key == "file_sd_configs") {
      decode_file_sd(d, item, out.file_sd);
    } else if (e.key == "docker_sd_configs") {
      HttpClient client;
      decode_docker_sd(d, item, client);
      out.sd_clients.push_back(std::move(client));
      if (std::find(out.other.begin(), out.other.end(), e.key) == out.other.end()) {
        out.other.push_back(e.key);
      }
    } else {
      if (d.kind(item) != Kind::mapping) {
        d.type_error(item, list_type.substr(3));
        continue;
      }
      if (std::find(out.other.begin(), out.other.end(), e.key) == out.other.end()) {
        out.other.push_back(e.key);
      }
      if (std::find(out.not_checked.begin(), out.not_checked.end(), e.key) ==
          out.not_checked.end()) {
        out.not_checked.push_back(e.key);
      }
    }
  }
  return true;
}

void check_static_targets(Decoder& d, const Discovery& discovery) {
  for (const auto& group : discovery.static_groups) {
    for (const auto& [address, position] : group.targets) {
      if (address.find('/') == std::string::npos) continue;
      Refusal r;
      r.message = fmt::format("{} is not a valid hostname", go_quote(address));
      r.file = d.file();
      r.position = position;
      r.kind = "target";
      r.value = address;
      throw Stop{std::move(r)};
    }
  }
}

void decode_scrape_config(Decoder& d, const YAML::Node& node, Job& job, JobDetail& detail) {
  job.position = position_of(node);
  if (d.kind(node) == Kind::null) {
    detail.null = true;
    return;
  }
  std::size_t errors_before = d.type_errors();
  Fields fields(d, node, "config.ScrapeConfig");
  for (const auto& e : fields.entries()) {
    if (http_client_field(d, fields, e, detail.http)) continue;
    if (discovery_field(d, fields, e, detail.discovery)) continue;
    if (!fields.first(e)) continue;
    bool flag = false;
    uint64_t limit = 0;
    if (e.key == "job_name") {
      d.string(e.value, job.name);
    } else if (e.key == "honor_labels" || e.key == "honor_timestamps") {
      d.boolean(e.value, flag);
    } else if (e.key == "params") {
      Kind k = d.kind(e.value);
      if (k == Kind::null) continue;
      if (k != Kind::mapping) {
        d.type_error(e.value, "url.Values");
        continue;
      }
      job.params.clear();
      for (const auto& param : e.value) {
        std::string name;
        std::vector<std::string> values;
        if (d.string(param.first, name) && d.strings(param.second, values)) {
          job.params[name] = std::move(values);
        }
      }
    } else if (e.key == "scrape_interval") {
      d.duration(e.value, job.scrape_interval_ms);
      job.interval_set = job.scrape_interval_ms != 0;
    } else if (e.key == "scrape_timeout") {
      d.duration(e.value, job.scrape_timeout_ms);
      job.timeout_set = job.scrape_timeout_ms != 0;
    } else if (e.key == "metrics_path") {
      d.string(e.value, job.metrics_path);
      job.metrics_path_position = position_of(e.value);
    } else if (e.key == "scheme") {
      d.string(e.value, job.scheme);
      job.scheme_position = position_of(e.value);
    } else if (e.key == "body_size_limit") {
      std::string text;
      if (d.kind(e.value) != Kind::null && d.string(e.value, text)) {
        if (auto error = base2_bytes_error(text)) d.fail(&e.value, *error, "body_size_limit", text);
      }
    } else if (e.key == "sample_limit" || e.key == "target_limit" || e.key == "label_limit" ||
               e.key == "label_name_length_limit" || e.key == "label_value_length_limit") {
      d.unsigned_int(e.value, limit);
    } else if (e.key == "relabel_configs") {
      relabel_rules(d, e.value, detail.relabel, detail.relabel_null);
    } else if (e.key == "metric_relabel_configs") {
      std::vector<RelabelRule> rules;
      relabel_rules(d, e.value, rules, detail.metric_relabel_null);
    } else {
      fields.unknown(e);
    }
  }
  if (d.type_errors() != errors_before) return;
  if (!detail.discovery.null_sections.empty()) {
    d.fail(&node,
           fmt::format("empty or null section in {}", detail.discovery.null_sections.front()),
           "discovery");
  }
  if (job.name.empty()) d.fail(&node, "job_name is empty", "job_name");
  validate_http_client(d, detail.http, node);
  if (detail.relabel.empty() && !detail.relabel_null) {
    check_static_targets(d, detail.discovery);
  }
  if (detail.relabel_null) {
    d.fail(&node, "empty or null target relabeling rule in scrape config", "relabel");
  }
  if (detail.metric_relabel_null) {
    d.fail(&node, "empty or null metric relabeling rule in scrape config", "relabel");
  }
  job.relabels = !detail.relabel.empty();
  for (const auto& group : detail.discovery.static_groups) {
    for (const auto& [address, position] : group.targets) {
      Target t;
      t.address = address;
      for (const auto& [k, v] : group.labels)
        t.labels[k] = v;
      t.file = d.file();
      t.position = position;
      job.targets.push_back(std::move(t));
    }
  }
  job.file_sd = detail.discovery.file_sd;
  job.discovery = detail.discovery.other;
}

}  // namespace e2e3d::promconfig::detail
