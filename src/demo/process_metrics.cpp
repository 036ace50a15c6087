#include "demo/process_metrics.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "e2e3d/sys/bounded_file.hpp"

namespace e2e3d::demo {
namespace {

// The boot time, from which /proc/<pid>/stat's start time (in clock ticks since boot) counts.
std::optional<double> boot_time_seconds() {
  static const std::optional<double> kBootTime = []() -> std::optional<double> {
    auto text = sys::read_proc_file("/proc/stat");
    if (!text) return std::nullopt;
    std::size_t at = text->find("\nbtime ");
    if (at == std::string::npos) return std::nullopt;
    return std::stod(text->substr(at + 7));
  }();
  return kBootTime;
}

double count_open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return 0;
  double count = 0;
  // Like os.listdir, the directory's own descriptor is counted: it is open while we look.
  while (dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

}  // namespace

std::optional<ProcessMetrics> read_process_metrics() {
  auto stat = sys::read_proc_file("/proc/self/stat");
  auto boot = boot_time_seconds();
  if (!stat || !boot) return std::nullopt;
  // The command name may hold spaces and parentheses: fields start after the last ')'.
  std::size_t close = stat->rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(stat->substr(close + 2));
  std::vector<std::string> parts{std::istream_iterator<std::string>(fields),
                                 std::istream_iterator<std::string>()};
  // parts[0] is field 3 (state): field N of proc(5) is parts[N - 3].
  if (parts.size() < 22) return std::nullopt;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page_size = static_cast<double>(sysconf(_SC_PAGESIZE));

  ProcessMetrics m;
  m.virtual_memory_bytes = std::stod(parts[23 - 3]);
  m.resident_memory_bytes = std::stod(parts[24 - 3]) * page_size;
  m.start_time_seconds = std::stod(parts[22 - 3]) / ticks + *boot;
  // Summed after dividing, as the Python client does, so the rounding matches too.
  m.cpu_seconds_total = std::stod(parts[14 - 3]) / ticks + std::stod(parts[15 - 3]) / ticks;
  m.open_fds = count_open_fds();
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) m.max_fds = static_cast<double>(limit.rlim_cur);
  return m;
}

}  // namespace e2e3d::demo
