#pragma once
// A container's log, as `docker logs --tail N` shows it. Without a TTY the daemon multiplexes
// stdout and stderr into frames (an 8-byte header: stream, 3 zero bytes, big-endian length);
// with one it sends the raw stream.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/docker/engine_client.hpp"

namespace e2e3d::docker {

struct LogLine {
  bool from_stderr = false;
  std::string text;  // without the line break; raw bytes, escape before printing
};

// Splits a log answer into lines. A truncated last frame keeps what arrived.
std::vector<LogLine> decode_log_stream(std::string_view body, bool tty);

// The last `tail` lines of both streams; a body over `max_bytes` throws EngineError.
std::vector<LogLine> container_logs(const EngineClient& client, std::string_view id, bool tty,
                                    int tail, double timeout_seconds, std::size_t max_bytes);

}  // namespace e2e3d::docker
