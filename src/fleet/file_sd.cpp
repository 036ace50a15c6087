// Prometheus file_sd target groups (JSON or YAML; yaml-cpp reads both), turned into targets
// labelled as Prometheus 2.42's scrape labels them: the group's labels, `instance` from the
// address (the scheme's port added when it has none), `job` unless the group sets one, and the
// `__scheme__`, `__metrics_path__` and `__param_*` labels used for the URL, then dropped.

#include <curl/curl.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "e2e3d/fetch.hpp"
#include "e2e3d/yaml_load.hpp"
#include "fetch/target.hpp"
#include "fetch/transfer.hpp"
#include "fleet/targets_file.hpp"

namespace e2e3d::fleet_detail {
namespace {

constexpr const char* kShape =
    "a file_sd file is a list of groups like [{\"targets\": [\"host:9101\"], \"labels\": "
    "{\"env\": \"prod\"}}]";

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};

// yaml-cpp tags a quoted scalar "!": in JSON, the only kind that is a string.
bool quoted(const YAML::Node& node) {
  return node.Tag() == "!";
}

class FileSdReader {
 public:
  FileSdReader(const std::string& path, std::string_view job, bool json)
      : path_(path), job_(job), format_(json ? "JSON" : "YAML") {}

  std::vector<ListedTarget> read(const std::string& text);

 private:
  Position at(const YAML::Mark& mark) const {
    return {static_cast<uint32_t>(mark.line + 1), static_cast<uint32_t>(mark.column + 1)};
  }
  Error error(const YAML::Node& node, std::string_view message) const {
    return file_error(path_, at(node.Mark()), message);
  }
  std::string kind(const YAML::Node& node) const;
  void check_json_syntax(const std::string& text) const;
  void read_group(const YAML::Node& group, std::vector<ListedTarget>& out);
  std::map<std::string, std::string> read_labels(const YAML::Node& labels);
  ListedTarget make_target(const YAML::Node& address_node,
                           const std::map<std::string, std::string>& group_labels);

  const std::string& path_;
  std::string_view job_;
  std::string_view format_;
  bool json() const { return format_ == "JSON"; }
};

std::string FileSdReader::kind(const YAML::Node& node) const {
  bool json = format_ == "JSON";
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return json ? "an array" : "a list";
    case YAML::NodeType::Map:
      return json ? "an object" : "a mapping";
    case YAML::NodeType::Scalar:
      if (json && !quoted(node)) {
        bool number = node.Scalar() != "true" && node.Scalar() != "false";
        return fmt::format("the {} {}", number ? "number" : "value", node.Scalar());
      }
      return fmt::format("the value '{}'", node.Scalar());
    case YAML::NodeType::Null:
      return "nothing (null)";
    default:
      return "nothing";
  }
}

bool valid_label_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::map<std::string, std::string> FileSdReader::read_labels(const YAML::Node& labels) {
  std::map<std::string, std::string> out;
  if (labels.IsNull()) return out;
  if (!labels.IsMap()) {
    throw error(labels, fmt::format("\"labels\" is {}, not a mapping of label names to values; "
                                    "write it like {{\"env\": \"prod\"}}",
                                    kind(labels)));
  }
  for (const auto& entry : labels) {
    const YAML::Node& key = entry.first;
    const YAML::Node& value = entry.second;
    std::string name = key.IsScalar() ? key.Scalar() : std::string();
    if (!valid_label_name(name)) {
      throw error(key, fmt::format("'{}' is not a valid label name; label names are letters, "
                                   "digits and _, not starting with a digit",
                                   name));
    }
    if ((!value.IsScalar() && !value.IsNull()) || (json() && value.IsScalar() && !quoted(value))) {
      throw error(value,
                  fmt::format("the label {} is {}; a label value is a string", name, kind(value)));
    }
    out[name] = value.IsScalar() ? value.Scalar() : std::string();
  }
  return out;
}

// The address with the scheme's port added when it has none, as Prometheus 2.42 does; `bad`
// and `why` for what Prometheus refuses as an address.
std::string with_port(std::string_view address, std::string_view scheme, bool& bad,
                      std::string& why) {
  bad = true;
  if (address.empty()) {
    why = "an empty target; write it as \"host:port\"";
    return {};
  }
  if (address.find("://") != std::string_view::npos) {
    why =
        "a URL, not an address; write \"host:port\" and give the scheme and path with the "
        "__scheme__ and __metrics_path__ labels";
    return {};
  }
  if (address.find_first_of("/?# \t") != std::string_view::npos) {
    why =
        "not a valid address; write it as \"host:port\" (a path goes in the __metrics_path__ "
        "label)";
    return {};
  }
  bool has_port = false;
  if (address.front() == '[') {
    std::size_t close = address.find(']');
    if (close == std::string_view::npos) {
      why = "an IPv6 address without its closing ]; write it as \"[::1]:9101\"";
      return {};
    }
    has_port = close + 1 < address.size();
  } else {
    std::size_t colons = std::count(address.begin(), address.end(), ':');
    if (colons > 1) {
      why = "an IPv6 address without brackets; write it as \"[::1]:9101\"";
      return {};
    }
    has_port = colons == 1;
  }
  bad = false;
  if (has_port) return std::string(address);
  return fmt::format("{}:{}", address, scheme == "https" ? 443 : 80);
}

