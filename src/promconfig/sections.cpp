// The sections of prometheus.yml besides scrape_configs: global (whose defaults every job
// inherits), alerting, remote_write, remote_read, storage and tracing, each with its Go type's
// fields and UnmarshalYAML checks (config/config.go of Prometheus 2.42).
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "promconfig/decode.hpp"
#include "promconfig/go_text.hpp"

namespace e2e3d::promconfig::detail {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The headers Prometheus sets itself (config.go: reservedHeaders).
bool reserved_header(const std::string& name) {
  static constexpr std::string_view kReserved[] = {"host",
                                                   "content-encoding",
                                                   "content-length",
                                                   "content-type",
                                                   "user-agent",
                                                   "connection",
                                                   "keep-alive",
                                                   "proxy-authenticate",
                                                   "proxy-authorization",
                                                   "www-authenticate",
                                                   "accept-encoding",
                                                   "x-prometheus-remote-write-version",
                                                   "x-prometheus-remote-read-version",
                                                   "x-amz-date",
                                                   "x-amz-security-token",
                                                   "x-amz-content-sha256"};
  std::string l = lower(name);
  return std::find(std::begin(kReserved), std::end(kReserved), l) != std::end(kReserved);
}

void validate_headers(Decoder& d, const LabelPairs& headers, const YAML::Node& at, bool tracing) {
  for (const auto& [name, value] : headers) {
    if (lower(name) == "authorization") {
      d.fail(&at,
             tracing ? "custom authorization header configuration is not yet supported"
                     : "authorization header must be changed via the basic_auth, authorization, "
                       "oauth2, or sigv4 parameter",
             "headers", name);
    }
    if (reserved_header(name)) {
      d.fail(&at, fmt::format("{} is a reserved header. It must not be changed", name), "headers",
             name);
    }
  }
}

// Fields every section decodes the same way and then ignores: strings, bools, durations.
bool plain_field(Decoder& d, const Fields::Entry& e,
                 std::initializer_list<std::string_view> strings,
                 std::initializer_list<std::string_view> bools,
                 std::initializer_list<std::string_view> durations) {
  std::string text;
  bool flag = false;
  int64_t ms = 0;
  if (std::find(strings.begin(), strings.end(), e.key) != strings.end()) {
    d.string(e.value, text);
    return true;
  }
  if (std::find(bools.begin(), bools.end(), e.key) != bools.end()) {
    d.boolean(e.value, flag);
    return true;
  }
  if (std::find(durations.begin(), durations.end(), e.key) != durations.end()) {
    d.duration(e.value, ms);
    return true;
  }
  return false;
}

void decode_alertmanager(Decoder& d, const YAML::Node& node, AlertmanagerDetail& am) {
  std::size_t errors_before = d.type_errors();
  Fields fields(d, node, "config.AlertmanagerConfig");
  bool relabel_null = false;
  for (const auto& e : fields.entries()) {
    if (http_client_field(d, fields, e, am.http)) continue;
    if (discovery_field(d, fields, e, am.discovery)) continue;
    if (!fields.first(e)) continue;
    std::string text;
    if (e.key == "scheme") {
      d.string(e.value, am.scheme);
    } else if (e.key == "path_prefix") {
      d.string(e.value, am.path_prefix);
    } else if (e.key == "timeout") {
      int64_t ms = 0;
      d.duration(e.value, ms);
    } else if (e.key == "api_version") {
      if (d.kind(e.value) == Kind::null || !d.string(e.value, text)) continue;
      if (text != "v1" && text != "v2") {
        d.fail(
            &e.value,
            fmt::format("expected Alertmanager api version to be one of [v1 v2] but got {}", text),
            "alertmanager", text);
      }
    } else if (e.key == "relabel_configs") {
      relabel_rules(d, e.value, am.relabel, relabel_null);
    } else {
      fields.unknown(e);
    }
  }
  if (d.type_errors() != errors_before) return;
  if (!am.discovery.null_sections.empty()) {
    d.fail(&node, fmt::format("empty or null section in {}", am.discovery.null_sections.front()),
           "discovery");
  }
  validate_http_client(d, am.http, node);
  if (am.relabel.empty() && !relabel_null) check_static_targets(d, am.discovery);
  if (relabel_null) d.fail(&node, "empty or null Alertmanager target relabeling rule", "relabel");
}

}  // namespace

