#pragma once
// The command-line surface as the binary itself describes it in `--help`: commands, options,
// which options take a value, enumerated values, environment variables. The man page and the
// shell completions are compared against this, so they cannot drift from the binary.

#include <map>
#include <set>
#include <string>
#include <vector>

namespace e2e3d::test {

struct HelpOption {
  std::string long_name;            // "--output"
  std::string short_name;           // "-o", or empty
  bool shows_type = false;          // the help shows a type (TEXT, FLOAT...): it takes a value
  std::vector<std::string> values;  // from "TEXT:{a,b}", empty when not enumerated
  std::string env;                  // from "(Env:NAME)", or empty
};

// One `--help` page of CLI11.
struct HelpPage {
  std::vector<HelpOption> options;
  std::vector<std::string> commands;                        // the "Subcommands:" section
  std::vector<std::vector<std::string>> positional_values;  // enumerated positionals, in order
};

HelpPage parse_help(const std::string& text);

// Commands are named by their path: "show", "generate", "generate rules".
struct CliSurface {
  std::vector<std::string> commands;  // top level
  // Commands that have commands of their own ("generate" -> "prometheus-config", "rules").
  std::map<std::string, std::vector<std::string>> subcommands;
  std::vector<HelpOption> global_options;
  // Per command path: its own options, without the global ones (--help is global).
  std::map<std::string, std::vector<HelpOption>> command_options;
  // Per command path: values of its first positional argument, when enumerated.
  std::map<std::string, std::vector<std::string>> positional_values;

  // Every command path, top level and nested.
  std::vector<std::string> command_paths() const;
  // The paths that have no commands of their own: what a user finally runs.
  std::vector<std::string> leaf_commands() const;
  std::set<std::string> global_long_names() const;
  std::set<std::string> command_long_names(const std::string& command) const;
  std::set<std::string> environment_variables() const;
};

// Runs `e2e3d-metrics --help` and `e2e3d-metrics COMMAND... --help` for every command path.
const CliSurface& cli_surface();

}  // namespace e2e3d::test
