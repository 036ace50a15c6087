// `e2e3d-metrics demo` as a user runs it: the real binary, stopped by a signal.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <thread>

#include "e2e3d/exposition_parser.hpp"
#include "raw_http.hpp"
#include "support/child_process.hpp"

using namespace std::chrono_literals;
using e2e3d::test::ChildProcess;

namespace {

// Waits for the "serving URL" line on stderr and returns the port in it.
uint16_t wait_for_port(ChildProcess& demo) {
  static const std::regex serving(
      R"(serving http://127\.0\.0\.1:(\d+)/metrics \(Ctrl-C to stop\)\n)");
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string err = demo.stderr_text();
    std::smatch match;
    if (std::regex_search(err, match, serving)) return static_cast<uint16_t>(std::stoi(match[1]));
    if (!demo.running()) break;
    std::this_thread::sleep_for(20ms);
  }
  FAIL("the demo did not report its URL; stderr: " << demo.stderr_text());
  return 0;
}

std::vector<std::string> demo_command(std::vector<std::string> args) {
  args.insert(args.begin(), {E2E3D_METRICS_BIN, "demo"});
  return args;
}

}  // namespace

TEST_CASE("demo serves until SIGTERM or SIGINT, then exits 0", "[demo][command]") {
  for (int signal_number : {SIGTERM, SIGINT}) {
    INFO("signal " << signal_number);
    ChildProcess demo(demo_command({"--port", "0", "--seed", "8", "--rate", "120"}));
    uint16_t port = wait_for_port(demo);
    auto reply = e2e3d::test::http_request(port, "GET", "/metrics");
    REQUIRE(reply.status == 200);
    auto scrape = e2e3d::parse_exposition(reply.body);
    CHECK(scrape.single_value("reconstruction_total").value_or(0) >= 40);
    auto started = std::chrono::steady_clock::now();
    auto status = demo.stop(signal_number, 5s);
    REQUIRE(status);
    CHECK(WIFEXITED(*status));
    CHECK(WEXITSTATUS(*status) == 0);
    CHECK(std::chrono::steady_clock::now() - started < 2s);
  }
}

TEST_CASE("demo --names documented serves the document's names", "[demo][command]") {
  ChildProcess demo(demo_command({"--port", "0", "--names", "documented"}));
  uint16_t port = wait_for_port(demo);
  auto reply = e2e3d::test::http_request(port, "GET", "/metrics");
  REQUIRE(reply.status == 200);
  auto scrape = e2e3d::parse_exposition(reply.body);
  CHECK(scrape.single_value("reconstruction_success"));
  CHECK_FALSE(scrape.single_value("reconstruction_success_total"));
}

TEST_CASE("demo on a port in use exits 3 with one clear line", "[demo][command]") {
  int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(holder, 1) == 0);
  socklen_t length = sizeof address;
  getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length);
  std::string port = std::to_string(ntohs(address.sin_port));

  auto result = e2e3d::test::run_tool({"demo", "--port", port}, {}, "", 10s);
  ::close(holder);
  CHECK(result.exit_code == 3);
  CHECK(result.out.empty());
  INFO(result.err);
  CHECK(result.err.find("127.0.0.1:" + port) != std::string::npos);
  CHECK(result.err.find("Address already in use") != std::string::npos);
  CHECK(std::count(result.err.begin(), result.err.end(), '\n') == 1);
}

TEST_CASE("demo refuses impossible options as usage errors", "[demo][command]") {
  for (auto args : std::vector<std::vector<std::string>>{{"--failure-ratio", "1.5"},
                                                         {"--rate", "-1"},
                                                         {"--names", "prometheus"},
                                                         {"--port", "70000"}}) {
    args.insert(args.begin(), "demo");
    auto result = e2e3d::test::run_tool(args, {}, "", 10s);
    INFO(args[1] << " " << args[2] << ": " << result.err);
    CHECK(result.exit_code == 64);
  }
}

namespace {

// User plus system CPU time of a process, in clock ticks.
long cpu_ticks(pid_t pid) {
  std::string stat = e2e3d::test::read_file("/proc/" + std::to_string(pid) + "/stat");
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stol(field);
  }
  return ticks;
}

}  // namespace

TEST_CASE("out of file descriptors, demo waits instead of spinning, then recovers",
          "[demo][command]") {
  // 16 descriptors: a handful of connections exhaust them, and accept() fails with EMFILE
  // while the listener stays readable.
  ChildProcess demo(
      {"/usr/bin/prlimit", "--nofile=16", "--", E2E3D_METRICS_BIN, "demo", "--port", "0"});
  uint16_t port = wait_for_port(demo);
  std::vector<int> idle;
  for (int i = 0; i < 30; ++i)
    idle.push_back(e2e3d::test::connect_to("127.0.0.1", port));
  std::this_thread::sleep_for(100ms);
  long before = cpu_ticks(demo.pid());
  std::this_thread::sleep_for(1s);
  long used = cpu_ticks(demo.pid()) - before;
  CHECK(used < 20);  // a spinning loop would use the whole second: 100 ticks
  for (int fd : idle)
    ::close(fd);
  auto start = std::chrono::steady_clock::now();
  auto reply = e2e3d::test::http_request(port, "GET", "/metrics");
  CHECK(reply.status == 200);
  CHECK(std::chrono::steady_clock::now() - start < 3s);
  auto status = demo.stop(SIGTERM, 5s);
  REQUIRE(status);
  CHECK(WEXITSTATUS(*status) == 0);
}
