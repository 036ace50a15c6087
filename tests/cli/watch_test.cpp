// `show --watch`, `query --watch`, `--record` and `--replay`, driven as a user drives them,
// against the real Python client counting jobs on every scrape.
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/child_process.hpp"

using namespace e2e3d::test;
using nlohmann::json;

namespace {

std::vector<json> json_lines(const std::string& text) {
  std::vector<json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("e2e3d-watch-" + std::to_string(getpid()) + "-" + name))
      .string();
}

}  // namespace

TEST_CASE("show --watch prints one frame per scrape with rates over the window") {
  auto exporter = start_python_helper("counting_exporter.py");
  auto r = run_tool({"show", "--url", exporter.url(), "--watch", "0.3", "--count", "4", "--window",
                     "10s", "-o", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto frames = json_lines(r.out);
  REQUIRE(frames.size() == 4);
  // One scrape has no rate yet: unknown, never 0.
  CHECK(frames[0]["figures"]["jobs_per_minute"].is_null());
  CHECK(frames[0]["figures"]["active_jobs"] == 6);
  const json& last = frames[3];
  CHECK(last["scrapes"] == 4);
  CHECK(last["window_seconds"] == 10);
  CHECK(last["figures"]["jobs_per_minute"].get<double>() > 0);
  // One job in six fails; both counters are sampled together, so the ratio is exact.
  CHECK(last["figures"]["failure_ratio_percent"].get<double>() == Approx(100.0 / 6));
  CHECK(last["figures"]["restarts"] == 0);
  CHECK(last["figures"]["counter_resets"] == 0);
  CHECK(last["scrape_error"].is_null());
}

TEST_CASE("show --watch sees a restart: a counter reset and a new process start time") {
  int port = free_port();
  auto first = start_python_helper("counting_exporter.py", {"--port", std::to_string(port)});
  ChildProcess watch({E2E3D_METRICS_BIN, "show", "--url", first.url(), "--watch", "0.3", "--count",
                      "9", "--window", "1m", "-o", "json"});
  for (int i = 0; i < 3; ++i)
    REQUIRE(watch.read_line());
  first.process->stop(SIGTERM);
  // While it is down, the frames say why and keep going.
  auto down = watch.read_line();
  REQUIRE(down);
  CHECK(json::parse(*down)["scrape_error"].get<std::string>().find("connection refused") !=
        std::string::npos);
  auto second = start_python_helper("counting_exporter.py", {"--port", std::to_string(port)});
  std::optional<std::string> line;
  json last;
  while ((line = watch.read_line())) {
    last = json::parse(*line);
  }
  REQUIRE(last.is_object());
  CHECK(last["scrape_error"].is_null());
  CHECK(last["figures"]["restarts"] == 1);
  CHECK(last["figures"]["counter_resets"] == 1);
  // rate() adds the counter's value before the reset, as Prometheus does: jobs keep counting.
  CHECK(last["figures"]["jobs_per_minute"].get<double>() > 0);
  CHECK(watch.stop(SIGTERM).has_value());
}

TEST_CASE("show --watch draws sparklines, one block per scrape when not on a terminal") {
  auto exporter = start_python_helper("counting_exporter.py");
  auto r = run_tool({"show", "--url", exporter.url(), "--watch", "0.2", "--count", "3"});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\033[") == std::string::npos);  // no redraw codes into a pipe
  CHECK(r.out.find("rates and trends need a second scrape") != std::string::npos);
  CHECK(r.out.find("3 scrapes") != std::string::npos);
  CHECK(r.out.find("jobs / minute") != std::string::npos);
  CHECK(r.out.find("▁") != std::string::npos);
}

TEST_CASE("query --watch evaluates range functions after every scrape; --record keeps them") {
  auto exporter = start_python_helper("counting_exporter.py");
  std::string recording = temp_path("query.om");
  auto r = run_tool({"query", "--url", exporter.url(), "--watch", "0.3", "--count", "3", "--record",
                     recording, "-o", "json", "increase(reconstruction_total[1m])"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto answers = json_lines(r.out);
  REQUIRE(answers.size() == 3);
  CHECK(answers[0]["data"]["result"].empty());  // one sample: no increase yet
  REQUIRE(answers[2]["data"]["result"].size() == 1);
  std::string watched = answers[2]["data"]["result"][0]["value"][1];
  double at = answers[2]["data"]["result"][0]["value"][0];

  // The recording answers the same question the same way, and holds every scrape.
  auto replay = run_tool({"query", "--replay", recording, "--time", fmt::format("{:.3f}", at), "-o",
                          "json", "increase(reconstruction_total[1m])"});
  INFO(replay.err);
  REQUIRE(replay.exit_code == 0);
  CHECK(json::parse(replay.out)["data"]["result"][0]["value"][1] == watched);
  auto count =
      run_tool({"query", "--replay", recording, "count_over_time(reconstruction_total[1m])"});
  CHECK(count.out == "{} => 3\n");
  auto shown = run_tool({"show", "--replay", recording, "-o", "json"});
  REQUIRE(shown.exit_code == 0);
  CHECK(json::parse(shown.out)["jobs"]["total"] == 18);
  std::filesystem::remove(recording);
}

TEST_CASE("SIGINT ends a watch cleanly and the recording is written") {
  auto exporter = start_python_helper("counting_exporter.py");
  std::string recording = temp_path("sigint.om");
  ChildProcess watch({E2E3D_METRICS_BIN, "show", "--url", exporter.url(), "--watch", "0.2",
                      "--record", recording, "-o", "json"});
  REQUIRE(watch.read_line());
  REQUIRE(watch.read_line());
  auto status = watch.stop(SIGINT);
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  auto count = run_tool({"query", "--replay", recording, "count_over_time(e2e3d_active_jobs[1h])"});
  INFO(count.err);
  CHECK(count.exit_code == 0);
  CHECK(count.out.find("{} => ") == 0);
  std::filesystem::remove(recording);
}

TEST_CASE("watch and replay options refuse what cannot work, as usage errors") {
  auto bad_interval =
      run_tool({"show", "--file", fixture_path("e2e3d_python.txt"), "--watch", "5x"});
  CHECK(bad_interval.exit_code == 64);
  CHECK(bad_interval.err.find("'5x' is not a duration") != std::string::npos);
  auto count_alone = run_tool({"show", "--file", fixture_path("e2e3d_python.txt"), "--count", "2"});
  CHECK(count_alone.exit_code == 64);
  auto missing = run_tool({"query", "--replay", "/nonexistent.om", "up"});
  CHECK(missing.exit_code == 64);
  auto both =
      run_tool({"query", "--replay", fixture_path("e2e3d_python.txt"), "--watch", "1s", "up"});
  CHECK(both.exit_code == 64);
  // A plain scrape has no samples over time, and says how to get them.
  auto one = run_tool(
      {"query", "--file", fixture_path("e2e3d_python.txt"), "rate(reconstruction_total[5m])"});
  CHECK(one.exit_code == 3);
  CHECK(one.err.find("query --watch INTERVAL") != std::string::npos);
  // A recording without timestamps cannot be replayed: where and why.
  auto plain = run_tool({"query", "--replay", fixture_path("e2e3d_python.txt"), "up"});
  CHECK(plain.exit_code == 3);
  CHECK(plain.err.find("has no timestamp") != std::string::npos);
}

TEST_CASE("a recording without a sample cannot be replayed, by show or query") {
  std::string empty = temp_path("empty.om");
  { std::ofstream(empty) << "# TYPE up gauge\n# EOF\n"; }
  for (auto command : {"show", "query"}) {
    std::vector<std::string> args{command, "--replay", empty};
    if (std::string(command) == "query") args.push_back("up");
    auto r = run_tool(args);
    INFO(command << ": " << r.err);
    CHECK(r.exit_code == 3);
    CHECK(r.err.find(empty + ": the recording holds no samples") != std::string::npos);
  }
  std::filesystem::remove(empty);
}

TEST_CASE("a --record path is checked before the first scrape: a bad path ends the watch at once") {
  std::string file = fixture_path("e2e3d_python.txt");
  auto once = run_tool({"show", "--file", file, "-o", "json"});  // this machine's baseline
  auto missing = run_tool({"show", "--file", file, "--watch", "1s", "--count", "5", "--record",
                           "/nonexistent-dir/rec.om", "-o", "json"});
  INFO(missing.err);
  CHECK(missing.exit_code == 3);
  CHECK(missing.out.empty());  // not one round ran
  CHECK(missing.err.find("the directory /nonexistent-dir does not exist") != std::string::npos);
  // Five rounds a second apart would take at least 4 s more than one scrape.
  CHECK(missing.seconds < once.seconds + 2);

  std::string existing = temp_path("existing.om");
  { std::ofstream(existing) << "keep me\n"; }
  auto refused = run_tool({"query", "--file", file, "--watch", "0.1", "--count", "1", "--record",
                           existing, "reconstruction_total"});
  CHECK(refused.exit_code == 3);
  CHECK(refused.err.find("exists already; pass --force") != std::string::npos);
  auto forced = run_tool({"query", "--file", file, "--watch", "0.1", "--count", "1", "--record",
                          existing, "--force", "reconstruction_total"});
  INFO(forced.err);
  CHECK(forced.exit_code == 0);
  auto replayed = run_tool({"query", "--replay", existing, "count(reconstruction_total)"});
  CHECK(replayed.exit_code == 0);
  std::filesystem::remove(existing);
  auto force_alone = run_tool({"query", "--file", file, "--force", "reconstruction_total"});
  CHECK(force_alone.exit_code == 64);
}

TEST_CASE("SIGINT during a slow scrape ends it at once, and the window so far is written") {
  auto exporter = start_python_helper("counting_exporter.py", {"--hang-after", "2"});
  std::string recording = temp_path("sigint-slow.om");
  ChildProcess watch({E2E3D_METRICS_BIN, "query", "--url", exporter.url(), "--watch", "0.2",
                      "--timeout", "30", "--record", recording, "-o", "json",
                      "reconstruction_total"});
  REQUIRE(watch.read_line());
  REQUIRE(watch.read_line());
  // The third scrape hangs: the server holds it for an hour, the timeout is 30 s.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  auto start = std::chrono::steady_clock::now();
  auto status = watch.stop(SIGINT);
  auto waited = std::chrono::steady_clock::now() - start;
  REQUIRE(status);
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  // Waiting for the transfer's 30 s timeout is what this rules out; a slow machine needs more
  // than the few tens of milliseconds it takes here, so the bound is a third of that.
  CHECK(waited < std::chrono::seconds(10));
  auto count =
      run_tool({"query", "--replay", recording, "count_over_time(reconstruction_total[1h])"});
  INFO(count.err);
  CHECK(count.exit_code == 0);
  CHECK(count.out == "{} => 2\n");
  std::filesystem::remove(recording);
}
