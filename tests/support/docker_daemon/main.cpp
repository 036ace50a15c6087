// The Docker daemon the container tests share, as a CTest fixture:
//   test_docker_daemon start STATE_DIR   before the container tests
//   test_docker_daemon stop STATE_DIR    after them
// `start` uses a daemon that already answers (DOCKER_HOST, else /var/run/docker.sock); else it
// starts a private dockerd (vfs storage, no iptables, no default bridge, address pools of its
// own) in a fresh directory under /tmp, detached, and records its PID. `stop` stops only a
// daemon `start` started, by that PID, and removes its directory. It writes STATE_DIR/host (the
// DOCKER_HOST the tests use) or STATE_DIR/unavailable (why no daemon can run: the tests then
// report themselves skipped). The test image (an empty `docker import`; containers bind-mount
// the host's /usr /lib /lib64 /bin /etc read-only) is imported either way.
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "support/child_process.hpp"

namespace {

namespace fs = std::filesystem;
using e2e3d::test::run;

constexpr const char* kDocker = "/usr/bin/docker";
constexpr const char* kImage = "e2e3d-test-host:latest";

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
    s.pop_back();
  return s;
}

void write(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text << "\n";
}

bool answers(const std::string& host) {
  auto r = run({kDocker, "-H", host, "version", "--format", "{{.Server.APIVersion}}"}, {}, "",
               std::chrono::seconds(10));
  return r.exit_code == 0;
}

bool import_image(const std::string& host, std::string& error) {
  // An empty tar: two zero blocks.
  std::string empty(1024, '\0');
  auto r = run({kDocker, "-H", host, "import", "-", kImage}, {}, empty, std::chrono::seconds(60));
  if (r.exit_code != 0) error = "docker import failed: " + r.err;
  return r.exit_code == 0;
}

bool alive(pid_t pid) {
  std::string stat = slurp(fmt::format("/proc/{}/stat", pid));
  if (stat.empty()) return false;
  auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

void unmount_below(const std::string& dir) {
  std::ifstream mounts("/proc/self/mounts");
  std::vector<std::string> points;
  std::string device, point, rest;
  while (mounts >> device >> point && std::getline(mounts, rest)) {
    if (point.starts_with(dir + "/")) points.push_back(point);
  }
  for (auto it = points.rbegin(); it != points.rend(); ++it)
    umount2(it->c_str(), MNT_DETACH);
}

// Every process whose command line names `dir` (containerd, its shims, docker-proxy, the
// containers' own processes): what our dockerd left behind if it died before its children.
std::vector<pid_t> processes_naming(const std::string& dir) {
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    pid_t pid = static_cast<pid_t>(std::stol(name));
    if (pid == getpid()) continue;
    std::string cmdline = slurp(entry.path() / "cmdline");
    if (cmdline.find(dir) != std::string::npos) found.push_back(pid);
  }
  return found;
}

void write_unavailable(const fs::path& state, const std::string& why) {
  write(state / "unavailable", why);
  // Loud in ctest's log too: the container tests will each say SKIPPED with this reason.
  std::printf("WARNING: the container tests will be SKIPPED: %s\n", why.c_str());
}

