// load_scrape: files, standard input and URLs, parsed as they are read.

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "e2e3d/exposition_parser.hpp"
#include "fetch/fetch_test_support.hpp"

using namespace e2e3d;
using namespace e2e3d::test;

namespace {

struct TempPath {
  std::string path;
  TempPath() {
    char pattern[] = "/tmp/e2e3d-load-test-XXXXXX";
    int fd = mkstemp(pattern);
    REQUIRE(fd >= 0);
    close(fd);
    path = pattern;
  }
  ~TempPath() { unlink(path.c_str()); }
};

// Points standard input at a file for the duration of a test.
struct StdinFrom {
  int saved = dup(STDIN_FILENO);
  explicit StdinFrom(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    dup2(fd, STDIN_FILENO);
    close(fd);
  }
  ~StdinFrom() {
    dup2(saved, STDIN_FILENO);
    close(saved);
  }
};

// The FetchError that loading `source` throws (a test failure when it throws none).
FetchError fetch_error_of(const ScrapeSource& source) {
  try {
    load_scrape(source);
  } catch (const FetchError& e) {
    return e;
  }
  FAIL("load_scrape threw no FetchError");
  throw std::logic_error("unreachable");
}

ScrapeSource file_source(const std::string& path) {
  ScrapeSource source;
  source.file = path;
  return source;
}

ScrapeSource url_source(const std::string& url) {
  ScrapeSource source;
  source.fetch = quick_options(url);
  return source;
}

}  // namespace

TEST_CASE("a capture file is read and parsed", "[load]") {
  std::string path = fixture_path("e2e3d_python.txt");
  FetchInfo info;
  Scrape scrape = load_scrape(file_source(path), &info);
  CHECK(scrape.single_value("reconstruction_success_total") == 7.0);
  CHECK(scrape.single_value("reconstruction_failure_total") == 3.0);
  CHECK(info.source == path);
  CHECK(info.bytes == std::filesystem::file_size(path));
  REQUIRE(info.format);
  CHECK(*info.format == ExpositionFormat::prometheus_text);
}

TEST_CASE("standard input is read with --file -", "[load]") {
  StdinFrom in(fixture_path("e2e3d_python.om.txt"));
  FetchInfo info;
  Scrape scrape = load_scrape(file_source("-"), &info);
  CHECK(scrape.single_value("reconstruction_total") == 10.0);
  CHECK(info.source == "-");
  REQUIRE(info.format);
  CHECK(*info.format == ExpositionFormat::openmetrics);
}

TEST_CASE("a file bigger than one read is parsed across read boundaries", "[load]") {
  TempPath file;
  std::size_t series = 60000;  // ~3.5 MB: several 1 MiB reads, lines cut at every boundary
  {
    std::ofstream out(file.path);
    out << "# TYPE e2e3d_job_duration_seconds_total counter\n";
    for (std::size_t i = 0; i < series; ++i) {
      out << "e2e3d_job_duration_seconds_total{job_id=\"job-" << i << "\",status=\"completed\"} "
          << i << ".5\n";
    }
  }
  REQUIRE(std::filesystem::file_size(file.path) > 3 * 1024 * 1024);
  Scrape scrape = load_scrape(file_source(file.path));
  CHECK(scrape.series_count() == series);
  auto named = scrape.series_named("e2e3d_job_duration_seconds_total");
  REQUIRE(named.size() == series);
  CHECK(scrape.series(named[series - 1]).value == static_cast<double>(series - 1) + 0.5);
}

TEST_CASE("a missing or unreadable file is a file error naming the path and the cause", "[load]") {
  SECTION("missing") {
    try {
      load_scrape(file_source("/nonexistent/metrics.txt"));
      FAIL("no error");
    } catch (const FetchError& e) {
      CHECK(e.failure() == FetchFailure::file);
      CHECK(std::string(e.what()) ==
            "cannot read the file /nonexistent/metrics.txt: No such file or directory. Check the "
            "path "
            "given with --file, or use --url to fetch from the service");
    }
  }
  SECTION("a directory") {
    try {
      load_scrape(file_source("/tmp"));
      FAIL("no error");
    } catch (const FetchError& e) {
      CHECK(e.failure() == FetchFailure::file);
      CHECK(std::string(e.what()).find(
                "cannot read the file /tmp: it is a directory, not a regular file") == 0);
    }
  }
}

