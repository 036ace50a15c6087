#pragma once
// Recordings: a watch's window of samples as a file (`--record`), and back (`--replay`).
// The format is OpenMetrics 1.0 with a timestamp on every sample, families grouped, each
// series' samples in time order; staleness markers are left out (OpenMetrics cannot say them).
// `promtool tsdb create-blocks-from openmetrics` reads the same file.

#include <string>

#include "e2e3d/live/history.hpp"

namespace e2e3d::live {

// The recording of `history`, as text.
std::string recording_text(const History& history);

// Writes the recording of `history` to PATH.partial, then renames it into place, so an
// interrupted write never leaves half a recording. Throws Error(io).
void write_recording(const std::string& path, const History& history);

// Loads a recording written by write_recording (or any OpenMetrics text whose samples all
// carry timestamps). Throws ParseError with file:line:column, or Error(io).
History read_recording(const std::string& path, History::Limits limits = {});

// The recording at PATH for --replay; a recording without a sample is an error there too.
// Throws Error(parse).
History read_replay(const std::string& path);

}  // namespace e2e3d::live
