// The configuration corpus against the real `promtool check config` of Prometheus 2.42: every
// file is loaded or refused exactly as promtool loads or refuses it, with promtool's message
// byte for byte wherever the refusal comes from Go's own words (a YAML syntax error is found by
// yaml-cpp here, with yaml-cpp's words, and a rule file's error by our rule reader).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <future>

#include <fmt/format.h>

#include "e2e3d/prometheus_config.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;

namespace {

std::vector<std::string> corpus_files() {
  std::vector<std::string> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(test::fixture_path("prometheus/corpus"))) {
    if (entry.path().extension() == ".yml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> lines_starting(const std::string& text, std::string_view prefix) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    std::string line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (line.starts_with(prefix)) out.push_back(line.substr(prefix.size()));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// Every file of the corpus, in three parts so that each test stays short: promtool is a Go
// binary of 48 MB that takes a quarter of a second to start, so the runs of a part overlap.
void check_corpus_part(std::size_t part, std::size_t parts) {
  std::vector<std::string> files;
  auto all = corpus_files();
  REQUIRE(all.size() >= 30);
  for (std::size_t i = part; i < all.size(); i += parts)
    files.push_back(all[i]);
  std::vector<std::future<test::RunResult>> runs;
  for (const auto& file : files) {
    runs.push_back(std::async(std::launch::async, [file] {
      return test::run({"/usr/bin/promtool", "check", "config", file});
    }));
  }
  int agree = 0, refused = 0, exact = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& file = files[i];
    auto promtool = runs[i].get();
    auto ours = promconfig::check_config_file(file);
    INFO(file << "\npromtool (exit " << promtool.exit_code << "):\n"
              << promtool.out << promtool.err
              << "\nours: " << (ours.refusal ? ours.refusal->promtool : std::string("loads")));
    REQUIRE((promtool.exit_code == 0 || promtool.exit_code == 1));
    CHECK(ours.refusal.has_value() == (promtool.exit_code == 1));
    if (ours.refusal.has_value() == (promtool.exit_code == 1)) ++agree;
    if (ours.refusal) {
      ++refused;
      if (ours.refusal->exact) {
        CHECK(promtool.err == "  FAILED: " + ours.refusal->promtool + "\n");
        exact += promtool.err == "  FAILED: " + ours.refusal->promtool + "\n";
      }
    } else {
      CHECK(lines_starting(promtool.out, "  WARNING: ") == ours.config.warnings);
    }
  }
  WARN(
      fmt::format("part {} of {}: {} of {} configurations judged as promtool judges them ({} "
                  "refused, {} of those with promtool's message byte for byte)",
                  part + 1, parts, agree, files.size(), refused, exact));
}

}  // namespace

TEST_CASE("promconfig: the corpus is judged as promtool check config judges it (part 1 of 3)",
          "[promconfig][promtool]") {
  check_corpus_part(0, 3);
}
TEST_CASE("promconfig: the corpus is judged as promtool check config judges it (part 2 of 3)",
          "[promconfig][promtool]") {
  check_corpus_part(1, 3);
}
TEST_CASE("promconfig: the corpus is judged as promtool check config judges it (part 3 of 3)",
          "[promconfig][promtool]") {
  check_corpus_part(2, 3);
}

TEST_CASE("promconfig: defaults as Prometheus applies them", "[promconfig]") {
  auto global_5s =
      promconfig::check_config_file(test::fixture_path("prometheus/corpus/ok_global_5s.yml"));
  REQUIRE_FALSE(global_5s.refusal);
  const auto* job = global_5s.job("e2e3d");
  REQUIRE(job);
  CHECK(job->scrape_interval_ms == 5000);
  CHECK(job->scrape_timeout_ms == 5000);  // the global 10s default, capped by the 5s interval

  auto capped = promconfig::check_config_file(
      test::fixture_path("prometheus/corpus/ok_timeout_capped_by_job.yml"));
  REQUIRE(capped.job("e2e3d"));
  CHECK(capped.job("e2e3d")->scrape_timeout_ms == 3000);

  auto merged =
      promconfig::check_config_file(test::fixture_path("prometheus/corpus/ok_merge_keys.yml"));
  REQUIRE(merged.job("e2e3d-copy"));
  CHECK(merged.job("e2e3d-copy")->scrape_timeout_ms == 5000);
  REQUIRE(merged.job("e2e3d-copy")->targets.size() == 1);
  CHECK(merged.job("e2e3d-copy")->targets[0].address == "127.0.0.1:9101");

  auto sd = promconfig::check_config_file(test::fixture_path("prometheus/corpus/ok_file_sd.yml"));
  REQUIRE(sd.job("e2e3d"));
  REQUIRE(sd.job("e2e3d")->targets.size() == 1);
  CHECK(sd.job("e2e3d")->targets[0].address == "127.0.0.1:9101");
  CHECK(sd.job("e2e3d")->targets[0].labels.at("env") == "test");
}

TEST_CASE("promconfig: a refusal names its line", "[promconfig]") {
  auto url =
      promconfig::check_config_file(test::fixture_path("prometheus/corpus/bad_url_in_target.yml"));
  REQUIRE(url.refusal);
  CHECK(url.refusal->kind == "target");
  CHECK(url.refusal->value == "127.0.0.1:9101/metrics");
  CHECK(url.refusal->position.line == 6);
  auto typo =
      promconfig::check_config_file(test::fixture_path("prometheus/corpus/bad_field_typo.yml"));
  REQUIRE(typo.refusal);
  CHECK(typo.refusal->position.line == 4);
}

TEST_CASE("promconfig: Go's net.SplitHostPort", "[promconfig]") {
  CHECK(promconfig::split_host_port("a:1").host == "a");
  CHECK(promconfig::split_host_port("[::1]:9101").host == "::1");
  CHECK(promconfig::split_host_port("[::1]:9101").port == "9101");
  CHECK(promconfig::split_host_port("::1:9101").error ==
        "address ::1:9101: too many colons in address");
  CHECK(promconfig::split_host_port("a").error == "address a: missing port in address");
}
