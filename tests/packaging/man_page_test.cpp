// The man page formats cleanly and documents exactly what the binary's --help lists.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_surface.hpp"
#include "man_page.hpp"
#include "support/child_process.hpp"

using namespace e2e3d::test;

namespace {

std::set<std::string> as_set(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

// Every object key of a JSON document, except inside objects that map data to data (their
// keys are metric names or label values, not part of the schema).
void collect_keys(const nlohmann::json& j, std::set<std::string>& keys) {
  static const std::set<std::string> maps = {"resolved_names", "duration_seconds_by_status",
                                             "metric", "labels", "annotations"};
  if (j.is_array()) {
    for (const auto& element : j)
      collect_keys(element, keys);
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      keys.insert(key);
      if (!maps.contains(key)) collect_keys(value, keys);
    }
  }
}

}  // namespace

TEST_CASE("the man page formats with groff without a warning") {
  // -ww: all warnings; CHECKSTYLE: the man macros' own style checks.
  auto r = run({"groff", "-man", "-ww", "-z", "-rCHECKSTYLE=3", man_page_path()});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
}

TEST_CASE("the help parser reads the contract's known options") {
  // Guards the drift tests below against passing on an empty parse.
  const auto& cli = cli_surface();
  CHECK(as_set(cli.commands).contains("show"));
  auto global = cli.global_long_names();
  CHECK(global.contains("--url"));
  CHECK(global.contains("--help"));
  CHECK(!cli.command_long_names("show").contains("--help"));
  bool found_output = false;
  for (const auto& o : cli.global_options) {
    if (o.long_name == "--output") {
      found_output = true;
      CHECK(o.short_name == "-o");
      CHECK(o.shows_type);
      CHECK(as_set(o.values) == std::set<std::string>{"text", "json", "junit", "nagios"});
    }
    if (o.long_name == "--url") CHECK(o.env == "E2E3D_METRICS_URL");
    if (o.long_name == "--insecure") CHECK(!o.shows_type);
  }
  CHECK(found_output);
}

TEST_CASE("the man page documents every command and nothing else") {
  auto man = read_man_page(man_page_path());
  std::set<std::string> documented;
  for (const auto& [command, options] : man.command_options)
    documented.insert(command);
  // A command with commands of its own ("generate") is documented through them.
  CHECK(documented == as_set(cli_surface().leaf_commands()));
}

TEST_CASE("the man page documents every global option of --help and nothing else") {
  auto man = read_man_page(man_page_path());
  CHECK(man.global_options == cli_surface().global_long_names());
}

TEST_CASE("the man page documents every option of each command's --help and nothing else") {
  auto man = read_man_page(man_page_path());
  const auto& cli = cli_surface();
  for (const auto& command : cli.leaf_commands()) {
    INFO("command: " << command);
    REQUIRE(man.command_options.contains(command));
    CHECK(man.command_options.at(command) == cli.command_long_names(command));
  }
}

TEST_CASE("the man page documents every environment variable of --help") {
  auto man = read_man_page(man_page_path());
  auto from_help = cli_surface().environment_variables();
  REQUIRE(!from_help.empty());
  std::set<std::string> ours;
  for (const auto& name : man.environment)
    if (name.starts_with("E2E3D_METRICS_")) ours.insert(name);
  CHECK(ours == from_help);
  CHECK(man.environment.contains("NO_COLOR"));
  CHECK(man.environment.contains("ENABLE_METRICS"));
}

namespace {

// Runs of each command that between them produce every shape of its JSON output.
std::map<std::string, std::vector<std::vector<std::string>>> json_runs() {
  const std::string python = fixture_path("e2e3d_python.txt");
  return {
      {"show", {{"show", "--file", python}}},
      {"query",
       {{"query", "--file", python, "sum by (status) (e2e3d_job_duration_seconds_total)"},
        {"query", "--file", python, "rate(reconstruction_total[5m])"},
        {"query", "--file", python, "sum("}}},
      {"check",
       {{"check", "--file", python, "reconstruction_total", "reconstruction_success"},
        {"check", "--file", python, "--value", "e2e3d_active_jobs", "--warning", "1", "--critical",
         "10"}}},
      {"doctor", {{"doctor", "--file", python}}},
      {"alerts",
       {{"alerts", "--file", python}, {"alerts", "--file", fixture_path("e2e3d_python.om.txt")}}},
  };
}

}  // namespace

