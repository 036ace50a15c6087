// The bash, zsh and fish completions offer exactly the commands, options and enumerated values
// the binary's --help lists: each shell is driven for real and its candidates are compared.
#include <catch2/catch.hpp>

#include <algorithm>

#include "cli_surface.hpp"
#include "shell_completion.hpp"

using namespace e2e3d::test;

namespace {

const std::string kTool = "e2e3d-metrics ";

Candidates as_set(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

// The lines asked of every shell, with the exact candidates expected.
struct Expectation {
  std::string line;
  Candidates expected;
  bool exact = true;  // false: `expected` must be among the candidates
};

std::vector<Expectation> expectations() {
  const auto& cli = cli_surface();
  std::vector<Expectation> all;
  Candidates commands = as_set(cli.commands);
  all.push_back({kTool, commands});
  all.push_back({kTool + "--", cli.global_long_names()});
  for (const auto& [command, subcommands] : cli.subcommands)
    all.push_back({kTool + command + " ", as_set(subcommands)});
  for (const auto& command : cli.command_paths()) {
    Candidates options = cli.global_long_names();
    options.merge(cli.command_long_names(command));
    all.push_back({kTool + command + " --", options});
    for (const auto& option : cli.command_options.at(command)) {
      if (!option.values.empty())
        all.push_back({kTool + command + " " + option.long_name + " ", as_set(option.values)});
    }
    if (cli.positional_values.contains(command))
      all.push_back({kTool + command + " ", as_set(cli.positional_values.at(command)), false});
  }
  for (const auto& option : cli.global_options) {
    if (!option.values.empty()) {
      all.push_back({kTool + option.long_name + " ", as_set(option.values)});
      // Also after a command: global options are valid there too.
      all.push_back(
          {kTool + cli.commands.front() + " " + option.long_name + " ", as_set(option.values)});
    }
    if (!option.values.empty() && !option.short_name.empty())
      all.push_back({kTool + option.short_name + " ", as_set(option.values)});
    // The word after an option that takes a value is that value, never the command name.
    if (option.shows_type) {
      all.push_back({kTool + option.long_name + " " + cli.commands.front() + " ", commands});
      if (!option.short_name.empty())
        all.push_back({kTool + option.short_name + " " + cli.commands.front() + " ", commands});
    }
  }
  return all;
}

std::vector<std::string> lines_of(const std::vector<Expectation>& all) {
  std::vector<std::string> lines;
  for (const auto& e : all)
    lines.push_back(e.line);
  return lines;
}

void check_shell(Shell shell) {
  auto all = expectations();
  auto results = complete_lines(shell, completion_file(shell), lines_of(all));
  // zsh is driven on a pseudo-terminal: on a loaded machine (CI runs this under ASan) a line's
  // candidates can be lost in transit. Ask again for lines that came back empty, twice at most.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::vector<std::string> again;
    for (const auto& e : all) {
      if (results.at(e.line).empty() && !e.expected.empty()) again.push_back(e.line);
    }
    if (again.empty()) break;
    for (auto& [line, got] : complete_lines(shell, completion_file(shell), again)) {
      results[line] = got;
    }
  }
  for (const auto& e : all) {
    INFO(shell_name(shell) << ": completing '" << e.line << "'");
    const auto& got = results.at(e.line);
    if (e.exact) {
      CHECK(got == e.expected);
    } else {
      CHECK(std::includes(got.begin(), got.end(), e.expected.begin(), e.expected.end()));
    }
  }
}

}  // namespace

TEST_CASE("bash completion offers exactly the commands, options and values of --help") {
  check_shell(Shell::bash);
}

TEST_CASE("zsh completion offers exactly the commands, options and values of --help") {
  check_shell(Shell::zsh);
}

TEST_CASE("fish completion offers exactly the commands, options and values of --help") {
  check_shell(Shell::fish);
}

TEST_CASE("every completion completes a partial word and the --option=value form") {
  const auto& cli = cli_surface();
  REQUIRE(!cli.commands.empty());
  const std::string command = cli.commands.front();
  const std::string prefix = command.substr(0, 2);
  Candidates starting;
  for (const auto& c : cli.commands)
    if (c.starts_with(prefix)) starting.insert(c);

  for (Shell shell : {Shell::bash, Shell::zsh, Shell::fish}) {
    INFO(shell_name(shell));
    // bash splits "--output=j" at '=' into three words; zsh offers the values after '=';
    // fish offers the whole "--output=json" word.
    std::string equals_line = shell == Shell::bash ? kTool + "--output = j" : kTool + "--output=j";
    Candidates equals_expected = shell == Shell::fish
                                     ? Candidates{"--output=json", "--output=junit"}
                                     : Candidates{"json", "junit"};
    std::vector<std::string> lines = {kTool + prefix, kTool + "--out", equals_line};
    auto results = complete_lines(shell, completion_file(shell), lines);
    CHECK(results.at(kTool + prefix) == starting);
    CHECK(results.at(kTool + "--out") == Candidates{"--output"});
    CHECK(results.at(equals_line) == equals_expected);
  }
}

TEST_CASE("every completion offers files after --file and nothing after --url") {
  // The drivers run in an empty directory, so a file completion must come back empty while
  // still not offering commands or options; the source tree's directory has files.
  for (Shell shell : {Shell::bash, Shell::zsh, Shell::fish}) {
    INFO(shell_name(shell));
    auto results = complete_lines(shell, completion_file(shell),
                                  {kTool + "--file ", kTool + "--url ",
                                   kTool + "--file " + E2E3D_SOURCE_DIR + "/completions/_e2e3d"});
    CHECK(results.at(kTool + "--file ").empty());
    for (const auto& candidate : results.at(kTool + "--url ")) {
      CHECK(!candidate.starts_with("-"));
      CHECK(!as_set(cli_surface().commands).contains(candidate));
    }
    auto files = results.at(kTool + "--file " + E2E3D_SOURCE_DIR + "/completions/_e2e3d");
    REQUIRE(files.size() == 1);
    CHECK(files.begin()->ends_with("_e2e3d-metrics"));
  }
}
