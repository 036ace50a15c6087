#pragma once
// Real processes for tests: helper servers (Python exporter, misbehaving HTTP servers,
// Prometheus) and the e2e3d-metrics binary itself. No shell is involved anywhere.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace e2e3d::test {

// A background process that is killed (SIGTERM, then SIGKILL) and reaped when destroyed.
class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH) with stdout captured through a pipe and stderr
  // appended to a temporary log. `env` entries ("K=V") are added to the inherited environment.
  explicit ChildProcess(std::vector<std::string> argv, std::vector<std::string> env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Reads one line of the child's stdout, or nullopt on EOF/timeout. Helper servers print
  // their ephemeral port as the first line once they are ready.
  std::optional<std::string> read_line(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Sends a signal; waits for exit. Returns the exit status as from waitpid, or nullopt on timeout.
  std::optional<int> stop(int signal_number,
                          std::chrono::milliseconds timeout = std::chrono::seconds(5));
  bool running();
  std::string stderr_text() const;

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  std::string stderr_path_;
  bool reaped_ = false;
};

// Starts a helper server from tests/support (a Python script run with /usr/bin/python3, which
// has prometheus_client) and waits for the port it prints on its first line.
struct HelperServer {
  std::unique_ptr<ChildProcess> process;
  int port = 0;
  std::string url(const std::string& path = "/metrics") const;
};
HelperServer start_python_helper(const std::string& script, std::vector<std::string> args = {},
                                 std::vector<std::string> env = {});

struct RunResult {
  int exit_code = -1;  // -1: killed by the timeout or a signal
  std::string out;
  std::string err;
  double seconds = 0;
};

// Runs a program to completion with stdin from `input` and both outputs captured.
RunResult run(std::vector<std::string> argv, std::vector<std::string> env = {},
              const std::string& input = "",
              std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Runs the e2e3d-metrics binary under test with `args`.
RunResult run_tool(std::vector<std::string> args, std::vector<std::string> env = {},
                   const std::string& input = "",
                   std::chrono::milliseconds timeout = std::chrono::seconds(60));

std::string fixture_path(const std::string& name);
std::string read_file(const std::string& path);
// An unused loopback TCP port (bound then released) for servers that cannot bind port 0.
int free_port();

}  // namespace e2e3d::test
