#include "support/docker_fixture.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <catch2/catch.hpp>

namespace e2e3d::test {
namespace {

constexpr const char* kDocker = "/usr/bin/docker";
constexpr const char* kCompose = "/usr/bin/docker-compose";

std::string state_file(const char* name) {
  std::ifstream in(std::string(E2E3D_DOCKER_STATE_DIR) + "/" + name);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

}  // namespace

const std::string& require_docker_host() {
  static const std::string host = state_file("host");
  if (host.empty()) {
    std::string why = state_file("unavailable");
    if (why.empty()) {
      why = fmt::format(
          "the CTest fixture container_daemon did not run (no {}/host): run these "
          "tests through ctest",
          E2E3D_DOCKER_STATE_DIR);
    }
    std::fprintf(stderr, "\n*** SKIPPED: no Docker daemon for the container tests: %s\n\n",
                 why.c_str());
    std::fflush(stderr);
    std::_Exit(77);
  }
  return host;
}

std::string test_image() {
  return "e2e3d-test-host:latest";
}

RunResult docker(std::vector<std::string> args) {
  args.insert(args.begin(), {kDocker, "-H", require_docker_host()});
  return run(args, {}, "", std::chrono::seconds(60));
}

std::string compose_host_anchor() {
  return fmt::format(R"(x-host: &host
  image: {}
  init: true
  volumes:
    - /usr:/usr:ro
    - /lib:/lib:ro
    - /lib64:/lib64:ro
    - /bin:/bin:ro
    - /etc:/etc:ro
    - {}:/support:ro
)",
                     test_image(), E2E3D_SUPPORT_DIR);
}

ComposeProject::ComposeProject(const std::string& yaml) {
  static std::atomic<int> counter{0};
  name_ = fmt::format("e2e3dt{}x{}", getpid(), counter++);
  char dir[] = "/tmp/e2e3d-compose-XXXXXX";
  REQUIRE(mkdtemp(dir) != nullptr);
  dir_ = dir;
  write("docker-compose.yml", yaml);
}

ComposeProject::~ComposeProject() {
  compose({"down", "--volumes", "--remove-orphans", "--timeout", "1"});
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void ComposeProject::write(const std::string& file_name, const std::string& content) const {
  std::ofstream(dir_ + "/" + file_name, std::ios::binary) << content;
}

RunResult ComposeProject::compose(std::vector<std::string> args) const {
  args.insert(args.begin(), {kCompose, "--no-ansi", "-p", name_, "-f", file()});
  std::vector<std::string> env = {"DOCKER_HOST=" + require_docker_host(),
                                  "COMPOSE_INTERACTIVE_NO_CLI=1"};
  return run(args, env, "", std::chrono::seconds(120));
}

void ComposeProject::up(std::vector<std::string> args) const {
  std::vector<std::string> all = {"up", "-d"};
  all.insert(all.end(), args.begin(), args.end());
  auto r = compose(all);
  INFO("docker-compose up: " << r.out << r.err);
  REQUIRE(r.exit_code == 0);
}

bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return ready();
}

std::string http_body(const std::string& url) {
  auto r = run({"/usr/bin/curl", "-sf", "--max-time", "2", url}, {}, "", std::chrono::seconds(5));
  return r.exit_code == 0 ? r.out : "";
}

}  // namespace e2e3d::test
