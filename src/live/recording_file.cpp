// Recording files: written whole or not at all, and read back for --replay.
#include "e2e3d/live/recording.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>

namespace e2e3d::live {

void write_recording(const std::string& path, const History& history) {
  std::string temporary = path + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << recording_text(history);
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

History read_replay(const std::string& path) {
  History history = read_recording(path);
  if (!history.newest_ms()) {
    throw Error(ErrorKind::parse, fmt::format("{}: the recording holds no samples", path));
  }
  return history;
}

}  // namespace e2e3d::live