void decode_global(Decoder& d, const YAML::Node& node, Config& config) {
  // GlobalConfig.UnmarshalYAML starts from a zero config: what is not written gets defaults.
  std::size_t errors_before = d.type_errors();
  Fields fields(d, node, "config.plain");
  int64_t interval = 0, timeout = 0, evaluation = 0;
  LabelPairs external;
  const YAML::Node* external_at = nullptr;
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    std::string text;
    if (e.key == "scrape_interval") {
      d.duration(e.value, interval);
    } else if (e.key == "scrape_timeout") {
      d.duration(e.value, timeout);
    } else if (e.key == "evaluation_interval") {
      d.duration(e.value, evaluation);
    } else if (e.key == "query_log_file") {
      d.string(e.value, text);
    } else if (e.key == "external_labels") {
      // labels.Labels decodes as map[string]string, then GlobalConfig checks the names.
      d.string_map(e.value, external, "map[string]string");
      external_at = &e.value;
    } else {
      fields.unknown(e);
    }
  }
  if (d.type_errors() != errors_before) return;
  // labels.Labels are sorted by name: the first invalid one in that order is named.
  std::sort(external.begin(), external.end());
  for (const auto& [name, value] : external) {
    if (!is_label_name(name)) {
      d.fail(external_at, fmt::format("{} is not a valid label name", go_quote(name)), "label_name",
             name);
    }
    if (!is_valid_utf8(value)) {
      d.fail(external_at, fmt::format("{} is not a valid label value", go_quote(value)),
             "label_value", value);
    }
  }
  config.global_interval_set = interval != 0;
  config.global_timeout_set = timeout != 0;
  if (interval == 0) interval = 60'000;
  if (timeout > interval) {
    d.fail(&node, "global scrape timeout greater than scrape interval", "timeout");
  }
  if (timeout == 0) timeout = std::min<int64_t>(10'000, interval);
  if (evaluation == 0) evaluation = 60'000;
  config.scrape_interval_ms = interval;
  config.scrape_timeout_ms = timeout;
  config.evaluation_interval_ms = evaluation;
}

void decode_alerting(Decoder& d, const YAML::Node& node, std::vector<AlertmanagerDetail>& out) {
  std::size_t errors_before = d.type_errors();
  Fields fields(d, node, "config.plain");
  bool relabel_null = false;
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    if (e.key == "alert_relabel_configs") {
      std::vector<RelabelRule> rules;
      relabel_rules(d, e.value, rules, relabel_null);
    } else if (e.key == "alertmanagers") {
      Kind k = d.kind(e.value);
      if (k == Kind::null) continue;
      if (k != Kind::sequence) {
        d.type_error(e.value, "config.AlertmanagerConfigs");
        continue;
      }
      for (const auto& item : e.value) {
        AlertmanagerDetail am;
        if (d.kind(item) != Kind::null) decode_alertmanager(d, item, am);
        out.push_back(std::move(am));
      }
    } else {
      fields.unknown(e);
    }
  }
  if (d.type_errors() != errors_before) return;
  if (relabel_null) d.fail(&node, "empty or null alert relabeling rule", "relabel");
}

void decode_remote_write(Decoder& d, const YAML::Node& node, Remotes& out) {
  Kind k = d.kind(node);
  if (k == Kind::null) return;
  if (k != Kind::sequence) {
    d.type_error(node, "[]*config.RemoteWriteConfig");
    return;
  }
  for (const auto& item : node) {
    if (d.kind(item) == Kind::null) {
      out.any_null = true;
      continue;
    }
    std::size_t errors_before = d.type_errors();
    Fields fields(d, item, "config.plain");
    HttpClient client;
    bool url = false, relabel_null = false, sigv4 = false;
    std::string name;
    LabelPairs headers;
    for (const auto& e : fields.entries()) {
      if (http_client_field(d, fields, e, client)) continue;
      if (!fields.first(e)) continue;
      std::string text;
      if (e.key == "url") {
        url = d.kind(e.value) != Kind::null;
        d.string(e.value, text);
      } else if (e.key == "name") {
        d.string(e.value, name);
      } else if (e.key == "headers") {
        d.string_map(e.value, headers);
      } else if (e.key == "write_relabel_configs") {
        std::vector<RelabelRule> rules;
        relabel_rules(d, e.value, rules, relabel_null);
      } else if (e.key == "sigv4") {
        sigv4 = d.kind(e.value) != Kind::null;
        Fields s(d, e.value, "sigv4.SigV4Config");
        for (const auto& se : s.entries()) {
          if (!s.first(se)) continue;
          if (!plain_field(d, se, {"region", "access_key", "secret_key", "profile", "role_arn"}, {},
                           {})) {
            s.unknown(se);
          }
        }
      } else if (e.key == "queue_config") {
        Fields q(d, e.value, "config.QueueConfig");
        for (const auto& qe : q.entries()) {
          if (!q.first(qe)) continue;
          int64_t number = 0;
          if (qe.key == "capacity" || qe.key == "max_shards" || qe.key == "min_shards" ||
              qe.key == "max_samples_per_send") {
            d.signed_int(qe.value, number);
          } else if (!plain_field(d, qe, {}, {"retry_on_http_429"},
                                  {"batch_send_deadline", "min_backoff", "max_backoff"})) {
            q.unknown(qe);
          }
        }
      } else if (e.key == "metadata_config") {
        Fields m(d, e.value, "config.MetadataConfig");
        for (const auto& me : m.entries()) {
          if (!m.first(me)) continue;
          int64_t number = 0;
          if (me.key == "max_samples_per_send") {
            d.signed_int(me.value, number);
          } else if (!plain_field(d, me, {}, {"send"}, {"send_interval"})) {
            m.unknown(me);
          }
        }
      } else if (!plain_field(d, e, {}, {"send_exemplars", "send_native_histograms"},
                              {"remote_timeout"})) {
        fields.unknown(e);
      }
    }
    if (d.type_errors() != errors_before) continue;
    if (!url) d.fail(&item, "url for remote_write is empty", "remote_write");
    if (relabel_null) {
      d.fail(&item, "empty or null relabeling rule in remote write config", "relabel");
    }
    validate_headers(d, headers, item, false);
    validate_http_client(d, client, item);
    if ((client.basic_auth || client.authorization || client.oauth2) && sigv4) {
      d.fail(&item, "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured",
             "remote_write");
    }
    out.names.push_back(name);
  }
}

