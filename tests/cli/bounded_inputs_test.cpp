// Every file the tool reads, as a user names it on the command line, bounded and refused when
// it is not a file: /dev/zero, a FIFO, a directory, something far too large. Each gives one
// clear line and the contract's exit code in bounded time, never a wrong verdict.

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "support/child_process.hpp"
#include "support/temp_file.hpp"

using namespace e2e3d::test;

namespace {

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

bool has(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// A FIFO nobody writes to: reading it as a file would wait forever.
struct Fifo {
  std::string path;
  Fifo() {
    path = std::filesystem::temp_directory_path() / fmt::format("e2e3d-cli-fifo-{}", getpid());
    unlink(path.c_str());
    REQUIRE(mkfifo(path.c_str(), 0600) == 0);
  }
  ~Fifo() { unlink(path.c_str()); }
};

}  // namespace

// A read that waited on the FIFO or went on reading /dev/zero would pass run_tool's 10 s and be
// killed: the exit code tells, with no clock of this machine in the test.
TEST_CASE("files that are not files are refused at once, by every option that reads one",
          "[cli][files]") {
  Fifo fifo;
  const std::string unused_url = "http://127.0.0.1:9/metrics";
  for (const std::string& bad : {std::string("/dev/zero"), fifo.path, std::string("/tmp")}) {
    struct Case {
      std::vector<std::string> args;
      int exit_code;
    };
    std::vector<Case> cases = {
        {{"alerts", "--file", fixture_path("e2e3d_python.txt"), "--rules", bad}, 3},
        {{"show", "--url", unused_url, "--bearer-token-file", bad}, 3},
        {{"show", "--url", unused_url, "--cacert", bad}, 3},
        {{"show", "--targets-file", bad}, 3},
        {{"--config", bad, "show", "--url", unused_url}, 64},
    };
    for (const auto& c : cases) {
      auto r = run_tool(c.args, {}, "", std::chrono::seconds(10));
      INFO(bad << ": " << fmt::format("{}", fmt::join(c.args, " ")) << "\n" << r.err);
      // CLI11 refuses a directory for an existing file itself (64): also a clear line.
      if (bad == "/tmp") {
        CHECK((r.exit_code == c.exit_code || r.exit_code == 64));
      } else {
        CHECK(r.exit_code == c.exit_code);
        CHECK(has(r.err, fmt::format("{}: it is a", bad)));
        CHECK(has(r.err, "not a regular file"));
      }
    }
  }
}

TEST_CASE(
    "doctor: an env_file, a rule file or a Prometheus configuration that is not a file "
    "fails its check with the reason, not a wrong verdict",
    "[cli][files][doctor]") {
  TempFile compose(
      "services:\n  reconstruction-service:\n    image: e2e3d\n    env_file: /dev/zero\n");
  auto r = run_tool({"doctor", "--url", "http://127.0.0.1:9/metrics", "--timeout", "2", "--check",
                     "env.enable_metrics", "--compose", compose.path()},
                    {}, "", std::chrono::seconds(10));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK(has(r.out, "cannot read the env_file /dev/zero: it is a character device"));
  CHECK_FALSE(has(r.out, "is not set"));

  r = run_tool({"doctor", "--url", "http://127.0.0.1:9/metrics", "--timeout", "2", "--check",
                "prometheus.config", "--prometheus-config", "/dev/zero"},
               {}, "", std::chrono::seconds(10));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  CHECK(has(r.out, "it is a character device, not a regular file"));
  CHECK_FALSE(has(r.out, "no scrape_configs"));

  r = run_tool({"doctor", "--file", fixture_path("e2e3d_python.txt"), "--check", "alerts.rules",
                "--rules", "/dev/zero"},
               {}, "", std::chrono::seconds(10));
  INFO(r.out << r.err);
  CHECK(r.exit_code >= 2);
  CHECK(has(r.out + r.err, "it is a character device, not a regular file"));
}

TEST_CASE("show, query, doctor: --file and standard input honour --max-bytes", "[cli][files]") {
  auto r = run_tool({"show", "--file", "/dev/zero", "--max-bytes", "1000000"}, {}, "",
                    std::chrono::seconds(10));
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(has(r.err,
            "cannot read the file /dev/zero: it holds more than the limit of 1000000 "
            "bytes; raise --max-bytes"));
  CHECK(lines(r.err) == 1);

  std::string scrape = read_file(fixture_path("e2e3d_python.txt"));
  r = run_tool({"show", "--file", "-", "--max-bytes", "1000"}, {}, scrape);
  INFO(r.err);
  CHECK(r.exit_code == 3);
  // Standard input may be a pipe (counted while read) or a file (measured first).
  CHECK(has(r.err, "cannot read standard input: it "));
  CHECK(has(r.err, "more than the limit of 1000 bytes; raise --max-bytes"));
  r = run_tool({"query", "--file", "-", "up"}, {}, scrape);
  CHECK(r.exit_code == 0);

  TempFile big(scrape);
  r = run_tool({"query", "--file", big.path(), "--max-bytes", "1024", "up"});
  CHECK(r.exit_code == 3);
  CHECK(has(r.err, fmt::format("it is {} bytes, more than the limit of 1 KiB", scrape.size())));
  r = run_tool(
      {"doctor", "--file", big.path(), "--max-bytes", "1024", "--check", "exposition.valid"});
  INFO(r.out);
  CHECK(r.exit_code == 2);
  CHECK(has(r.out, "more than the limit of 1 KiB"));
}

TEST_CASE("a bearer token file with a NUL or a control byte is refused, not cut short",
          "[cli][files]") {
  TempFile token(std::string("abc\0def", 7));
  auto r = run_tool(
      {"show", "--url", "http://127.0.0.1:9/metrics", "--bearer-token-file", token.path()});
  INFO(r.err);
  CHECK(r.exit_code == 3);
  CHECK(has(r.err, "holds a control character at byte 4 (0x00)"));
  CHECK_FALSE(has(r.err, "abc"));
  TempFile escape("tok\x1b[31men");
  r = run_tool(
      {"show", "--url", "http://127.0.0.1:9/metrics", "--bearer-token-file", escape.path()});
  CHECK(r.exit_code == 3);
  CHECK(has(r.err, "holds a control character at byte 4 (0x1b)"));
  TempFile huge(std::string(100000, 'a'));
  r = run_tool({"show", "--url", "http://127.0.0.1:9/metrics", "--bearer-token-file", huge.path()});
  CHECK(r.exit_code == 3);
  CHECK(has(r.err, "more than the limit of 16 KiB"));
}

TEST_CASE("a 100 KB header is refused by its size, not as 'out of memory'", "[cli][files]") {
  // One argument of the command line holds at most 128 KiB (MAX_ARG_STRLEN): 100 KB stands for
  // the 2 MB of the report, which only a configuration file could carry.
  std::string header = "X-Big: " + std::string(100'000, 'b');
  auto r = run_tool({"show", "--url", "http://127.0.0.1:9/metrics", "-H", header});
  INFO(r.err.substr(0, 300));
  CHECK(r.exit_code == 3);
  CHECK(has(r.err,
            "header #1 given with -H (X-Big) is 100007 bytes long; at most 16384 are "
            "sent"));
  CHECK_FALSE(has(r.err, "memory"));
  CHECK(r.err.size() < 300);
  r = run_tool({"query", "--prometheus", "http://127.0.0.1:9", "--user",
                "u:" + std::string(100000, 'p'), "up"});
  CHECK(r.exit_code == 3);
  CHECK(has(r.err, "the value of --user is 100002 bytes long"));
  CHECK(r.err.size() < 300);
}
