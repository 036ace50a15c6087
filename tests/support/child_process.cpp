#include "support/child_process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

extern char** environ;

namespace e2e3d::test {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// The inherited environment plus `extra`; an extra "K=V" replaces an inherited K.
std::vector<std::string> merged_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    std::string key = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& x : extra)
      replaced |= x.substr(0, x.find('=')) == key;
    if (!replaced) env.push_back(entry);
  }
  // Among the extras, a later "K=V" wins over an earlier one.
  for (size_t i = 0; i < extra.size(); ++i) {
    std::string key = extra[i].substr(0, extra[i].find('='));
    bool overridden = false;
    for (size_t j = i + 1; j < extra.size(); ++j) {
      overridden |= extra[j].substr(0, extra[j].find('=')) == key;
    }
    if (!overridden) env.push_back(extra[i]);
  }
  return env;
}

std::string make_temp_path(const char* stem) {
  std::string pattern = fmt::format("/tmp/{}-XXXXXX", stem);
  int fd = mkstemp(pattern.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  return pattern;
}

// Waits for the pid without blocking forever; returns the status or nullopt on timeout.
std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return 0;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace

ChildProcess::ChildProcess(std::vector<std::string> argv, std::vector<std::string> env) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  stderr_path_ = make_temp_path("e2e3d-child-stderr");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path_.c_str(),
                                   O_WRONLY | O_APPEND, 0);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // Its own process group, so stop() also reaches anything the helper started.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);

  auto env_strings = merged_environment(env);
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env_strings);
  int rc = posix_spawnp(&pid_, c_argv[0], &actions, &attr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    throw std::runtime_error(fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
  }
  stdout_fd_ = pipe_fds[0];
}

ChildProcess::~ChildProcess() {
  if (!reaped_ && pid_ > 0) {
    stop(SIGTERM, std::chrono::seconds(3));
    if (!reaped_) stop(SIGKILL, std::chrono::seconds(3));
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  if (!stderr_path_.empty()) unlink(stderr_path_.c_str());
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    auto nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd pfd{stdout_fd_, POLLIN, 0};
    int r = poll(&pfd, 1, static_cast<int>(left.count()));
    if (r <= 0) continue;
    char buf[4096];
    ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) return std::nullopt;
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

std::optional<int> ChildProcess::stop(int signal_number, std::chrono::milliseconds timeout) {
  if (reaped_) return 0;
  kill(-pid_, signal_number);
  kill(pid_, signal_number);
  auto status = wait_for(pid_, timeout);
  if (status) reaped_ = true;
  return status;
}

bool ChildProcess::running() {
  if (reaped_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    reaped_ = true;
    return false;
  }
  return true;
}

std::string ChildProcess::stderr_text() const {
  return read_file(stderr_path_);
}

std::string HelperServer::url(const std::string& path) const {
  return fmt::format("http://127.0.0.1:{}{}", port, path);
}

HelperServer start_python_helper(const std::string& script, std::vector<std::string> args,
                                 std::vector<std::string> env) {
  std::vector<std::string> argv{"/usr/bin/python3", "-u",
                                fmt::format("{}/{}", E2E3D_SUPPORT_DIR, script)};
  argv.insert(argv.end(), args.begin(), args.end());
  HelperServer server;
  server.process = std::make_unique<ChildProcess>(argv, env);
  auto line = server.process->read_line(std::chrono::seconds(20));
  if (!line) {
    throw std::runtime_error(fmt::format("helper {} did not report a port; stderr: {}", script,
                                         server.process->stderr_text()));
  }
  server.port = std::stoi(*line);
  return server;
}

RunResult run(std::vector<std::string> argv, std::vector<std::string> env, const std::string& input,
              std::chrono::milliseconds timeout) {
  std::string in_path = make_temp_path("e2e3d-run-in");
  std::string out_path = make_temp_path("e2e3d-run-out");
  std::string err_path = make_temp_path("e2e3d-run-err");
  { std::ofstream(in_path, std::ios::binary) << input; }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_TRUNC,
                                   0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_TRUNC,
                                   0);
  auto env_strings = merged_environment(env);
  auto c_argv = c_strings(argv);
  auto c_env = c_strings(env_strings);
  auto start = Clock::now();
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, c_argv[0], &actions, nullptr, c_argv.data(), c_env.data());
  posix_spawn_file_actions_destroy(&actions);
  RunResult result;
  if (rc != 0)
    throw std::runtime_error(fmt::format("cannot start {}: {}", argv[0], std::strerror(rc)));
  auto status = wait_for(pid, timeout);
  if (!status) {
    kill(pid, SIGKILL);
    status = wait_for(pid, std::chrono::seconds(5));
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (status && WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
  result.out = read_file(out_path);
  result.err = read_file(err_path);
  unlink(in_path.c_str());
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return result;
}

RunResult run_tool(std::vector<std::string> args, std::vector<std::string> env,
                   const std::string& input, std::chrono::milliseconds timeout) {
  args.insert(args.begin(), E2E3D_METRICS_BIN);
  // Tests must not depend on the developer's terminal or configuration.
  env.insert(env.begin(), {"NO_COLOR=1", "E2E3D_METRICS_URL=", "XDG_CONFIG_HOME=/nonexistent"});
  return run(std::move(args), std::move(env), input, timeout);
}

std::string fixture_path(const std::string& name) {
  return fmt::format("{}/{}", E2E3D_FIXTURES_DIR, name);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace e2e3d::test