void decode_remote_read(Decoder& d, const YAML::Node& node, Remotes& out) {
  Kind k = d.kind(node);
  if (k == Kind::null) return;
  if (k != Kind::sequence) {
    d.type_error(node, "[]*config.RemoteReadConfig");
    return;
  }
  for (const auto& item : node) {
    if (d.kind(item) == Kind::null) {
      out.any_null = true;
      continue;
    }
    std::size_t errors_before = d.type_errors();
    Fields fields(d, item, "config.plain");
    HttpClient client;
    bool url = false;
    std::string name;
    LabelPairs headers, matchers;
    for (const auto& e : fields.entries()) {
      if (http_client_field(d, fields, e, client)) continue;
      if (!fields.first(e)) continue;
      std::string text;
      if (e.key == "url") {
        url = d.kind(e.value) != Kind::null;
        d.string(e.value, text);
      } else if (e.key == "name") {
        d.string(e.value, name);
      } else if (e.key == "headers") {
        d.string_map(e.value, headers);
      } else if (e.key == "required_matchers") {
        d.label_set(e.value, matchers);
      } else if (!plain_field(d, e, {}, {"read_recent", "filter_external_labels"},
                              {"remote_timeout"})) {
        fields.unknown(e);
      }
    }
    if (d.type_errors() != errors_before) continue;
    if (!url) d.fail(&item, "url for remote_read is empty", "remote_read");
    validate_headers(d, headers, item, false);
    validate_http_client(d, client, item);
    out.names.push_back(name);
  }
}

void decode_storage(Decoder& d, const YAML::Node& node) {
  Fields fields(d, node, "config.StorageConfig");
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    if (e.key == "tsdb") {
      Fields t(d, e.value, "config.plain");
      for (const auto& te : t.entries()) {
        if (!t.first(te)) continue;
        if (!plain_field(d, te, {}, {}, {"out_of_order_time_window"})) t.unknown(te);
      }
    } else if (e.key == "exemplars") {
      Fields x(d, e.value, "config.ExemplarsConfig");
      for (const auto& xe : x.entries()) {
        if (!x.first(xe)) continue;
        int64_t number = 0;
        if (xe.key == "max_exemplars")
          d.signed_int(xe.value, number, "int64");
        else
          x.unknown(xe);
      }
    } else {
      fields.unknown(e);
    }
  }
}

void decode_tracing(Decoder& d, const YAML::Node& node) {
  if (d.kind(node) == Kind::null) return;
  std::size_t errors_before = d.type_errors();
  Fields fields(d, node, "config.plain");
  std::string endpoint, compression;
  LabelPairs headers;
  for (const auto& e : fields.entries()) {
    if (!fields.first(e)) continue;
    std::string text;
    double fraction = 0;
    if (e.key == "client_type") {
      if (d.kind(e.value) == Kind::null || !d.string(e.value, text)) continue;
      if (text != "http" && text != "grpc") {
        d.fail(
            &e.value,
            fmt::format("expected tracing client type to be to be http or grpc, but got {}", text),
            "tracing", text);
      }
    } else if (e.key == "endpoint") {
      d.string(e.value, endpoint);
    } else if (e.key == "compression") {
      d.string(e.value, compression);
    } else if (e.key == "sampling_fraction") {
      d.floating(e.value, fraction);
    } else if (e.key == "headers") {
      d.string_map(e.value, headers);
    } else if (e.key == "tls_config") {
      TlsFiles tls;
      decode_tls(d, e.value, tls);
    } else if (!plain_field(d, e, {}, {"insecure"}, {"timeout"})) {
      fields.unknown(e);
    }
  }
  if (d.type_errors() != errors_before) return;
  validate_headers(d, headers, node, true);
  if (endpoint.empty()) d.fail(&node, "tracing endpoint must be set", "tracing");
  if (!compression.empty() && compression != "gzip") {
    d.fail(&node,
           fmt::format("invalid compression type {} provided, valid options: gzip", compression),
           "tracing", compression);
  }
}

}  // namespace e2e3d::promconfig::detail