ListedTarget FileSdReader::make_target(const YAML::Node& address_node,
                                       const std::map<std::string, std::string>& group_labels) {
  if (!address_node.IsScalar() || (json() && !quoted(address_node))) {
    throw error(address_node, fmt::format("a target is {}; each target is a string \"host:port\"",
                                          kind(address_node)));
  }
  auto label = [&](const char* name, std::string fallback) {
    auto it = group_labels.find(name);
    return it == group_labels.end() || it->second.empty() ? fallback : it->second;
  };
  std::string scheme = label("__scheme__", "http");
  std::string path = label("__metrics_path__", "/metrics");
  if (path.front() != '/') path.insert(0, "/");

  bool bad = false;
  std::string why;
  std::string address = with_port(address_node.Scalar(), scheme, bad, why);
  if (bad) throw error(address_node, fmt::format("'{}' is {}", address_node.Scalar(), why));

  std::string url = fmt::format("{}://{}{}", scheme, address, path);
  // Prometheus sends each __param_NAME label as the query parameter NAME.
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  bool ok = curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) == CURLUE_OK;
  for (const auto& [name, value] : group_labels) {
    if (!ok || name.rfind("__param_", 0) != 0) continue;
    std::string pair = fmt::format("{}={}", name.substr(8), value);
    ok = curl_url_set(u.get(), CURLUPART_QUERY, pair.c_str(),
                      CURLU_APPENDQUERY | CURLU_URLENCODE) == CURLUE_OK;
  }
  char* full = nullptr;
  if (ok && curl_url_get(u.get(), CURLUPART_URL, &full, 0) == CURLUE_OK && full != nullptr) {
    std::unique_ptr<char, CurlStringDeleter> owned(full);
    url = full;
  }
  try {
    fetch_detail::parse_target(url);  // the scheme, the host and the port, as --url checks them
  } catch (const FetchError& e) {
    throw error(address_node, fmt::format("the target '{}' gives the URL {}: {}",
                                          address_node.Scalar(), redact_url(url), e.what()));
  }

  ListedTarget listed;
  listed.where = at(address_node.Mark());
  listed.target.url = url;
  for (const auto& [name, value] : group_labels) {
    // Labels starting with __ steer the scrape and are dropped from the series, as in Prometheus.
    if (name.rfind("__", 0) != 0 && !value.empty()) listed.target.labels[name] = value;
  }
  listed.target.labels.try_emplace("instance", address);
  if (!job_.empty()) listed.target.labels.try_emplace("job", std::string(job_));
  return listed;
}

void FileSdReader::read_group(const YAML::Node& group, std::vector<ListedTarget>& out) {
  if (!group.IsMap()) {
    throw error(group, fmt::format("a group is {}; {}", kind(group), kShape));
  }
  YAML::Node targets;
  YAML::Node labels;
  for (const auto& entry : group) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (key == "targets") {
      targets = entry.second;
    } else if (key == "labels") {
      labels = entry.second;
    } else {
      throw error(entry.first, fmt::format("unknown key '{}' in a target group; a group has "
                                           "only \"targets\" and \"labels\"",
                                           key));
    }
  }
  if (!targets.IsDefined() || targets.IsNull()) {
    throw error(group, fmt::format("a group has no \"targets\"; {}", kShape));
  }
  if (!targets.IsSequence()) {
    throw error(targets, fmt::format("\"targets\" is {}, not a list; write it like "
                                     "[\"host:9101\", \"host:9102\"]",
                                     kind(targets)));
  }
  std::map<std::string, std::string> group_labels =
      labels.IsDefined() ? read_labels(labels) : std::map<std::string, std::string>{};
  auto scheme = group_labels.find("__scheme__");
  if (scheme != group_labels.end() && scheme->second != "http" && scheme->second != "https") {
    throw error(labels, fmt::format("__scheme__ is '{}'; it is http or https", scheme->second));
  }
  for (const auto& address : targets)
    out.push_back(make_target(address, group_labels));
}

// yaml-cpp takes what YAML allows in JSON too (a trailing comma, comments, unquoted keys), and
// Prometheus's JSON reader does not: JSON is checked by a strict JSON parser first.
void FileSdReader::check_json_syntax(const std::string& text) const {
  try {
    nlohmann::json parsed = nlohmann::json::parse(text);
    (void)parsed;
  } catch (const nlohmann::json::parse_error& e) {
    std::size_t offset = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, text.size());
    std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    line_start = line_start == std::string::npos || offset == 0 ? 0 : line_start + 1;
    Position where{static_cast<uint32_t>(1 + std::count(text.begin(), text.begin() + offset, '\n')),
                   static_cast<uint32_t>(offset - line_start + 1)};
    // nlohmann's message repeats the place: only its explanation is kept.
    std::string why = e.what();
    std::size_t colon = why.find(": ");
    if (colon != std::string::npos) why = why.substr(colon + 2);
    throw file_error(path_, where, fmt::format("this is not valid JSON: {}; {}", why, kShape));
  }
}

std::vector<ListedTarget> FileSdReader::read(const std::string& text) {
  if (json()) check_json_syntax(text);
  YAML::Node root;
  try {
    root = load_yaml(text);
  } catch (const YAML::ParserException& e) {
    throw file_error(path_, at(e.mark),
                     fmt::format("this is not valid {}: {}; {}", format_, e.msg, kShape));
  }
  if (!root.IsSequence()) {
    throw error(root, fmt::format("the file holds {}, not a list of target groups; {}", kind(root),
                                  kShape));
  }
  fetch_detail::init_curl_once();
  std::vector<ListedTarget> out;
  for (const auto& group : root)
    read_group(group, out);
  return out;
}

}  // namespace

std::vector<ListedTarget> read_file_sd(const std::string& path, const std::string& text,
                                       std::string_view job, bool json) {
  return FileSdReader(path, job, json).read(text);
}

}  // namespace e2e3d::fleet_detail
