// `cmake --install` into a temporary prefix: the installed binary runs, and the man page and
// the completions are where man and the shells look for them.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "cli_surface.hpp"
#include "man_page.hpp"
#include "shell_completion.hpp"
#include "support/child_process.hpp"
#include "temp_dir.hpp"

using namespace e2e3d::test;
namespace fs = std::filesystem;

namespace {

// Debian's zsh reads packaged completions from vendor-completions (cmake/packaging.cmake).
std::string zsh_completion_dir() {
  return fs::exists("/etc/debian_version") ? "share/zsh/vendor-completions"
                                           : "share/zsh/site-functions";
}

struct Installed {
  TempDir prefix{"install"};
  RunResult result;
  Installed() { result = run({"cmake", "--install", build_dir(), "--prefix", prefix.str()}); }
  std::string at(const std::string& relative) const { return (prefix.path / relative).string(); }
};

}  // namespace

TEST_CASE("cmake --install puts every file where distributions put it") {
  Installed install;
  INFO(install.result.out << install.result.err);
  REQUIRE(install.result.exit_code == 0);
  for (const std::string& file :
       std::vector<std::string>{"bin/e2e3d-metrics", "share/man/man1/e2e3d-metrics.1.gz",
                                "share/bash-completion/completions/e2e3d-metrics",
                                zsh_completion_dir() + "/_e2e3d-metrics",
                                "share/fish/vendor_completions.d/e2e3d-metrics.fish"}) {
    INFO(file);
    CHECK(fs::is_regular_file(install.at(file)));
  }
  auto perms = fs::status(install.at("bin/e2e3d-metrics")).permissions();
  CHECK((perms & fs::perms::others_exec) != fs::perms::none);
}

TEST_CASE("the installed binary runs and reports the version and git revision") {
  Installed install;
  REQUIRE(install.result.exit_code == 0);
  auto installed = run({install.at("bin/e2e3d-metrics"), "--version"});
  auto built = run_tool({"--version"});
  CHECK(installed.exit_code == 0);
  CHECK(installed.out == built.out);
  CHECK(std::regex_match(
      installed.out,
      std::regex(R"(e2e3d-metrics \d+\.\d+\.\d+ \(([0-9a-f]{12}(-dirty)?|unknown)\)\n)")));
  // And it does real work from its new place.
  auto show = run({install.at("bin/e2e3d-metrics"), "show", "--file",
                   fixture_path("e2e3d_python.txt"), "--output", "json"});
  INFO(show.err);
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("\"resolved_names\"") != std::string::npos);
}

TEST_CASE("man finds the installed page, and it is the source page compressed") {
  Installed install;
  REQUIRE(install.result.exit_code == 0);
  auto page = install.at("share/man/man1/e2e3d-metrics.1.gz");
  auto unpacked = run({"gzip", "-dc", page});
  REQUIRE(unpacked.exit_code == 0);
  CHECK(unpacked.out == read_file(man_page_path()));
  auto found = run({"man", "-w", "e2e3d-metrics"}, {"MANPATH=" + install.at("share/man")});
  INFO(found.err);
  CHECK(found.exit_code == 0);
  CHECK(found.out == page + "\n");
}

TEST_CASE("each shell finds the installed completion by itself and it works") {
  Installed install;
  REQUIRE(install.result.exit_code == 0);
  const auto& cli = cli_surface();
  Candidates commands(cli.commands.begin(), cli.commands.end());
  for (Shell shell : {Shell::bash, Shell::zsh, Shell::fish}) {
    INFO(shell_name(shell));
    auto results =
        complete_lines_installed(shell, install.prefix.str(), install.at(zsh_completion_dir()),
                                 {"e2e3d-metrics ", "e2e3d-metrics --col"});
    CHECK(results.at("e2e3d-metrics ") == commands);
    CHECK(results.at("e2e3d-metrics --col") == Candidates{"--color"});
  }
}
