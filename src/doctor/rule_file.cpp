#include "rule_file.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "doctor/text.hpp"
#include "e2e3d/error.hpp"

namespace e2e3d::doctor {
namespace {

Error rule_error(const std::string& path, const YAML::Mark& mark, std::string_view message) {
  return Error(ErrorKind::config,
               printable(fmt::format("{}:{}:{}: {}; Prometheus rule files look like "
                                     "`groups: [{{name: ..., rules: [{{alert: ..., "
                                     "expr: ...}}]}}]`",
                                     path, mark.line + 1, mark.column + 1, message),
                         false));
}

void read_groups(const std::string& path, const YAML::Node& groups, std::vector<RuleEntry>& out) {
  for (const auto& group : groups) {
    if (!group.IsMap()) throw rule_error(path, group.Mark(), "a group is not a mapping");

    std::string group_name = group["name"] ? group["name"].Scalar() : "";
    auto rules = group["rules"];
    if (!rules) continue;
    if (!rules.IsSequence()) throw rule_error(path, rules.Mark(), "rules: must be a list");
    for (const auto& rule : rules) {
      if (!rule.IsMap()) throw rule_error(path, rule.Mark(), "a rule is not a mapping");
      RuleEntry entry;
      entry.group = group_name;
      entry.line = rule.Mark().line + 1;
      if (rule["alert"]) {
        entry.name = rule["alert"].Scalar();
      } else if (rule["record"]) {
        entry.name = rule["record"].Scalar();
        entry.alert = false;
      } else {
        throw rule_error(path, rule.Mark(), "a rule without alert: or record:");
      }
      if (!rule["expr"] || !rule["expr"].IsScalar()) {
        throw rule_error(path, rule.Mark(), fmt::format("rule {} has no expr:", entry.name));
      }
      entry.expr = rule["expr"].Scalar();
      if (rule["for"]) entry.for_duration = rule["for"].Scalar();
      out.push_back(std::move(entry));
    }
  }
}

}  // namespace

std::vector<RuleEntry> read_rule_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::io, fmt::format("--rules {}: cannot read the file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(ss.str());
  } catch (const YAML::Exception& e) {
    throw rule_error(path, e.mark, "not valid YAML: " + e.msg);
  }
  if (!root.IsMap()) throw rule_error(path, root.Mark(), "the file is not a mapping");
  auto groups = root["groups"];
  if (!groups || !groups.IsSequence()) throw rule_error(path, root.Mark(), "no groups: list");
  std::vector<RuleEntry> out;
  try {
    read_groups(path, groups, out);
  } catch (const YAML::Exception& e) {
    throw rule_error(path, e.mark, e.msg);
  }
  return out;
}

}  // namespace e2e3d::doctor
