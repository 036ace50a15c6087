#pragma once
// Writing a --record file, and reading one back for --replay.

#include <string>

#include "e2e3d/promql/history.hpp"

namespace e2e3d::cli {

// Writes the history as OpenMetrics to PATH.partial, then renames it into place, so an
// interrupted write never leaves half a recording. Throws Error(io).
void write_recording(const std::string& path, const promql::History& history);

// The recording at PATH for --replay; a recording without a sample is an error there too.
// Throws Error(parse).
promql::History read_replay(const std::string& path);

}  // namespace e2e3d::cli
