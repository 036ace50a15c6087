#pragma once
// What the configuration says beyond the public Config: the parts promtool's checks and the
// target labelling need (relabel rules, credential and certificate files, target groups).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "e2e3d/prometheus_config.hpp"

namespace e2e3d::promconfig::detail {

using LabelPairs = std::vector<std::pair<std::string, std::string>>;

struct RelabelRule {
  std::vector<std::string> source_labels;
  std::string separator = ";";
  std::string regex = "(.*)";  // unanchored, as written
  uint64_t modulus = 0;
  std::string target_label;
  std::string replacement = "$1";
  std::string action = "replace";
};

struct TlsFiles {
  std::string cert_file;
  std::string key_file;
};

// config.HTTPClientConfig, the parts its Validate and promtool look at.
struct HttpClient {
  bool basic_auth = false;
  std::string basic_password, basic_password_file;
  bool authorization = false;
  std::string authorization_type, credentials, credentials_file;
  bool oauth2 = false;
  std::string oauth2_client_id, oauth2_client_secret, oauth2_client_secret_file, oauth2_token_url;
  std::string bearer_token, bearer_token_file;
  std::string proxy_url;
  bool proxy_connect_header = false;
  TlsFiles tls;
};

struct TargetGroup {
  std::vector<std::pair<std::string, Position>> targets;
  LabelPairs labels;
  Position position;
};

// A scrape job or an Alertmanager set: where targets come from and how they are labelled.
struct Discovery {
  std::vector<TargetGroup> static_groups;
  std::vector<FileSd> file_sd;
  std::vector<std::string> other;          // "docker_sd_configs", ...
  std::vector<std::string> not_checked;    // kinds whose contents are not validated here
  std::vector<HttpClient> sd_clients;      // of discovery configs that have one
  std::vector<std::string> null_sections;  // `- ` entries, refused after the section is read
};

struct JobDetail {
  bool null = false;  // `- ` with nothing: refused once every job is read
  HttpClient http;
  Discovery discovery;
  std::vector<RelabelRule> relabel;
  bool relabel_null = false, metric_relabel_null = false;
};

struct AlertmanagerDetail {
  HttpClient http;
  Discovery discovery;
  std::vector<RelabelRule> relabel;
  std::string scheme = "http";
  std::string path_prefix;
};

// Everything read: the public Config, with the details in the same order as its jobs.
struct Loaded {
  Config config;
  std::vector<JobDetail> jobs;
  std::vector<AlertmanagerDetail> alertmanagers;
  std::string directory;  // relative paths are taken from here
};

}  // namespace e2e3d::promconfig::detail
