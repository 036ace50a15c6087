#include "fetch/target.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cctype>
#include <memory>

#include "e2e3d/fetch.hpp"
#include "fetch/safe_text.hpp"

namespace e2e3d::fetch_detail {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};

std::string part(CURLU* u, CURLUPart which, unsigned flags = 0) {
  char* raw = nullptr;
  if (curl_url_get(u, which, &raw, flags) != CURLUE_OK || raw == nullptr) return {};
  std::unique_ptr<char, CurlStringDeleter> owned(raw);
  return raw;
}

}  // namespace

std::string Target::host_port() const {
  if (host.find(':') != std::string::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

Target parse_target(std::string_view url) {
  Target target;
  target.url = redact_url(url);
  const std::string example = "write it like http://localhost:9101/metrics";
  if (url.empty()) {
    throw FetchError(FetchFailure::bad_url,
                     fmt::format("cannot fetch: the URL is empty; {}", example));
  }
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  std::string text(url);
  CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, text.c_str(),
                              CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK) {
    throw FetchError(FetchFailure::bad_url,
                     fmt::format("cannot fetch {}: the URL is not valid ({}); {}",
                                 one_line(target.url), curl_url_strerror(rc), example));
  }
  target.scheme = part(u.get(), CURLUPART_SCHEME);
  if (target.scheme != "http" && target.scheme != "https") {
    throw FetchError(FetchFailure::bad_url,
                     fmt::format("cannot fetch {}: only http:// and https:// URLs are supported, "
                                 "not {}://; to read a file use --file PATH",
                                 one_line(target.url), one_line(target.scheme, 20)));
  }
  target.host = part(u.get(), CURLUPART_HOST);
  if (target.host.size() > 2 && target.host.front() == '[' && target.host.back() == ']') {
    target.host = target.host.substr(1, target.host.size() - 2);
  }
  std::string port = part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  target.port = port.empty() ? 0 : std::stol(port);
  target.path = part(u.get(), CURLUPART_PATH);
  target.has_userinfo = !part(u.get(), CURLUPART_USER).empty();
  return target;
}

bool same_origin(const Target& a, const Target& b) {
  auto lower = [](std::string s) {
    for (char& c : s)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return a.scheme == b.scheme && a.port == b.port && lower(a.host) == lower(b.host);
}

std::pair<std::string, std::string> userinfo_of(std::string_view url) {
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  std::string text(url);
  if (curl_url_set(u.get(), CURLUPART_URL, text.c_str(),
                   CURLU_GUESS_SCHEME | CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return {};
  }
  return {part(u.get(), CURLUPART_USER, CURLU_URLDECODE),
          part(u.get(), CURLUPART_PASSWORD, CURLU_URLDECODE)};
}

}  // namespace e2e3d::fetch_detail
