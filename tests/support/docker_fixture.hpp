#pragma once
// Real containers for tests: the Docker daemon of the CTest fixture `container_daemon`
// (tests/support/docker_daemon/main.cpp starts or finds it) and Compose projects on it, each
// with a unique project name so tests running side by side never meet.

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace e2e3d::test {

// The DOCKER_HOST of the fixture's daemon. When no daemon can run here, says why on stderr and
// ends the test process with the code CTest reports as "Skipped" (77): loud, never a silent pass.
const std::string& require_docker_host();

// The image the fixture imported (empty; containers bind-mount the host's system read-only).
std::string test_image();

// /usr/bin/docker against the fixture's daemon (the tests' hands; the product never runs it).
RunResult docker(std::vector<std::string> args);

// The `x-host` anchor every test service merges (`<<: *host`): the image, the host's /usr /lib
// /lib64 /bin /etc read-only, and tests/support at /support (e2e3d_exporter.py is there).
std::string compose_host_anchor();

class ComposeProject {
 public:
  // A fresh directory holding docker-compose.yml = `yaml`; the project name is unique.
  explicit ComposeProject(const std::string& yaml);
  // `docker-compose down` (containers, networks) and the directory removed.
  ~ComposeProject();
  ComposeProject(const ComposeProject&) = delete;
  ComposeProject& operator=(const ComposeProject&) = delete;

  const std::string& name() const { return name_; }
  const std::string& dir() const { return dir_; }
  std::string file() const { return dir_ + "/docker-compose.yml"; }
  // Writes a file in the project's directory (prometheus.yml, a changed docker-compose.yml).
  void write(const std::string& file_name, const std::string& content) const;

  // docker-compose -p NAME -f FILE ARGS... in the project's directory.
  RunResult compose(std::vector<std::string> args) const;
  // `up -d` (plus `args`); fails the test with Compose's output when it does not succeed.
  void up(std::vector<std::string> args = {}) const;

 private:
  std::string name_;
  std::string dir_;
};

// Polls `ready` every 100 ms until it returns true or `timeout` passes.
bool wait_until(const std::function<bool()>& ready,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

// GET of an HTTP URL on loopback (via /usr/bin/curl): the body, or "" when it fails.
std::string http_body(const std::string& url);

}  // namespace e2e3d::test
