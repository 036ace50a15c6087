#include "doctor/endpoint_match.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace e2e3d::doctor {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string numeric_address(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
              sizeof text);
  }
  return text;
}

bool this_machine(const std::set<std::string>& addresses, const std::set<std::string>& mine) {
  return !addresses.empty() && std::all_of(addresses.begin(), addresses.end(), [&](const auto& a) {
    return is_loopback_address(a) || mine.count(a) || a == "0.0.0.0" || a == "::";
  });
}

std::optional<uint16_t> port_number(std::string_view text) {
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<uint16_t>(value);
}

uint16_t default_port(std::string_view scheme) {
  return lower(scheme) == "https" ? 443 : 80;
}

std::optional<Endpoint> split(std::string_view authority, std::string_view scheme) {
  Endpoint out;
  std::string_view port_text;
  if (authority.starts_with("[")) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = lower(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (after.starts_with(":"))
      port_text = after.substr(1);
    else if (!after.empty())
      return std::nullopt;
  } else {
    auto colon = authority.rfind(':');
    if (colon != std::string_view::npos && authority.find(':') != colon) {
      out.host = lower(authority);  // a bare IPv6 address: no port
    } else {
      out.host = lower(authority.substr(0, colon));
      if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    }
  }
  if (out.host.empty()) return std::nullopt;
  if (port_text.empty()) {
    out.port = default_port(scheme);
  } else {
    auto port = port_number(port_text);
    if (!port) return std::nullopt;
    out.port = *port;
  }
  return out;
}

}  // namespace

std::optional<std::set<std::string>> resolve_host(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return std::nullopt;
  std::set<std::string> out;
  for (addrinfo* a = found; a; a = a->ai_next)
    out.insert(numeric_address(a->ai_addr));
  freeaddrinfo(found);
  return out;
}

bool is_loopback_address(std::string_view address) {
  return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

std::set<std::string> local_addresses() {
  std::set<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (i->ifa_addr) out.insert(numeric_address(i->ifa_addr));
  }
  freeifaddrs(list);
  return out;
}

std::optional<Endpoint> endpoint_of_url(std::string_view url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  std::string_view scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  return split(authority, scheme);
}

std::optional<Endpoint> endpoint_of_target(std::string_view address, std::string_view scheme) {
  return split(address, scheme);
}

std::string to_string(const Endpoint& endpoint) {
  if (endpoint.host.find(':') != std::string::npos) {
    return fmt::format("[{}]:{}", endpoint.host, endpoint.port);
  }
  return fmt::format("{}:{}", endpoint.host, endpoint.port);
}

Sameness compare_endpoints(const Endpoint& a, const Endpoint& b) {
  if (a.port != b.port) return Sameness::different;
  if (a.host == b.host) return Sameness::same;
  auto first = resolve_host(a.host);
  auto second = resolve_host(b.host);
  if (!first || !second) return Sameness::unknown;
  for (const auto& address : *first) {
    if (second->count(address)) return Sameness::same;
  }
  auto mine = local_addresses();
  if (this_machine(*first, mine) && this_machine(*second, mine)) return Sameness::same;
  return Sameness::different;
}

}  // namespace e2e3d::doctor
