// Hidden benchmark driver (tag [.bench], never part of the normal run): parses the file named by
// E2E3D_BENCH_FILE in 64 KiB chunks, as the file source does, and reports time, series and the
// scrape's memory. bench/parse_bench.sh runs the CLI instead once `show --file` exists.
//
//   E2E3D_BENCH_FILE=bench/data/e2e3d_1000000.txt build-x/test_exposition '[.bench]'

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "e2e3d/exposition_parser.hpp"

using namespace e2e3d;

TEST_CASE("Parse a large scrape file", "[.bench]") {
  const char* path = std::getenv("E2E3D_BENCH_FILE");
  if (path == nullptr) {
    WARN("set E2E3D_BENCH_FILE to a scrape file (bench/gen_scrape.py makes one)");
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  ExpositionParser parser(std::nullopt, path);
  std::vector<char> buffer(64 * 1024);
  std::size_t bytes = 0;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    REQUIRE(n >= 0);
    if (n == 0) break;
    bytes += static_cast<std::size_t>(n);
    parser.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
  ::close(fd);
  const Scrape scrape = parser.finish();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto jobs = scrape.series_named("e2e3d_job_duration_seconds_total");
  fmt::print(
      "bytes={} series={} job_series={} families={} strings_memory_bytes={} seconds={:.3f} "
      "MB/s={:.0f} peak_rss_kb={} rss/size={:.2f}\n",
      bytes, scrape.series_count(), jobs.size(), scrape.families().size(), scrape.memory_bytes(),
      seconds, bytes / seconds / 1e6, usage.ru_maxrss,
      usage.ru_maxrss * 1024.0 / static_cast<double>(bytes));
  CHECK(scrape.series_count() > 0);
}
