#include "man_page.hpp"

#include <regex>
#include <sstream>

#include "support/child_process.hpp"

namespace e2e3d::test {
namespace {

// "\-\-connect\-timeout" -> "--connect-timeout"; font escapes and quotes removed.
std::string plain(std::string line) {
  line = std::regex_replace(line, std::regex(R"(\\f[BIRP])"), "");
  line = std::regex_replace(line, std::regex(R"(\\-)"), "-");
  std::erase(line, '"');
  return line;
}

std::string macro_argument(const std::string& line) {
  auto space = line.find(' ');
  return space == std::string::npos ? "" : plain(line.substr(space + 1));
}

std::string first_word(const std::string& text) {
  return text.substr(0, text.find(' '));
}

}  // namespace

std::string man_page_path() {
  return std::string(E2E3D_SOURCE_DIR) + "/man/e2e3d-metrics.1";
}

ManPage read_man_page(const std::string& path) {
  ManPage page;
  page.source = read_file(path);
  std::istringstream in(page.source);
  std::string line, section, subsection;
  bool tag_next = false;
  static const std::regex long_option(R"(--[a-z0-9][a-z0-9-]*)");
  static const std::regex env_name(R"([A-Z][A-Z0-9_]+)");
  static const std::regex key(R"([A-Za-z_][A-Za-z0-9_]*)");
  while (std::getline(in, line)) {
    if (line.starts_with(".SH")) {
      section = macro_argument(line);
      subsection.clear();
      continue;
    }
    if (line.starts_with(".SS")) {
      // Under COMMANDS the title is the command path: "show", "generate rules".
      subsection = macro_argument(line);
      if (section != "COMMANDS") subsection = first_word(subsection);
      if (section == "COMMANDS") page.command_options[subsection];
      continue;
    }
    if (line.starts_with(".TP")) {
      tag_next = true;
      continue;
    }
    bool is_tag = tag_next;
    tag_next = false;
    std::string text = plain(line);
    if (is_tag && (section == "OPTIONS" || section == "COMMANDS")) {
      auto& into = section == "OPTIONS" ? page.global_options : page.command_options[subsection];
      for (std::sregex_iterator it(text.begin(), text.end(), long_option), end; it != end; ++it)
        into.insert(it->str());
    } else if (is_tag && section == "ENVIRONMENT") {
      std::smatch m;
      if (std::regex_search(text, m, env_name)) page.environment.insert(m.str());
    } else if (section == "JSON OUTPUT" && !subsection.empty() &&
               (line.starts_with(".B ") || line.starts_with(".BR "))) {
      std::string word = first_word(macro_argument(line));
      if (std::regex_match(word, key)) page.json_keys[subsection].insert(word);
    }
  }
  return page;
}

}  // namespace e2e3d::test
