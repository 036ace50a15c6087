#include "cli/recording_file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace e2e3d::cli {

void write_recording(const std::string& path, const promql::History& history) {
  std::string temporary = path + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << history.to_openmetrics();
    if (!out.flush()) {
      throw Error(ErrorKind::io,
                  fmt::format("cannot write the recording {}: check the path given with --record",
                              temporary));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    throw Error(ErrorKind::io,
                fmt::format("cannot write the recording {}: {}", path, ec.message()));
  }
}

promql::History read_replay(const std::string& path) {
  promql::History history = promql::read_recording(path);
  if (!history.newest_ms()) {
    throw Error(ErrorKind::parse, fmt::format("{}: the recording holds no samples", path));
  }
  return history;
}

}  // namespace e2e3d::cli