TEST_CASE("a compressed or HTML file is named for what it is", "[load]") {
  TempPath file;
  SECTION("gzip") {
    auto made = run({"gzip", "-c", fixture_path("e2e3d_python.txt")});
    REQUIRE(made.exit_code == 0);
    std::ofstream(file.path, std::ios::binary) << made.out;
    try {
      load_scrape(file_source(file.path));
      FAIL("no error");
    } catch (const FetchError& e) {
      CHECK(e.failure() == FetchFailure::not_exposition);
      CHECK(std::string(e.what()).find("gzip-compressed data") != std::string::npos);
      CHECK(std::string(e.what()).find("zcat") != std::string::npos);
    }
  }
  SECTION("html") {
    std::ofstream(file.path) << "<html><body>login</body></html>\n";
    auto e = fetch_error_of(file_source(file.path));
    CHECK(e.failure() == FetchFailure::not_exposition);
    CHECK(std::string(e.what()).find("this looks like an HTML page") != std::string::npos);
  }
}

TEST_CASE("a syntax error in a file is the parser's error, naming the file", "[load]") {
  TempPath file;
  std::ofstream(file.path) << "# TYPE up gauge\nup 1\nbroken{job=\"x\" 2\n";
  try {
    load_scrape(file_source(file.path));
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.position().line == 3);
    CHECK(std::string(e.what()).starts_with(file.path + ":3:"));
  }
}

TEST_CASE("the real Python exporter is fetched and parsed as OpenMetrics", "[load]") {
  auto exporter = start_python_helper("e2e3d_exporter.py",
                                      {"--completed", "5", "--failed", "2", "--active", "4"});
  FetchInfo info;
  Scrape scrape = load_scrape(url_source(exporter.url("/metrics")), &info);
  // The client answers OpenMetrics because the Accept header prefers it.
  CHECK(info.content_type.starts_with("application/openmetrics-text"));
  REQUIRE(info.format);
  CHECK(*info.format == ExpositionFormat::openmetrics);
  CHECK(scrape.format() == ExpositionFormat::openmetrics);
  CHECK(info.http_status == 200);
  CHECK(info.source == exporter.url("/metrics"));
  CHECK(scrape.single_value("reconstruction_success_total") == 5.0);
  CHECK(scrape.single_value("reconstruction_failure_total") == 2.0);
  CHECK(scrape.single_value("reconstruction_total") == 7.0);
  CHECK(scrape.single_value("e2e3d_active_jobs") == 4.0);
  CHECK(scrape.series_named("e2e3d_job_duration_seconds_total").size() == 7);
}

TEST_CASE("the text format is parsed when the server only speaks it", "[load]") {
  auto source = url_source(misbehaving_server().url("/gzip"));
  FetchInfo info;
  Scrape scrape = load_scrape(source, &info);
  CHECK(scrape.format() == ExpositionFormat::prometheus_text);
  CHECK(scrape.single_value("reconstruction_total") == 10.0);
}

TEST_CASE("a 10 MB label value arriving in many chunks is parsed whole", "[load]") {
  Scrape scrape = load_scrape(url_source(misbehaving_server().url("/long-line")));
  auto named = scrape.series_named("long_line_metric");
  REQUIRE(named.size() == 1);
  auto value = scrape.label(scrape.series(named[0]), "label");
  REQUIRE(value);
  CHECK(value->size() == 10u * 1024u * 1024u);
  CHECK(value->find_first_not_of('x') == std::string_view::npos);
}

TEST_CASE("a syntax error in a fetched body propagates as the parser's ParseError", "[load]") {
  const auto& server = misbehaving_server();
  try {
    load_scrape(url_source(
        fmt::format("http://alice:{}@127.0.0.1:{}/bad-exposition", kPassword, server.port)));
    FAIL("no error");
  } catch (const ParseError& e) {
    CHECK(e.position().line == 3);
    CHECK(std::string(e.what()).starts_with(server.url("/bad-exposition") + ":3:"));
    CHECK(std::string(e.what()).find(kPassword) == std::string::npos);
  }
}

TEST_CASE("fetch failures reach load_scrape's caller unchanged", "[load]") {
  auto source = url_source(misbehaving_server().url("/gzip-bomb"));
  source.fetch.max_bytes = 4 * 1024 * 1024;
  auto too_large = fetch_error_of(source);
  CHECK(too_large.failure() == FetchFailure::too_large);
  CHECK(std::string(too_large.what()).find("larger than the limit of 4194304 bytes") !=
        std::string::npos);
  auto refused = url_source(fmt::format("http://127.0.0.1:{}/metrics", free_port()));
  CHECK(fetch_error_of(refused).failure() == FetchFailure::refused);
}
