#include <unistd.h>

#include <catch2/catch.hpp>

#include "e2e3d/sys/processes.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;

TEST_CASE("split_nul keeps empty fields and drops one trailing NUL", "[sys]") {
  using namespace std::string_literals;
  CHECK(sys::split_nul("a\0b\0"s) == std::vector<std::string>{"a", "b"});
  CHECK(sys::split_nul("a\0\0b"s) == std::vector<std::string>{"a", "", "b"});
  CHECK(sys::split_nul("").empty());
}

TEST_CASE("parse_environ splits at the first '=' and the last value wins", "[sys]") {
  using namespace std::string_literals;
  auto env = sys::parse_environ("A=1\0URL=http://x/?a=b\0FLAG\0A=2\0"s);
  REQUIRE(env.size() == 4);
  CHECK(env[1].second == "http://x/?a=b");
  CHECK(env[2].first == "FLAG");
  CHECK(env[2].second.empty());
  CHECK(sys::environment_value(env, "A") == "2");
  CHECK_FALSE(sys::environment_value(env, "B"));
}

TEST_CASE("read_cmdline and read_environ read a real child process", "[sys]") {
  test::ChildProcess child({"/bin/sleep", "30"}, {"ENABLE_METRICS=TRUE"});
  // The exec may not have happened yet: wait until the command line is sleep's.
  std::optional<std::vector<std::string>> argv;
  for (int i = 0; i < 200; ++i) {
    argv = sys::read_cmdline(child.pid());
    if (argv && argv->size() == 2 && (*argv)[1] == "30") break;
    usleep(5000);
  }
  REQUIRE(argv);
  CHECK(*argv == std::vector<std::string>{"/bin/sleep", "30"});
  auto env = sys::read_environ(child.pid());
  REQUIRE(env);
  CHECK(sys::environment_value(*env, "ENABLE_METRICS") == "TRUE");
}

TEST_CASE("a process that does not exist has no command line or environment", "[sys]") {
  CHECK_FALSE(sys::read_cmdline(0x3ffffff0));
  CHECK_FALSE(sys::read_environ(0x3ffffff0));
}

TEST_CASE("list_pids includes this process / sorted", "[sys]") {
  auto pids = sys::list_pids();
  CHECK(std::find(pids.begin(), pids.end(), getpid()) != pids.end());
  CHECK(std::is_sorted(pids.begin(), pids.end()));
}

TEST_CASE("format_cmdline hides credentials and cuts long lines", "[sys]") {
  CHECK(sys::format_cmdline({"app", "--password", "hunter2", "--port", "9101"}) ==
        "app --password *** --port 9101");
  CHECK(sys::format_cmdline({"app", "--api-token=abc"}) == "app --api-token=***");
  CHECK(sys::format_cmdline({"curl", "http://user:pw@host:9101/metrics"}) ==
        "curl http://user:***@host:9101/metrics");
  auto long_line = sys::format_cmdline({std::string(300, 'x')}, 20);
  CHECK(long_line == std::string(20, 'x') + "…");
}
