#pragma once
// What the man page documents, read from its roff source: the options are the tags of .TP
// entries under OPTIONS (global) and under each command's .SS in COMMANDS.

#include <map>
#include <set>
#include <string>

namespace e2e3d::test {

struct ManPage {
  std::string source;
  std::set<std::string> global_options;
  std::map<std::string, std::set<std::string>> command_options;  // every .SS under COMMANDS
  std::set<std::string> environment;                             // .TP tags under ENVIRONMENT
  // Words set in bold (.B, .BR) in each .SS of JSON OUTPUT: the documented keys.
  std::map<std::string, std::set<std::string>> json_keys;
};

ManPage read_man_page(const std::string& path);

// The path of man/e2e3d-metrics.1 in the source tree.
std::string man_page_path();

}  // namespace e2e3d::test
