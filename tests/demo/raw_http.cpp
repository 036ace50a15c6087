#include "raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace e2e3d::test {

int connect_to(const std::string& host, uint16_t port) {
  sockaddr_storage address{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof *v4;
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof *v6;
  } else {
    throw std::runtime_error("not an address: " + host);
  }
  int fd = ::socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    int error = errno;
    ::close(fd);
    throw std::runtime_error(
        fmt::format("connect to {}:{} failed: {}", host, port, std::strerror(error)));
  }
  return fd;
}

std::pair<std::string, bool> read_until_closed(int fd, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string data;
  char buffer[65536];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return {data, false};
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return {data, true};
    data.append(buffer, static_cast<std::size_t>(n));
  }
}

RawReply parse_reply(const std::string& raw) {
  RawReply reply;
  reply.raw = raw;
  std::size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return reply;
  std::string head = raw.substr(0, end);
  reply.body = raw.substr(end + 4);
  std::size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) == 0 && status_line.size() >= 12) {
    reply.status = std::stoi(status_line.substr(9, 3));
  }
  std::size_t at = line_end == std::string::npos ? head.size() : line_end + 2;
  while (at < head.size()) {
    std::size_t next = head.find("\r\n", at);
    if (next == std::string::npos) next = head.size();
    std::string line = head.substr(at, next - at);
    std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ')
        value.erase(0, 1);
      reply.headers[name] = value;
    }
    at = next + 2;
  }
  return reply;
}

RawReply exchange(const std::string& host, uint16_t port, const std::string& request,
                  std::chrono::milliseconds timeout) {
  int fd = connect_to(host, port);
  std::size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  auto [raw, closed] = read_until_closed(fd, timeout);
  ::close(fd);
  if (!closed) throw std::runtime_error("the server did not close the connection in time");
  return parse_reply(raw);
}

RawReply http_request(uint16_t port, const std::string& method, const std::string& target,
                      const std::vector<std::string>& headers, const std::string& host) {
  std::string request =
      fmt::format("{} {} HTTP/1.1\r\nHost: {}:{}\r\n", method, target,
                  host.find(':') != std::string::npos ? "[" + host + "]" : host, port);
  for (const auto& header : headers)
    request += header + "\r\n";
  request += "Connection: close\r\n\r\n";
  return exchange(host, port, request);
}

}  // namespace e2e3d::test
