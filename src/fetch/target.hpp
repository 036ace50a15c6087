#pragma once
// The parts of a --url that messages talk about, checked before any connection is made.

#include <string>
#include <string_view>
#include <utility>

namespace e2e3d::fetch_detail {

struct Target {
  std::string url;     // as given, credentials removed
  std::string scheme;  // "http" or "https"
  std::string host;    // without brackets for IPv6
  long port = 0;       // explicit or the scheme's default
  std::string path;    // "/metrics"
  bool has_userinfo = false;
  std::string host_port() const;
};

// Throws FetchError(bad_url) when libcurl cannot parse `url` or the scheme is not http(s).
// A URL without a scheme is taken as http://, like curl does.
Target parse_target(std::string_view url);

// Same scheme, host (any case) and port: where credentials and -H headers may follow a
// redirect. https -> http on the same host is another origin.
bool same_origin(const Target& a, const Target& b);

// The user and password of `url`'s user:password@ (percent-decoded), or empty strings.
std::pair<std::string, std::string> userinfo_of(std::string_view url);

}  // namespace e2e3d::fetch_detail
