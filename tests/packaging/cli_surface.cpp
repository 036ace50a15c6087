#include "cli_surface.hpp"

#include <regex>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "support/child_process.hpp"

namespace e2e3d::test {
namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator))
    parts.push_back(part);
  return parts;
}

// "  --url TEXT=http://... (Env:E2E3D_METRICS_URL)   Metrics endpoint" -> the part before the
// description column: CLI11 separates it from the description by at least two spaces.
std::string option_spec(const std::string& line) {
  auto body = line.substr(2);
  auto gap = body.find("  ");
  return gap == std::string::npos ? body : body.substr(0, gap);
}

HelpOption parse_option(const std::string& line) {
  HelpOption option;
  std::string spec = option_spec(line);
  auto space = spec.find(' ');
  for (const auto& name : split(spec.substr(0, space), ',')) {
    if (name.starts_with("--")) {
      option.long_name = name;
    } else if (name.starts_with("-")) {
      option.short_name = name;
    }
  }
  std::string rest = space == std::string::npos ? "" : spec.substr(space + 1);
  // The type comes first when there is one: an upper-case word (TEXT, UINT, FLOAT:POSITIVE).
  static const std::regex type(R"(^[A-Z][A-Z0-9_]*[:=\s]|^[A-Z][A-Z0-9_]*$)");
  option.shows_type = std::regex_search(rest, type);
  static const std::regex values(R"(\{([^}]*)\})");
  std::smatch m;
  if (std::regex_search(rest, m, values)) option.values = split(m[1].str(), ',');
  static const std::regex env(R"(\(Env:([A-Za-z0-9_]+)\))");
  if (std::regex_search(rest, m, env)) option.env = m[1].str();
  return option;
}

}  // namespace

HelpPage parse_help(const std::string& text) {
  HelpPage page;
  std::string section;
  for (const auto& line : split(text, '\n')) {
    if (!line.empty() && line[0] != ' ' && line.back() == ':') {
      section = line.substr(0, line.size() - 1);
      continue;
    }
    // Entries are indented by exactly two spaces; wrapped descriptions by many more.
    if (line.size() < 3 || !line.starts_with("  ") || line[2] == ' ') continue;
    if (section == "Subcommands") {
      page.commands.push_back(line.substr(2, line.find(' ', 2) - 2));
    } else if (section == "Positionals") {
      auto option = parse_option(line);
      if (!option.values.empty()) page.positional_values.push_back(option.values);
    } else if (section != "Examples" && line[2] == '-') {
      auto option = parse_option(line);
      if (!option.long_name.empty()) page.options.push_back(option);
    }
  }
  return page;
}

std::vector<std::string> CliSurface::command_paths() const {
  std::vector<std::string> paths;
  for (const auto& [path, options] : command_options)
    paths.push_back(path);
  return paths;
}

std::vector<std::string> CliSurface::leaf_commands() const {
  std::vector<std::string> leaves;
  for (const auto& path : command_paths())
    if (!subcommands.contains(path)) leaves.push_back(path);
  return leaves;
}

std::set<std::string> CliSurface::global_long_names() const {
  std::set<std::string> names;
  for (const auto& o : global_options)
    names.insert(o.long_name);
  return names;
}

std::set<std::string> CliSurface::command_long_names(const std::string& command) const {
  std::set<std::string> names;
  for (const auto& o : command_options.at(command))
    names.insert(o.long_name);
  return names;
}

std::set<std::string> CliSurface::environment_variables() const {
  std::set<std::string> names;
  for (const auto& o : global_options)
    if (!o.env.empty()) names.insert(o.env);
  for (const auto& [command, options] : command_options)
    for (const auto& o : options)
      if (!o.env.empty()) names.insert(o.env);
  return names;
}

namespace {

std::string help_of(std::vector<std::string> args) {
  args.push_back("--help");
  auto r = run_tool(args);
  if (r.exit_code != 0 || r.out.empty()) {
    throw std::runtime_error("e2e3d-metrics --help failed: " + r.err);
  }
  return r.out;
}

void read_command(CliSurface& surface, const std::vector<std::string>& path) {
  HelpPage page = parse_help(help_of(path));
  std::string name;
  for (const auto& word : path)
    name += (name.empty() ? "" : " ") + word;
  // A command's --help lists its own options and --help. An own option may share a global
  // option's name (generate prometheus-config's --job and --target shadow the global ones).
  auto& own = surface.command_options[name];
  for (const auto& option : page.options)
    if (option.long_name != "--help") own.push_back(option);
  if (!page.positional_values.empty())
    surface.positional_values[name] = page.positional_values.front();
  if (!page.commands.empty()) surface.subcommands[name] = page.commands;
  for (const auto& sub : page.commands) {
    auto longer = path;
    longer.push_back(sub);
    read_command(surface, longer);
  }
}

CliSurface read_surface() {
  CliSurface surface;
  HelpPage top = parse_help(help_of({}));
  surface.commands = top.commands;
  surface.global_options = top.options;
  for (const auto& command : surface.commands)
    read_command(surface, {command});
  // doctor's --check and --skip take check ids, which its --help lists only in prose: the ids
  // are taken from a real run, which reports every check (passed or skipped).
  if (surface.command_options.contains("doctor")) {
    auto r = run_tool({"doctor", "--file", fixture_path("e2e3d_python.txt"), "--output", "json"});
    std::vector<std::string> ids;
    // The document must outlive the loop: a range-for over a temporary's member dangles.
    auto report = nlohmann::json::parse(r.out);
    for (const auto& check : report.at("checks"))
      ids.push_back(check.at("id").get<std::string>());
    for (auto& option : surface.command_options["doctor"])
      if (option.long_name == "--check" || option.long_name == "--skip") option.values = ids;
  }
  return surface;
}

}  // namespace

const CliSurface& cli_surface() {
  static const CliSurface surface = read_surface();
  return surface;
}

}  // namespace e2e3d::test
