#pragma once
// The one place the program makes libcurl easy handles. Every handle it makes speaks http and
// https only, also after a redirect (no file://, gopher://, dict://, ftp://...), makes GET
// requests only, never raises signals (transfers run on several threads), and names the
// program in its User-Agent. Whatever drives a handle (a scrape, an API call, a fleet on a
// multi handle) starts from one of these, so none of it can forget a limit.

#include <curl/curl.h>

#include <memory>
#include <optional>
#include <string>

namespace e2e3d::fetch_detail {

// libcurl's global state, set up once per process (thread-safe); new_easy_handle calls it.
void init_curl_once();

struct EasyHandleDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyHandleDeleter>;

// How the handle reaches the server: TCP to the URL's host (the default), or a Unix socket
// (the Docker Engine API's /var/run/docker.sock), where the URL's host only names the Host
// header and no redirect is followed.
struct Transport {
  std::optional<std::string> unix_socket;
};

// A fresh handle with the limits above. Throws FetchError(read_error) when libcurl cannot make
// one (out of memory).
EasyHandle new_easy_handle(const Transport& transport = {});

}  // namespace e2e3d::fetch_detail
