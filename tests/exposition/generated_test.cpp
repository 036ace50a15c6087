// The benchmark's generated scrape (bench/gen_scrape.py, run with the real interpreter) parses in
// both formats into the same samples, and a long undecided start falls back to the text format.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <catch2/catch.hpp>

#include "e2e3d/exposition_lint.hpp"
#include "e2e3d/exposition_parser.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;

namespace {

std::string generate(const std::string& format, const std::string& path) {
  const auto result =
      test::run({"/usr/bin/python3", std::string(E2E3D_SOURCE_DIR) + "/bench/gen_scrape.py",
                 "--jobs", "2000", "--format", format, "--output", path});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return test::read_file(path);
}

}  // namespace

TEST_CASE("The generated E2E3D scrape parses alike as text and as OpenMetrics",
          "[exposition][generated]") {
  char dir_template[] = "/tmp/e2e3d-gen-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template;
  const std::string text_input = generate("text", dir + "/scrape.txt");
  const std::string om_input = generate("openmetrics", dir + "/scrape.om.txt");
  std::filesystem::remove_all(dir);

  const Scrape text = parse_exposition(text_input);
  const Scrape om = parse_exposition(om_input);
  CHECK(text.format() == ExpositionFormat::prometheus_text);
  CHECK(om.format() == ExpositionFormat::openmetrics);
  CHECK(text.families().size() == 19);
  CHECK(om.families().size() == 15);
  CHECK(text.series_count() == 4023);
  CHECK(om.series_count() == 4023);
  CHECK(om.families()[*om.find_family("e2e3d_job_duration_seconds")].series_count == 4000);
  CHECK(text.series_named("e2e3d_job_duration_seconds_total").size() == 2000);
  CHECK(text.single_value("reconstruction_total") == 2000);
  CHECK(*text.single_value("reconstruction_success_total") +
            *text.single_value("reconstruction_failure_total") ==
        2000);
  for (Symbol name : text.sample_names()) {
    const auto a = text.series_named(text.str(name));
    const auto b = om.series_named(text.str(name));
    INFO(text.str(name));
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(text.series(a[i]).value == om.series(b[i]).value);
      CHECK(text.label(text.series(a[i]), "job_id") == om.label(om.series(b[i]), "job_id"));
    }
  }
  // A label set that repeats one just before it, or at the same place in the previous name's
  // block, is stored once.
  const auto totals = text.series_named("e2e3d_job_duration_seconds_total");
  const auto created = text.series_named("e2e3d_job_duration_seconds_created");
  CHECK(text.labels(text.series(totals[7])).data() == text.labels(text.series(created[7])).data());
  const auto om_totals = om.series_named("e2e3d_job_duration_seconds_total");
  const auto om_created = om.series_named("e2e3d_job_duration_seconds_created");
  CHECK(om.labels(om.series(om_totals[7])).data() == om.labels(om.series(om_created[7])).data());
  CHECK(om.labels(om.series(om_totals[7])).data() != om.labels(om.series(om_totals[8])).data());
  CHECK(lint(text).empty());
  CHECK(lint(om).empty());
}

TEST_CASE("Past 1 MiB without a sign of the format, the input is read as text",
          "[exposition][detection]") {
  // Gauges read the same in both formats; nothing decides until the limit.
  std::string input;
  for (int i = 0; input.size() < (std::size_t{1} << 20) + 1000; ++i) {
    input += "# HELP g" + std::to_string(i) + " A gauge.\n# TYPE g" + std::to_string(i) +
             " gauge\ng" + std::to_string(i) + " 1\n";
  }
  const std::size_t families = std::count(input.begin(), input.end(), '\n') / 3;
  input += "# EOF\n";  // a comment in the text format
  const Scrape scrape = parse_exposition(input);
  CHECK(scrape.format() == ExpositionFormat::prometheus_text);
  CHECK(scrape.families().size() == families);
  CHECK(scrape.series_count() == families);
  // Given the format, the same input is OpenMetrics.
  CHECK(parse_exposition(input, ExpositionFormat::openmetrics).format() ==
        ExpositionFormat::openmetrics);
}
