#pragma once
// A minimal blocking HTTP/1.1 client over a raw socket, so the demo's server is tested byte for
// byte without another HTTP stack in between.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace e2e3d::test {

struct RawReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string raw;
};

// Connects to host:port (IPv4 or IPv6 literal); throws std::runtime_error on failure.
int connect_to(const std::string& host, uint16_t port);

// Sends `request` as is and reads until the server closes, then parses the reply.
RawReply exchange(const std::string& host, uint16_t port, const std::string& request,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

RawReply http_request(uint16_t port, const std::string& method, const std::string& target,
                      const std::vector<std::string>& headers = {},
                      const std::string& host = "127.0.0.1");

// Reads from `fd` until EOF or the timeout; returns what arrived and whether EOF was seen.
std::pair<std::string, bool> read_until_closed(int fd, std::chrono::milliseconds timeout);

RawReply parse_reply(const std::string& raw);

}  // namespace e2e3d::test
