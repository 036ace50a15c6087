// Parsing /proc/net/tcp{,6}: one row per socket, addresses as hex of the kernel's in-memory
// words (so byte order is the host's), state 0A meaning LISTEN.
#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "e2e3d/error.hpp"
#include "e2e3d/sys/bounded_file.hpp"
#include "e2e3d/sys/sockets.hpp"

namespace e2e3d::sys {
namespace {

constexpr std::string_view kListenState = "0A";

std::vector<std::string_view> fields_of(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
      ++i;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t')
      ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

std::optional<uint8_t> hex_byte(std::string_view two) {
  uint8_t value = 0;
  for (char c : two) {
    value = static_cast<uint8_t>(value << 4);
    if (c >= '0' && c <= '9')
      value |= static_cast<uint8_t>(c - '0');
    else if (c >= 'A' && c <= 'F')
      value |= static_cast<uint8_t>(c - 'A' + 10);
    else if (c >= 'a' && c <= 'f')
      value |= static_cast<uint8_t>(c - 'a' + 10);
    else
      return std::nullopt;
  }
  return value;
}

// The kernel prints each 32-bit word of the address with %08X of its in-memory value, so the
// bytes of each word appear reversed on little-endian hosts.
std::optional<std::string> decode_address(std::string_view hex, bool ipv6) {
  size_t bytes = ipv6 ? 16 : 4;
  if (hex.size() != bytes * 2) return std::nullopt;
  std::array<uint8_t, 16> raw{};
  for (size_t word = 0; word < bytes / 4; ++word) {
    uint32_t value = 0;
    for (size_t b = 0; b < 4; ++b) {
      auto byte = hex_byte(hex.substr(word * 8 + b * 2, 2));
      if (!byte) return std::nullopt;
      value = (value << 8) | *byte;
    }
    // %08X printed the stored word as a host-order number: copying that number back into
    // memory restores the stored (network-order) bytes.
    std::memcpy(raw.data() + word * 4, &value, 4);
  }
  char text[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(ipv6 ? AF_INET6 : AF_INET, raw.data(), text, sizeof text)) return std::nullopt;
  return std::string(text);
}

std::optional<uint64_t> parse_decimal(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

bool ListeningSocket::any_address() const {
  return address == "0.0.0.0" || address == "::";
}

bool ListeningSocket::loopback_only() const {
  return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

std::vector<ListeningSocket> parse_proc_net_tcp(std::string_view text, bool ipv6) {
  std::vector<ListeningSocket> sockets;
  size_t line_number = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    auto fields = fields_of(line);
    if (fields.empty() || line_number == 1) continue;  // the header row
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    auto bad = [&](std::string_view why) {
      return Error(ErrorKind::io,
                   fmt::format("/proc/net/tcp{}:{}: {}; the row is not in the kernel's format, so "
                               "the listening sockets cannot be read from it",
                               ipv6 ? "6" : "", line_number, why));
    };
    if (fields.size() < 10) throw bad("fewer than 10 fields");
    if (fields[3] != kListenState) continue;
    auto local = fields[1];
    auto colon = local.find(':');
    if (colon == std::string_view::npos) throw bad("local address without ':'");
    auto address = decode_address(local.substr(0, colon), ipv6);
    if (!address) throw bad(fmt::format("cannot decode address {}", local));
    auto port_hex = local.substr(colon + 1);
    if (port_hex.size() != 4) throw bad(fmt::format("cannot decode port {}", port_hex));
    auto hi = hex_byte(port_hex.substr(0, 2));
    auto lo = hex_byte(port_hex.substr(2, 2));
    auto uid = parse_decimal(fields[7]);
    auto inode = parse_decimal(fields[9]);
    if (!hi || !lo) throw bad(fmt::format("cannot decode port {}", port_hex));
    if (!uid || !inode) throw bad("uid or inode is not a number");
    ListeningSocket socket;
    socket.address = *address;
    socket.port = static_cast<uint16_t>((*hi << 8) | *lo);
    socket.ipv6 = ipv6;
    socket.uid = static_cast<uint32_t>(*uid);
    socket.inode = *inode;
    sockets.push_back(std::move(socket));
  }
  return sockets;
}

std::vector<ListeningSocket> listening_sockets(const std::string& proc_root) {
  if (proc_root == "/proc") {
    if (auto sockets = listening_sockets_from_netlink()) return *sockets;
  }
  auto v4 = read_proc_file(proc_root + "/net/tcp");
  if (!v4) {
    throw Error(ErrorKind::io, fmt::format("cannot read {}/net/tcp: listening sockets are read "
                                           "from there; is /proc mounted?",
                                           proc_root));
  }
  auto sockets = parse_proc_net_tcp(*v4, false);
  if (auto v6 = read_proc_file(proc_root + "/net/tcp6")) {
    auto more = parse_proc_net_tcp(*v6, true);
    sockets.insert(sockets.end(), more.begin(), more.end());
  }
  return sockets;
}

std::vector<ListeningSocket> listening_on(const std::vector<ListeningSocket>& sockets,
                                          uint16_t port) {
  std::vector<ListeningSocket> out;
  std::copy_if(sockets.begin(), sockets.end(), std::back_inserter(out),
               [port](const ListeningSocket& s) { return s.port == port; });
  return out;
}

}  // namespace e2e3d::sys
