#include "promconfig/go_text.hpp"

#include <algorithm>
#include <initializer_list>

#include <fmt/format.h>

#include "e2e3d/prometheus_config.hpp"

namespace e2e3d::promconfig {
namespace detail {
namespace {

// The length of the valid UTF-8 sequence at text[i], or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  // Overlong forms, surrogates and code points past U+10FFFF are invalid, as in Go.
  uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
  for (std::size_t k = 1; k < n; ++k)
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
      (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
    return 0;
  }
  return n;
}

}  // namespace

std::string go_quote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t n = utf8_length(text, i);
      if (n == 0) {
        out += fmt::format("\\x{:02x}", c);
        ++i;
      } else {
        out.append(text.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += fmt::format("\\x{:02x}", c);
        else
          out += static_cast<char>(c);
    }
    ++i;
  }
  return out + "\"";
}

bool is_label_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char b = name[i];
    bool ok = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' ||
              (b >= '0' && b <= '9' && i > 0);
    if (!ok) return false;
  }
  return true;
}

bool is_valid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

}  // namespace detail

HostPort split_host_port(std::string_view hostport) {
  // Go's net.SplitHostPort, error for error.
  HostPort out;
  auto fail = [&](std::string_view why) {
    out.error = fmt::format("address {}: {}", hostport, why);
    return out;
  };
  auto i = hostport.rfind(':');
  if (i == std::string_view::npos) return fail("missing port in address");
  std::size_t j = 0, k = 0;
  if (!hostport.empty() && hostport[0] == '[') {
    auto end = hostport.find(']');
    if (end == std::string_view::npos) return fail("missing ']' in address");
    if (end + 1 == hostport.size()) return fail("missing port in address");
    if (end + 1 != i) {
      return fail(hostport[end + 1] == ':' ? "too many colons in address"
                                           : "missing port in address");
    }
    out.host = std::string(hostport.substr(1, end - 1));
    j = 1;
    k = end + 1;
  } else {
    out.host = std::string(hostport.substr(0, i));
    if (out.host.find(':') != std::string::npos) return fail("too many colons in address");
  }
  if (hostport.substr(j).find('[') != std::string_view::npos) {
    return fail("unexpected '[' in address");
  }
  if (hostport.substr(k).find(']') != std::string_view::npos) {
    return fail("unexpected ']' in address");
  }
  out.port = std::string(hostport.substr(i + 1));
  return out;
}

}  // namespace e2e3d::promconfig

namespace e2e3d::promconfig::detail {
namespace {

// alecthomas/units ParseUnit: a sequence of [0-9]*(\.[0-9]*)? numbers, each with a unit.
std::optional<std::string> parse_unit_error(std::string_view s,
                                            std::initializer_list<std::string_view> units) {
  const std::string orig(s);
  auto invalid = [&] { return std::optional<std::string>("units: invalid " + orig); };
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s == "0") return std::nullopt;
  if (s.empty()) return invalid();
  while (!s.empty()) {
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid();
    std::size_t i = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
      ++i;
    bool pre = i > 0;
    bool post = false;
    if (i < s.size() && s[i] == '.') {
      std::size_t start = ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
      post = i > start;
    }
    if (!pre && !post) return invalid();
    s.remove_prefix(i);
    std::size_t u = 0;
    while (u < s.size() && s[u] != '.' && !(s[u] >= '0' && s[u] <= '9'))
      ++u;
    std::string_view unit = s.substr(0, u);
    s.remove_prefix(u);
    if (std::find(units.begin(), units.end(), unit) == units.end()) {
      return "units: unknown unit " + std::string(unit) + " in " + orig;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> base2_bytes_error(std::string_view text) {
  // The IEC units first, then the old ones; the second attempt's error is the one returned.
  if (!parse_unit_error(text, {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"})) return std::nullopt;
  return parse_unit_error(text, {"B", "KB", "MB", "GB", "TB", "PB", "EB"});
}

}  // namespace e2e3d::promconfig::detail
