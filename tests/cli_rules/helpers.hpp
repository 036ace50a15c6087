#pragma once
// Shared pieces of the command-line tests of check, alerts and generate.

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "support/child_process.hpp"

namespace e2e3d::test {

inline std::string exporter_script() {
  return std::string(E2E3D_SUPPORT_DIR) + "/e2e3d_exporter.py";
}

struct Scratch {
  std::string path;
  Scratch() {
    std::string pattern = "/tmp/e2e3d-cli-rules-XXXXXX";
    path = mkdtemp(pattern.data());
  }
  ~Scratch() { std::filesystem::remove_all(path); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  std::string file(const std::string& name) const { return path + "/" + name; }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name), std::ios::binary) << text;
    return file(name);
  }
};

// `e2e3d-metrics demo` itself, on an ephemeral loopback port; the URL is read from the line it
// prints on stderr once it serves.
struct DemoCommand {
  std::unique_ptr<ChildProcess> process;
  std::string url;
  explicit DemoCommand(std::vector<std::string> args) {
    std::vector<std::string> argv = {E2E3D_METRICS_BIN, "demo",     "--port", "0",
                                     "--bind",          "127.0.0.1"};
    argv.insert(argv.end(), args.begin(), args.end());
    process = std::make_unique<ChildProcess>(argv);
    std::regex serving(R"(serving (http://\S+/metrics))");
    for (int i = 0; i < 200 && url.empty(); ++i) {
      std::smatch m;
      std::string err = process->stderr_text();
      if (std::regex_search(err, m, serving)) {
        url = m[1];
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(25));
      }
    }
    REQUIRE_FALSE(url.empty());
  }
};

}  // namespace e2e3d::test
