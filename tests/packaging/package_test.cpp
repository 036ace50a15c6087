// The Debian package CPack builds: its files are under /usr where Debian puts them, and its
// Depends names the package of every shared library the binary needs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "support/child_process.hpp"
#include "temp_dir.hpp"

using namespace e2e3d::test;
namespace fs = std::filesystem;

namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

// The binary's NEEDED entries (libcurl.so.4, ...).
std::vector<std::string> needed_libraries(const std::string& binary) {
  auto r = run({"readelf", "-d", binary});
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> libraries;
  static const std::regex needed(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), needed), end; it != end; ++it)
    libraries.push_back((*it)[1].str());
  return libraries;
}

// The installed package of this architecture that ships a library, from dpkg's database.
std::string package_of(const std::string& library, const std::string& architecture) {
  auto r = run({"dpkg", "-S", "*/" + library});
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    // "libcurl4:amd64: /usr/lib/x86_64-linux-gnu/libcurl.so.4"
    auto qualifier = ":" + architecture + ": ";
    if (auto at = line.find(qualifier); at != std::string::npos) return line.substr(0, at);
  }
  return "";
}

// "libc6 (>= 2.34), libcurl4 (>= 7.80.0)" -> {"libc6", "libcurl4"}
std::set<std::string> package_names(const std::string& depends) {
  std::set<std::string> names;
  static const std::regex name(R"((?:^|,\s*)([a-z0-9][a-z0-9.+-]*))");
  for (std::sregex_iterator it(depends.begin(), depends.end(), name), end; it != end; ++it)
    names.insert((*it)[1].str());
  return names;
}

std::string field(const std::string& deb, const std::string& name) {
  auto r = run({"dpkg-deb", "-f", deb, name});
  REQUIRE(r.exit_code == 0);
  return trimmed(r.out);
}

}  // namespace

TEST_CASE("CPack builds a .deb with the files under /usr and every library dependency declared") {
  // What CPack does, minus rebuilding the tree (which would build every test too): install
  // into a staging root with prefix /usr, then let CPack package that root. Packaging runs
  // dpkg-shlibdeps on the binary, exactly as for the release package.
  TempDir work("package");
  auto stage = (work.path / "stage").string();
  auto install = run({"cmake", "--install", build_dir(), "--prefix", "/usr"}, {"DESTDIR=" + stage});
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  auto cpack = run({"cpack", "-G", "DEB", "--config", build_dir() + "/CPackConfig.cmake", "-B",
                    (work.path / "out").string(), "-D", "CPACK_INSTALL_CMAKE_PROJECTS=", "-D",
                    "CPACK_INSTALLED_DIRECTORIES=" + stage + ";."},
                   {}, "", std::chrono::seconds(120));
  INFO(cpack.out << cpack.err);
  REQUIRE(cpack.exit_code == 0);

  std::string deb;
  for (const auto& entry : fs::directory_iterator(work.path / "out"))
    if (entry.path().extension() == ".deb") deb = entry.path().string();
  REQUIRE(!deb.empty());

  auto architecture = trimmed(run({"dpkg", "--print-architecture"}).out);
  auto version = run_tool({"--version"}).out;  // "e2e3d-metrics 0.1.0 (rev)"
  CHECK(field(deb, "Package") == "e2e3d-metrics");
  CHECK(field(deb, "Architecture") == architecture);
  CHECK(version.find(" " + field(deb, "Version") + " ") != std::string::npos);
  CHECK(fs::path(deb).filename() ==
        "e2e3d-metrics_" + field(deb, "Version") + "_" + architecture + ".deb");

  auto contents = run({"dpkg-deb", "-c", deb});
  REQUIRE(contents.exit_code == 0);
  for (const std::string& file : std::vector<std::string>{
           "./usr/bin/e2e3d-metrics", "./usr/share/man/man1/e2e3d-metrics.1.gz",
           "./usr/share/bash-completion/completions/e2e3d-metrics",
           "./usr/share/zsh/vendor-completions/_e2e3d-metrics",
           "./usr/share/fish/vendor_completions.d/e2e3d-metrics.fish"}) {
    INFO(file);
    CHECK(contents.out.find(" " + file + "\n") != std::string::npos);
  }

  auto depends = package_names(field(deb, "Depends"));
  INFO("Depends: " << field(deb, "Depends"));
  auto libraries = needed_libraries(E2E3D_METRICS_BIN);
  REQUIRE(!libraries.empty());
  for (const auto& library : libraries) {
    auto package = package_of(library, architecture);
    INFO(library << " comes from '" << package << "'");
    REQUIRE(!package.empty());
    CHECK(depends.contains(package));
  }
  // The libraries the build links today, by their Debian 12 package names.
  for (const auto& package :
       {"libcurl4", "libfmt9", "libre2-9", "libyaml-cpp0.7", "libstdc++6", "libc6"}) {
    CHECK(depends.contains(package));
  }
}
