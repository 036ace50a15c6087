// A target given as a URL (--target, a line of a targets file): the URL to fetch and the
// labels Prometheus would give it.

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>
#include <string>

#include "e2e3d/fleet.hpp"
#include "fetch/target.hpp"
#include "fetch/transfer.hpp"

namespace e2e3d {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const { curl_free(s); }
};

// Whether `url` names a path after its host: "host:9101" and "http://host:9101?x=1" do not,
// and get /metrics, as a scrape config's default metrics_path.
bool names_path(std::string_view url) {
  std::size_t scheme_end = url.find("://");
  std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
  std::size_t end = rest.find_first_of("/?#");
  return end != std::string_view::npos && rest[end] == '/';
}

}  // namespace

FleetTarget target_from_url(std::string_view url, std::string_view job) {
  if (url.empty()) fetch_detail::parse_target(url);  // says the URL is empty
  // No scheme is http, always: libcurl's own guess would make "ftp.example.com" an FTP URL.
  std::string text =
      url.find("://") == std::string_view::npos ? fmt::format("http://{}", url) : std::string(url);
  // Checks the URL and says what is wrong with it, as a single --url would.
  fetch_detail::Target parsed = fetch_detail::parse_target(text);

  if (!names_path(text)) {
    fetch_detail::init_curl_once();
    std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
    char* full = nullptr;
    if (curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) == CURLUE_OK &&
        curl_url_set(u.get(), CURLUPART_PATH, "/metrics", 0) == CURLUE_OK &&
        curl_url_get(u.get(), CURLUPART_URL, &full, 0) == CURLUE_OK && full != nullptr) {
      std::unique_ptr<char, CurlStringDeleter> owned(full);
      text = full;
    }
  }

  FleetTarget target;
  target.url = std::move(text);
  // Prometheus's instance is the target's address, with the scheme's port when none is given.
  target.labels["instance"] = parsed.host_port();
  if (!job.empty()) target.labels["job"] = std::string(job);
  return target;
}

}  // namespace e2e3d
