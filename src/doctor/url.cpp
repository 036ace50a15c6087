#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "e2e3d/doctor/context.hpp"

namespace e2e3d::doctor {

UrlParts parse_url(std::string_view url, std::string_view option) {
  auto bad = [&](std::string_view why) {
    return Error(ErrorKind::config,
                 fmt::format("{} {}: {}; write it as http://HOST:PORT/PATH, e.g. {}", option,
                             redact_url(url), why, catalog::kDefaultUrl));
  };
  UrlParts parts;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) throw bad("no scheme");
  parts.scheme = std::string(url.substr(0, scheme_end));
  std::transform(parts.scheme.begin(), parts.scheme.end(), parts.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (parts.scheme != "http" && parts.scheme != "https") {
    throw bad(fmt::format("scheme {} is not http or https", parts.scheme));
  }
  std::string_view rest = url.substr(scheme_end + 3);
  auto path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  parts.path = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  std::string_view port_text;
  if (authority.starts_with("[")) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw bad("unclosed [ in the host");
    parts.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (after.starts_with(":"))
      port_text = after.substr(1);
    else if (!after.empty())
      throw bad("text after the ]");
  } else {
    auto colon = authority.rfind(':');
    parts.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (parts.host.empty()) throw bad("no host");
  std::transform(parts.host.begin(), parts.host.end(), parts.host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (port_text.empty()) {
    parts.port = parts.scheme == "https" ? 443 : 80;
  } else {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      throw bad(fmt::format("port {} is not a number from 1 to 65535", port_text));
    }
    parts.port = static_cast<uint16_t>(value);
  }
  return parts;
}

}  // namespace e2e3d::doctor