int start(const fs::path& state) {
  fs::create_directories(state);
  for (const char* f : {"host", "unavailable", "dir", "pid"})
    fs::remove(state / f);

  std::vector<std::string> candidates;
  if (const char* h = std::getenv("DOCKER_HOST"); h && *h) candidates.push_back(h);
  candidates.push_back("unix:///var/run/docker.sock");
  for (const auto& host : candidates) {
    if (host.starts_with("unix://") && !fs::exists(host.substr(7))) continue;
    if (!answers(host)) continue;
    std::string error;
    if (!import_image(host, error)) {
      write_unavailable(state, fmt::format("the daemon at {} answers but {}", host, error));
      return 0;
    }
    write(state / "host", host);
    std::printf("container tests use the running daemon at %s\n", host.c_str());
    return 0;
  }

  if (geteuid() != 0) {
    write_unavailable(state,
                      "no daemon answers (DOCKER_HOST, /var/run/docker.sock) and a private dockerd "
                      "needs root; run the tests as root, or with a DOCKER_HOST this user may use");
    return 0;
  }
  std::string dockerd;
  for (const char* path : {"/usr/sbin/dockerd", "/usr/bin/dockerd"}) {
    if (dockerd.empty() && access(path, X_OK) == 0) dockerd = path;
  }
  if (dockerd.empty()) {
    write_unavailable(state,
                      "no daemon answers and dockerd is not installed (apt-get install docker.io "
                      "docker-compose; scripts/install-deps.sh does)");
    return 0;
  }
  char dir_template[] = "/tmp/e2e3d-dockerd-XXXXXX";
  if (!mkdtemp(dir_template)) {
    write_unavailable(state, fmt::format("mkdtemp: {}", std::strerror(errno)));
    return 0;
  }
  std::string dir = dir_template;
  std::string socket = dir + "/docker.sock";
  std::string host = "unix://" + socket;
  // Address pools unlikely to meet another daemon's on this machine.
  std::random_device seed;
  int second = 100 + static_cast<int>(seed() % 100);
  std::vector<std::string> argv = {dockerd,
                                   "--data-root",
                                   dir + "/data",
                                   "--exec-root",
                                   dir + "/exec",
                                   "--pidfile",
                                   dir + "/dockerd.pid",
                                   "--host",
                                   host,
                                   "--storage-driver=vfs",
                                   "--iptables=false",
                                   "--ip-masq=false",
                                   "--bridge=none",
                                   "--default-address-pool",
                                   fmt::format("base=10.{}.0.0/16,size=24", second)};
  pid_t child = fork();
  if (child == 0) {
    setsid();
    int log = open((dir + "/dockerd.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(log, 1);
    dup2(log, 2);
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  write(state / "dir", dir);
  write(state / "pid", std::to_string(child));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(child, &status, WNOHANG) == child) {
      write_unavailable(state,
                        fmt::format("dockerd exited at start (not root? no cgroups?); its log:\n{}",
                                    slurp(dir + "/dockerd.log")));
      return 0;
    }
    if (fs::exists(socket) && answers(host)) {
      std::string error;
      if (!import_image(host, error)) {
        write_unavailable(state, error);
        return 0;
      }
      write(state / "host", host);
      std::printf("container tests started dockerd PID %d at %s\n", child, host.c_str());
      return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  write_unavailable(state, fmt::format("dockerd did not answer within 60 s; its log:\n{}",
                                       slurp(dir + "/dockerd.log")));
  return 0;
}

int stop(const fs::path& state) {
  std::string pid_text = slurp(state / "pid");
  std::string dir = slurp(state / "dir");
  if (pid_text.empty() || dir.empty()) return 0;  // a daemon we did not start: left alone
  pid_t pid = static_cast<pid_t>(std::stol(pid_text));
  // Only the dockerd we started: its command line names our directory.
  std::string cmdline = slurp(fmt::format("/proc/{}/cmdline", pid));
  if (alive(pid) && cmdline.find(dir) != std::string::npos) {
    // Containers a crashed test left running: removed first, or their shims outlive dockerd.
    std::string host = "unix://" + dir + "/docker.sock";
    auto ids = run({kDocker, "-H", host, "ps", "-aq"}, {}, "", std::chrono::seconds(20));
    std::vector<std::string> rm = {kDocker, "-H", host, "rm", "-f", "-v"};
    std::istringstream lines(ids.out);
    for (std::string id; std::getline(lines, id);)
      if (!id.empty()) rm.push_back(id);
    if (rm.size() > 6) run(rm, {}, "", std::chrono::seconds(30));
    kill(pid, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (alive(pid) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (alive(pid)) kill(pid, SIGKILL);
    waitpid(pid, nullptr, WNOHANG);
  }
  // Whatever still names our directory (containerd or a shim, when dockerd was killed) goes too.
  for (int round = 0; round < 20; ++round) {
    auto left = processes_naming(dir);
    if (left.empty()) break;
    for (pid_t p : left)
      kill(p, round < 10 ? SIGTERM : SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  unmount_below(dir);
  std::error_code ec;
  fs::remove_all(dir, ec);
  for (const char* f : {"host", "unavailable", "dir", "pid"})
    fs::remove(state / f, ec);
  std::printf("container tests stopped dockerd PID %d\n", pid);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s start|stop STATE_DIR\n", argv[0]);
    return 64;
  }
  std::string command = argv[1];
  if (command == "start") return start(argv[2]);
  if (command == "stop") return stop(argv[2]);
  std::fprintf(stderr, "unknown command %s\n", argv[1]);
  return 64;
}
