// `docker logs --tail N`: the frames decoded, split into lines.
#include "e2e3d/docker/logs.hpp"

#include <fmt/format.h>

#include "docker/path.hpp"

namespace e2e3d::docker {
namespace {

void append_lines(std::vector<LogLine>& out, std::string& pending, bool& pending_stderr,
                  std::string_view data, bool from_stderr) {
  for (char c : data) {
    if (c == '\n') {
      if (!pending.empty() && pending.back() == '\r') pending.pop_back();
      out.push_back({pending_stderr, std::move(pending)});
      pending.clear();
      continue;
    }
    if (pending.empty()) pending_stderr = from_stderr;
    pending += c;
  }
}

}  // namespace

std::vector<LogLine> decode_log_stream(std::string_view body, bool tty) {
  std::vector<LogLine> out;
  std::string pending;
  bool pending_stderr = false;
  if (tty) {
    append_lines(out, pending, pending_stderr, body, false);
  } else {
    // Each frame: [stream 0/1/2, 0, 0, 0, size (4 bytes, big-endian)] then size bytes.
    std::size_t at = 0;
    while (at + 8 <= body.size()) {
      auto byte = [&](std::size_t i) { return static_cast<unsigned char>(body[at + i]); };
      bool from_stderr = byte(0) == 2;
      std::size_t size = (std::size_t{byte(4)} << 24) | (std::size_t{byte(5)} << 16) |
                         (std::size_t{byte(6)} << 8) | std::size_t{byte(7)};
      at += 8;
      std::string_view payload = body.substr(at, size);
      append_lines(out, pending, pending_stderr, payload, from_stderr);
      at += payload.size();
    }
  }
  if (!pending.empty()) out.push_back({pending_stderr, std::move(pending)});
  return out;
}

std::vector<LogLine> container_logs(const EngineClient& client, std::string_view id, bool tty,
                                    int tail, double timeout_seconds, std::size_t max_bytes) {
  std::string path = fmt::format("/containers/{}/logs?stdout=1&stderr=1&tail={}", checked_name(id),
                                 std::max(0, tail));
  return decode_log_stream(client.get_ok(path, timeout_seconds, max_bytes), tty);
}

}  // namespace e2e3d::docker