TEST_CASE("the man page documents every key of each command's --output json") {
  auto man = read_man_page(man_page_path());
  for (const auto& [command, runs] : json_runs()) {
    std::set<std::string> keys;
    for (auto args : runs) {
      args.insert(args.end(), {"--output", "json"});
      auto r = run_tool(args);
      INFO(command << ": " << r.err);
      REQUIRE(!r.out.empty());
      collect_keys(nlohmann::json::parse(r.out), keys);
    }
    INFO("command: " << command);
    REQUIRE(man.json_keys.contains(command));
    for (const auto& key : keys) {
      INFO("key: " << key);
      CHECK(man.json_keys.at(command).contains(key));
    }
  }
}

namespace {

std::size_t indentation(const std::string& line) {
  auto first = line.find_first_not_of(' ');
  return first == std::string::npos ? line.size() : first;
}

// The command lines of the man page's example blocks (.EX ... .EE), with roff escapes undone
// and continuations joined: a shell line ending in \ or |, and a YAML list item whose
// command goes on over more-indented lines (YAML folds them into one line).
std::vector<std::string> example_commands(const std::string& source) {
  std::vector<std::string> lines;
  std::istringstream in(source);
  std::string line;
  bool in_example = false;
  while (std::getline(in, line)) {
    if (line == ".EX") in_example = true;
    if (line == ".EE") in_example = false;
    if (!in_example || line.starts_with(".")) continue;
    line = std::regex_replace(line, std::regex(R"(\\-)"), "-");
    line = std::regex_replace(line, std::regex(R"(\\e)"), "\\");
    lines.push_back(line);
  }
  std::vector<std::string> commands;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string command = lines[i];
    auto item = indentation(command);
    bool yaml_item = command.compare(item, 2, "- ") == 0;
    while (i + 1 < lines.size()) {
      if (command.ends_with("\\")) {
        command.pop_back();
      } else if (!command.ends_with("|") && !(yaml_item && indentation(lines[i + 1]) > item + 2)) {
        break;
      }
      command += " " + lines[++i];
    }
    commands.push_back(command);
  }
  return commands;
}

std::vector<std::string> single_quoted(const std::string& text) {
  std::vector<std::string> words;
  static const std::regex quoted(R"('([^']*)')");
  for (std::sregex_iterator it(text.begin(), text.end(), quoted), end; it != end; ++it)
    words.push_back((*it)[1].str());
  return words;
}

}  // namespace

TEST_CASE("the man page's query and check examples work on a real capture of the service") {
  // The spec's queries with the names the Python client exposes must return series on a real
  // capture of exactly those definitions; the CI example's expressions must hold on it.
  auto examples = example_commands(read_file(man_page_path()));
  int tried = 0;
  for (const auto& example : examples) {
    // Lines of the CI example are YAML list items.
    auto trimmed = example.substr(example.find_first_not_of(' '));
    if (trimmed.starts_with("- ")) trimmed = trimmed.substr(2);
    for (const std::string command : {"query", "check"}) {
      if (!trimmed.starts_with("e2e3d-metrics " + command + " ")) continue;
      if (trimmed.find("--prometheus") != std::string::npos) continue;  // needs a server
      std::vector<std::string> args = {command, "--file", fixture_path("e2e3d_python.txt")};
      for (const auto& expr : single_quoted(trimmed.substr(0, trimmed.find('|'))))
        args.push_back(expr);
      INFO(example);
      REQUIRE(args.size() > 3);
      auto r = run_tool(args);
      INFO(r.err);
      CHECK(r.exit_code == 0);
      CHECK(!r.out.empty());
      ++tried;
    }
  }
  CHECK(tried >= 6);
}
