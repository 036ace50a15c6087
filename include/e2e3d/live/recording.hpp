#pragma once
// Recordings: a watch's window of samples as a file (`--record`), and back (`--replay`).
// The format is OpenMetrics 1.0 with a timestamp on every sample, families grouped, each
// series' samples in time order; staleness markers are left out (OpenMetrics cannot say them).
// `promtool tsdb create-blocks-from openmetrics` reads the same file.

#include <string>
#include <string_view>

#include "e2e3d/live/history.hpp"

namespace e2e3d::live {

// The recording of `history`, as text.
std::string recording_text(const History& history);

// The file a watch records into. Made when the watch starts, so a path that cannot work (a
// missing directory, no permission, an existing file without `replace`) ends the watch before
// it begins rather than losing it at the end: a temporary file of its own
// (PATH.XXXXXX.partial, never a file or link found there) is created in PATH's directory at
// once. write() fills it and renames it into place, so PATH never holds half a recording; on
// any failure, and when the object goes without a write, the temporary file is removed.
class RecordingFile {
 public:
  // Throws Error(io) saying why the path cannot be written.
  RecordingFile(std::string path, bool replace);
  ~RecordingFile();
  RecordingFile(const RecordingFile&) = delete;
  RecordingFile& operator=(const RecordingFile&) = delete;

  const std::string& path() const { return path_; }

  // Writes the recording and moves it into place (without `replace`, not over a file that
  // appeared meanwhile). Throws Error(io), naming a full disk as such.
  void write(const History& history);

 private:
  void discard();

  std::string path_;
  bool replace_;
  std::string temporary_;
  int fd_ = -1;
};

// RecordingFile(path, replace).write(history).
void write_recording(const std::string& path, const History& history, bool replace = false);

// Loads a recording written by write_recording (or any OpenMetrics text whose samples all
// carry timestamps). Throws ParseError with file:line:column, or Error(io).
History read_recording(const std::string& path, History::Limits limits = {});
// The same for a recording in memory; `source_name` prefixes error messages.
History parse_recording(std::string_view text, const std::string& source_name,
                        History::Limits limits = {});

// The recording at PATH for --replay; a recording without a sample is an error there too.
// Throws Error(parse).
History read_replay(const std::string& path);

}  // namespace e2e3d::live
