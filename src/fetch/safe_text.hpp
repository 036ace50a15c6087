#pragma once
// Text that came from a server or from libcurl, made fit for one line of a message or trace:
// printable, bounded, with credentials masked.

#include <cstddef>
#include <string>
#include <string_view>

namespace e2e3d::fetch_detail {

// `text` with control characters replaced by spaces, trimmed, and cut to `max_chars`.
std::string one_line(std::string_view text, std::size_t max_chars = 200);

// True for headers that carry credentials: Authorization, Proxy-Authorization, Cookie, and any
// header whose name mentions a token, key, secret, password or auth (X-Api-Key, X-Auth-Token).
bool sensitive_header(std::string_view name);

// One raw header line ("Name: value") with the value masked when the header is sensitive and
// URLs stripped of credentials.
std::string masked_header_line(std::string_view line);

}  // namespace e2e3d::fetch_detail
