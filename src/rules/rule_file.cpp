// Reading Prometheus rule files with yaml-cpp. Prometheus decodes them strictly (yaml.v3 with
// KnownFields), then validates each rule; this reader rejects the same files, and its messages
// say where and how to fix them.
#include "e2e3d/rules/rule_file.hpp"

#include <optional>
#include <set>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "e2e3d/rules/duration.hpp"
#include "e2e3d/sys/bounded_file.hpp"
#include "e2e3d/yaml_load.hpp"

namespace e2e3d::rules {
namespace {

Position position_of(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return {};
  return {static_cast<uint32_t>(mark.line + 1), static_cast<uint32_t>(mark.column + 1)};
}

class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  [[noreturn]] void fail(const YAML::Node& at, const std::string& what,
                         const std::string& fix) const {
    fail(position_of(at.Mark()), what, fix);
  }
  [[noreturn]] void fail(Position where, const std::string& what, const std::string& fix) const {
    std::string place = source_;
    if (where.line) place += fmt::format(":{}:{}", where.line, where.column);
    throw ParseError(where, fmt::format("{}: {}{}; {}", place, context_, what, fix));
  }

  void set_context(std::string context) { context_ = std::move(context); }

  // The entries of a mapping, with unknown and repeated keys rejected.
  std::vector<std::pair<std::string, YAML::Node>> mapping(
      const YAML::Node& node, std::string_view what,
      std::initializer_list<std::string_view> known) {
    if (!node.IsMap())
      fail(node, fmt::format("{} must be a mapping", what), "write key: value pairs");
    std::vector<std::pair<std::string, YAML::Node>> entries;
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const YAML::Node key_node = it->first;
      if (!key_node.IsScalar()) fail(key_node, "a key must be a plain string", "quote the key");
      std::string key = key_node.Scalar();
      if (known.size() != 0) {
        bool ok = false;
        for (auto k : known)
          ok = ok || k == key;
        if (!ok) {
          std::string list;
          for (auto k : known)
            list += (list.empty() ? "" : ", ") + std::string(k);
          fail(key_node,
               fmt::format("unknown field '{}' in {} (Prometheus rejects the file)", key, what),
               fmt::format("use only {}", list));
        }
      }
      if (!seen.insert(key).second) {
        fail(key_node, fmt::format("field '{}' is repeated in {}", key, what),
             "keep one of them (YAML forbids duplicate keys)");
      }
      entries.emplace_back(key, it->second);
    }
    return entries;
  }

  std::string scalar(const YAML::Node& node, std::string_view field) {
    if (node.IsNull()) return "";
    if (!node.IsScalar()) {
      fail(node, fmt::format("'{}' must be a string", field),
           "write it as a single (quoted) value");
    }
    return node.Scalar();
  }

  std::map<std::string, std::string> string_map(const YAML::Node& node, std::string_view field,
                                                bool label_names) {
    std::map<std::string, std::string> out;
    if (node.IsNull()) return out;
    for (auto& [key, value] : mapping(node, fmt::format("'{}'", field), {})) {
      if (label_names && !is_valid_label_name(key)) {
        fail(node,
             fmt::format("invalid {} name: {}", field == "labels" ? "label" : "annotation", key),
             "names are letters, digits and underscores, not starting with a digit");
      }
      out[key] = scalar(value, key);
    }
    return out;
  }

 private:
  std::string source_;
  std::string context_;
};

Rule read_rule(Reader& reader, const YAML::Node& node, const std::string& group, size_t index) {
  reader.set_context(fmt::format("group \"{}\", rule {}: ", group, index));
  auto entries = reader.mapping(
      node, "a rule",
      {"record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"});
  Rule rule;
  rule.position = position_of(node.Mark());
  bool has_record = false, has_alert = false, has_expr = false;
  std::optional<YAML::Node> for_node, keep_node, annotations_node;
  for (auto& [key, value] : entries) {
    if (key == "record") {
      has_record = true;
      rule.name = reader.scalar(value, key);
    } else if (key == "alert") {
      has_alert = true;
      rule.name = reader.scalar(value, key);
    } else if (key == "expr") {
      rule.expr = reader.scalar(value, key);
      rule.expr_position = position_of(value.Mark());
      has_expr = !rule.expr.empty();
    } else if (key == "for") {
      for_node = value;
      rule.for_text = reader.scalar(value, key);
    } else if (key == "keep_firing_for") {
      keep_node = value;
      rule.keep_firing_for_text = reader.scalar(value, key);
    } else if (key == "labels") {
      rule.labels = reader.string_map(value, key, true);
    } else if (key == "annotations") {
      annotations_node = value;
      rule.annotations = reader.string_map(value, key, true);
    }
  }
  if (has_record && has_alert) {
    reader.fail(node, "only one of 'record' and 'alert' must be set",
                "split it into a recording rule and an alerting rule");
  }
  if (!has_record && !has_alert) {
    reader.fail(node, "one of 'record' or 'alert' must be set",
                "add `alert: Name` (alerting rule) or `record: name` (recording rule)");
  }
  reader.set_context(fmt::format("group \"{}\", rule {}, \"{}\": ", group, index, rule.name));
  if (rule.name.empty()) {
    reader.fail(node, fmt::format("'{}' must not be empty", has_record ? "record" : "alert"),
                "give the rule a name");
  }
  if (!has_expr) {
    reader.fail(node, "field 'expr' must be set in rule", "add `expr:` with a PromQL expression");
  }
  rule.kind = has_record ? RuleKind::recording : RuleKind::alerting;
  if (rule.kind == RuleKind::recording) {
    if (!is_valid_metric_name(rule.name)) {
      reader.fail(node, fmt::format("invalid recording rule name: {}", rule.name),
                  "a recorded series needs a metric name such as job:e2e3d_failures:ratio");
    }
    if (for_node) reader.fail(*for_node, "invalid field 'for' in recording rule", "remove `for:`");
    if (keep_node) {
      reader.fail(*keep_node, "invalid field 'keep_firing_for' in recording rule",
                  "remove `keep_firing_for:`");
    }
    if (annotations_node) {
      reader.fail(*annotations_node, "invalid field 'annotations' in recording rule",
                  "remove `annotations:` (only alerts have them)");
    }
  }
  auto duration = [&](const std::optional<YAML::Node>& at, const std::string& text,
                      const char* field) {
    if (!at || text.empty()) return int64_t{0};
    auto ms = parse_duration(text);
    if (!ms) {
      reader.fail(*at, fmt::format("not a valid duration string for '{}': \"{}\"", field, text),
                  "write it like 30s, 5m, 1h30m (integer amounts, units y w d h m s ms)");
    }
    return *ms;
  };
  rule.for_ms = duration(for_node, rule.for_text, "for");
  rule.keep_firing_for_ms = duration(keep_node, rule.keep_firing_for_text, "keep_firing_for");
  return rule;
}

