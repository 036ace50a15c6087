#pragma once
// The decoders of prometheus.yml's sections, one Go type each, with that type's UnmarshalYAML
// checks. They throw detail::Stop for a refusal and collect type errors in the Decoder.

#include <string_view>

#include "promconfig/go_yaml.hpp"
#include "promconfig/model.hpp"

namespace e2e3d::promconfig::detail {

// The fields config.HTTPClientConfig puts inline in a scrape, discovery or Alertmanager
// configuration: true when `entry` is one of them (and was decoded into `out`).
bool http_client_field(Decoder& d, Fields& fields, const Fields::Entry& entry, HttpClient& out);
void decode_tls(Decoder& d, const YAML::Node& node, TlsFiles& out);
// HTTPClientConfig.Validate.
void validate_http_client(Decoder& d, HttpClient& client, const YAML::Node& at);

// `*_sd_configs` and `static_configs`: true when `entry` is one of them.
bool discovery_field(Decoder& d, Fields& fields, const Fields::Entry& entry, Discovery& out);
// config.checkStaticTargets: a target with a '/' is a URL, not host:port.
void check_static_targets(Decoder& d, const Discovery& discovery);

// []*relabel.Config; `null_rule` is set when an entry is empty (refused by the caller, after
// the rest of its section is read, as Prometheus does).
bool relabel_rules(Decoder& d, const YAML::Node& node, std::vector<RelabelRule>& out,
                   bool& null_rule);

// One entry of scrape_configs (config.ScrapeConfig.UnmarshalYAML).
void decode_scrape_config(Decoder& d, const YAML::Node& node, Job& job, JobDetail& detail);

// The other top-level sections.
void decode_global(Decoder& d, const YAML::Node& node, Config& config);
void decode_alerting(Decoder& d, const YAML::Node& node, std::vector<AlertmanagerDetail>& out);
// remote_write / remote_read: the names, checked for repeats by the Config, as Prometheus does.
struct Remotes {
  std::vector<std::string> names;
  bool any_null = false;
};
void decode_remote_write(Decoder& d, const YAML::Node& node, Remotes& out);
void decode_remote_read(Decoder& d, const YAML::Node& node, Remotes& out);
void decode_storage(Decoder& d, const YAML::Node& node);
void decode_tracing(Decoder& d, const YAML::Node& node);

}  // namespace e2e3d::promconfig::detail
