#include "compose.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>

#include <fmt/format.h>

#include "doctor/text.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/error.hpp"
#include "e2e3d/sys/bounded_file.hpp"
#include "e2e3d/yaml_load.hpp"

namespace e2e3d::doctor {
namespace {

using Environment = std::vector<std::pair<std::string, std::string>>;

std::optional<std::string> lookup(const Environment& env, std::string_view key) {
  std::optional<std::string> value;
  for (const auto& [k, v] : env) {
    if (k == key) value = v;
  }
  return value;
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// A file of the Compose project, bounded: `env_file: /dev/zero` is refused, not read forever.
std::string read_project_file(const std::string& path, std::string_view what) {
  return sys::read_bounded_file(path, {what, sys::kMaxConfigBytes});
}

Error config_error(const std::string& path, const YAML::Mark& mark, std::string_view message) {
  if (mark.line >= 0) {
    return Error(ErrorKind::config, printable(fmt::format("{}:{}:{}: {}", path, mark.line + 1,
                                                          mark.column + 1, message),
                                              false));
  }
  return Error(ErrorKind::config, printable(fmt::format("{}: {}", path, message), false));
}

std::string trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// Does this service mention the variable anywhere (environment or env_file contents)?
struct Found {
  std::optional<std::string> raw;
  std::string origin;
  bool from_shell = false;
  bool present = false;
};

Found find_in_environment(const YAML::Node& environment, std::string_view variable,
                          const std::string& path) {
  Found found;
  if (!environment.IsDefined() || environment.IsNull()) return found;  // (IsMap() would throw)
  auto where = [&](const YAML::Node& n, std::string_view form) {
    return fmt::format("{}:{} (environment: {} form)", path, n.Mark().line + 1, form);
  };
  if (environment.IsSequence()) {
    for (const auto& item : environment) {
      if (!item.IsScalar()) continue;
      std::string entry = item.Scalar();
      auto eq = entry.find('=');
      std::string key = entry.substr(0, eq);
      if (key != variable) continue;
      found.present = true;
      found.origin = where(item, "list");
      if (eq == std::string::npos) {
        found.from_shell = true;
        found.raw.reset();
      } else {
        found.from_shell = false;
        found.raw = entry.substr(eq + 1);
      }
    }
  } else if (environment.IsMap()) {
    for (const auto& item : environment) {
      if (item.first.Scalar() != variable) continue;
      found.present = true;
      found.origin = where(item.first, "map");
      if (item.second.IsNull() || !item.second.IsDefined()) {
        found.from_shell = true;
      } else if (item.second.IsScalar()) {
        found.raw = item.second.Scalar();
      } else {
        throw config_error(path, item.second.Mark(),
                           fmt::format("{} must be a string, not a list or map", variable));
      }
    }
  } else if (environment.IsDefined() && !environment.IsNull()) {
    throw config_error(path, environment.Mark(), "environment: must be a list or a map");
  }
  return found;
}

std::vector<std::pair<std::string, YAML::Mark>> env_file_paths(const YAML::Node& env_file,
                                                               const std::string& path) {
  std::vector<std::pair<std::string, YAML::Mark>> out;
  if (!env_file.IsDefined() || env_file.IsNull()) return out;
  if (env_file.IsScalar()) {
    out.emplace_back(env_file.Scalar(), env_file.Mark());
    return out;
  }
  if (!env_file.IsSequence())
    throw config_error(path, env_file.Mark(), "env_file: must be a path or a list");
  for (const auto& item : env_file) {
    if (item.IsScalar())
      out.emplace_back(item.Scalar(), item.Mark());
    else if (item.IsMap() && item["path"])
      out.emplace_back(item["path"].Scalar(), item.Mark());
    else
      throw config_error(path, item.Mark(), "env_file: entries are paths or {path: ...}");
  }
  return out;
}

// Every env_file of the service, read; later files win, as in Compose.
Found find_in_env_files(const YAML::Node& service, std::string_view variable,
                        const std::string& compose_path) {
  Found found;
  auto dir = std::filesystem::path(compose_path).parent_path();
  for (const auto& [file, mark] : env_file_paths(service["env_file"], compose_path)) {
    auto full =
        std::filesystem::path(file).is_absolute() ? std::filesystem::path(file) : dir / file;
    std::string text;
    try {
      text = read_project_file(full.string(), "the env_file");
    } catch (const Error& e) {
      throw config_error(compose_path, mark,
                         fmt::format("{}; Compose would refuse to start the service", e.what()));
    }
    for (const auto& entry : parse_env_file(text)) {
      if (entry.key != variable) continue;
      found.present = true;
      found.raw = entry.value;
      found.origin =
          fmt::format("{}:{} (env_file: of {})", full.string(), entry.line, compose_path);
    }
  }
  return found;
}

}  // namespace

std::vector<EnvFileEntry> parse_env_file(std::string_view text) {
  std::vector<EnvFileEntry> out;
  int line_number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    if (line.starts_with("export ")) line = trim(std::string_view(line).substr(7));
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;  // `KEY` alone: taken from the shell; not a value
    std::string key = trim(std::string_view(line).substr(0, eq));
    std::string value = trim(std::string_view(line).substr(eq + 1));
    if (!value.empty() && (value[0] == '"' || value[0] == '\'')) {
      auto close = value.find(value[0], 1);
      if (close != std::string::npos) value = value.substr(1, close - 1);
    } else if (auto comment = value.find(" #"); comment != std::string::npos) {
      value = trim(std::string_view(value).substr(0, comment));
    }
    out.push_back({key, value, line_number});
    if (end == text.size()) break;
  }
  return out;
}

std::string interpolate(std::string_view text, const Environment& environment) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '$' || i + 1 >= text.size()) {
      out += c;
      ++i;
      continue;
    }
    char next = text[i + 1];
    if (next == '$') {
      out += '$';
      i += 2;
    } else if (next == '{') {
      auto close = text.find('}', i + 2);
      if (close == std::string_view::npos) {
        out += text.substr(i);
        break;
      }
      std::string_view inner = text.substr(i + 2, close - i - 2);
      size_t n = 0;
      while (n < inner.size() && is_name_char(inner[n]))
        ++n;
      std::string name(inner.substr(0, n));
      std::string_view op = inner.substr(n);
      auto value = lookup(environment, name);
      if (op.starts_with(":-")) {
        out += value && !value->empty() ? *value : interpolate(op.substr(2), environment);
      } else if (op.starts_with("-")) {
        out += value ? *value : interpolate(op.substr(1), environment);
      } else {
        out += value.value_or("");
      }
      i = close + 1;
    } else if (is_name_char(next)) {
      size_t n = i + 1;
      while (n < text.size() && is_name_char(text[n]))
        ++n;
      out += lookup(environment, text.substr(i + 1, n - i - 1)).value_or("");
      i = n;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

static ComposeValue read_compose_variable_unchecked(const std::string& path,
                                                    const std::optional<std::string>& service,
                                                    std::string_view variable,
                                                    const Environment& interpolation_environment) {
  std::string text = read_project_file(path, "the Compose file");
  YAML::Node root;
  try {
    root = load_yaml(text);
  } catch (const YAML::Exception& e) {
    throw config_error(path, e.mark, fmt::format("not valid YAML: {}", e.msg));
  }
  if (!root.IsMap()) {
    throw config_error(path, root.Mark(),
                       "the file is not a mapping with services:; is this a "
                       "Compose file?");
  }
  auto services = root["services"];
  if (!services || !services.IsMap() || services.size() == 0) {
    throw config_error(path, root.Mark(), "no services: section; is this a Compose file?");
  }
  ComposeValue result;
  for (const auto& s : services)
    result.services.push_back(s.first.Scalar());
  std::string names;
  for (const auto& n : result.services)
    names += (names.empty() ? "" : ", ") + n;

  // Compose's own interpolation sources: the shell environment, then the project's .env.
  Environment env;
  auto dot_env = std::filesystem::path(path).parent_path() / ".env";
  std::error_code absent;
  if (std::filesystem::exists(dot_env, absent)) {
    for (auto& e : parse_env_file(read_project_file(dot_env.string(), "the Compose .env file")))
      env.emplace_back(e.key, e.value);
  }
  env.insert(env.end(), interpolation_environment.begin(), interpolation_environment.end());

  for (const auto& s : services) {
    if (!s.second.IsMap() && !s.second.IsNull()) {
      throw config_error(path, s.second.Mark(),
                         fmt::format("service {} is not a mapping", s.first.Scalar()));
    }
  }
  std::string chosen;
  if (service) {
    if (!services[*service]) {
      throw config_error(path, services.Mark(),
                         fmt::format("no service {}; the services are: {}", *service, names));
    }
    chosen = *service;
  } else if (services[std::string(catalog::kServiceName)]) {
    chosen = catalog::kServiceName;
  } else if (result.services.size() == 1) {
    chosen = result.services.front();
  } else {
    std::vector<std::string> mentioning;
    for (const auto& s : services) {
      if (find_in_environment(s.second["environment"], variable, path).present ||
          find_in_env_files(s.second, variable, path).present) {
        mentioning.push_back(s.first.Scalar());
      }
    }
    if (mentioning.size() != 1) {
      throw config_error(path, services.Mark(),
                         fmt::format("{} services ({}) and none is {}; pass --service NAME",
                                     result.services.size(), names, catalog::kServiceName));
    }
    chosen = mentioning.front();
  }
  result.service = chosen;
  auto node = services[chosen];
  if (node.IsMap() && node["container_name"] && node["container_name"].IsScalar()) {
    result.container_name = interpolate(node["container_name"].Scalar(), env);
  }
  Found found = find_in_environment(node["environment"], variable, path);
  if (!found.present) found = find_in_env_files(node, variable, path);
  if (!found.present) return result;
  result.origin = found.origin;
  result.from_shell = found.from_shell;
  if (found.from_shell) {
    result.value = lookup(interpolation_environment, variable);
    result.raw = "";
  } else if (found.raw) {
    result.raw = *found.raw;
    result.value = interpolate(*found.raw, env);
  }
  return result;
}

ComposeValue read_compose_variable(const std::string& path,
                                   const std::optional<std::string>& service,
                                   std::string_view variable,
                                   const Environment& interpolation_environment) {
  try {
    return read_compose_variable_unchecked(path, service, variable, interpolation_environment);
  } catch (const YAML::Exception& e) {
    // A node of an unexpected kind (a scalar where a mapping belongs, ...).
    throw config_error(path, e.mark, fmt::format("not in the Compose file format: {}", e.msg));
  }
}

}  // namespace e2e3d::doctor