RuleGroup read_group(Reader& reader, const YAML::Node& node, size_t index) {
  reader.set_context(fmt::format("group {}: ", index));
  auto entries = reader.mapping(node, "a group", {"name", "interval", "limit", "rules"});
  RuleGroup group;
  group.position = position_of(node.Mark());
  YAML::Node rules;
  bool has_name = false;
  for (auto& [key, value] : entries) {
    if (key == "name") {
      group.name = reader.scalar(value, key);
      has_name = true;
    } else if (key == "interval") {
      group.interval_text = reader.scalar(value, key);
      if (!group.interval_text.empty() && !parse_duration(group.interval_text)) {
        reader.fail(value, fmt::format("not a valid duration string: \"{}\"", group.interval_text),
                    "write it like 30s, 1m");
      }
    } else if (key == "limit") {
      try {
        group.limit = value.as<int64_t>();
      } catch (const YAML::Exception&) {
        reader.fail(value, "'limit' must be an integer", "write a whole number (0: no limit)");
      }
    } else if (key == "rules") {
      rules = value;
    }
  }
  if (!has_name || group.name.empty()) {
    reader.fail(node, "Groupname must not be empty", "add `name:` to the group");
  }
  if (rules && !rules.IsNull()) {
    if (!rules.IsSequence()) {
      reader.fail(rules, "'rules' must be a list",
                  "write each rule as a `- alert:` or `- record:` item");
    }
    size_t i = 0;
    for (const auto& rule : rules)
      group.rules.push_back(read_rule(reader, rule, group.name, ++i));
  }
  return group;
}

}  // namespace

size_t RuleFile::rule_count() const {
  size_t n = 0;
  for (const auto& g : groups)
    n += g.rules.size();
  return n;
}

bool is_valid_label_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool is_valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

RuleFile parse_rule_file(std::string_view text, const std::string& source) {
  Reader reader(source);
  YAML::Node root;
  try {
    root = load_yaml(text);
  } catch (const YamlRefused& e) {
    std::string_view why = e.msg, fix = "fix the file";
    if (auto colon = why.rfind(": "); colon != std::string_view::npos) {
      fix = why.substr(colon + 2);
      why = why.substr(0, colon);
    }
    reader.fail(position_of(e.mark), std::string(why), std::string(fix));
  } catch (const YAML::ParserException& e) {
    reader.fail(position_of(e.mark), fmt::format("YAML syntax error: {}", e.msg),
                "fix the indentation or quoting there (a value with ': ' or '{{' needs quotes)");
  }
  RuleFile file;
  file.source = source;
  if (!root || root.IsNull()) return file;  // an empty file has no rules, as in Prometheus
  auto entries = reader.mapping(root, "the rule file", {"groups"});
  for (auto& [key, groups] : entries) {
    if (groups.IsNull()) continue;
    if (!groups.IsSequence()) {
      reader.fail(groups, "'groups' must be a list", "write each group as a `- name:` item");
    }
    std::set<std::string> names;
    size_t i = 0;
    for (const auto& node : groups) {
      RuleGroup group = read_group(reader, node, ++i);
      if (!names.insert(group.name).second) {
        reader.set_context("");
        reader.fail(node, fmt::format("groupname: \"{}\" is repeated in the same file", group.name),
                    "give every group its own name");
      }
      file.groups.push_back(std::move(group));
    }
  }
  return file;
}

RuleFile load_rule_file(const std::string& path) {
  return parse_rule_file(sys::read_bounded_file(path, {"the rule file", sys::kMaxConfigBytes}),
                         path);
}

RuleFile documented_rule_file(const std::vector<catalog::ResolvedName>& names) {
  RuleFile file;
  file.source = "the metrics document";
  RuleGroup group;
  group.name = std::string(catalog::kAlertGroup);
  for (const auto& alert : catalog::alerts()) {
    Rule rule;
    rule.kind = RuleKind::alerting;
    rule.name = std::string(alert.name);
    rule.expr =
        names.empty() ? std::string(alert.expr) : catalog::rewrite_expression(alert.expr, names);
    rule.for_text = std::string(alert.for_duration);
    rule.for_ms = parse_duration(alert.for_duration).value_or(0);
    rule.labels = alert.labels;
    rule.annotations = alert.annotations;
    group.rules.push_back(std::move(rule));
  }
  file.groups.push_back(std::move(group));
  return file;
}

}  // namespace e2e3d::rules
