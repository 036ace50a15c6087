// Making libcurl easy handles: see easy_handle.hpp for the limits every handle carries.

#include "fetch/easy_handle.hpp"

#include <fmt/format.h>

#include <mutex>

#include "e2e3d/fetch.hpp"
#include "e2e3d/version.hpp"

namespace e2e3d::fetch_detail {

// Doctor fetches from several threads; libcurl's global state is set up once for all.
void init_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw FetchError(FetchFailure::read_error,
                       "cannot initialise libcurl (curl_global_init failed)");
    }
  });
}

EasyHandle new_easy_handle(const Transport& transport) {
  init_curl_once();
  EasyHandle handle(curl_easy_init());
  if (!handle) {
    throw FetchError(FetchFailure::read_error, "cannot create a libcurl handle (out of memory?)");
  }
  CURL* c = handle.get();
  // A URL typed without a scheme is http; any other scheme, given or redirected to, is refused
  // by libcurl itself, whatever the caller's own checks missed.
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_DEFAULT_PROTOCOL, "http");
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  // No SIGALRM for DNS timeouts: handles are used from several threads.
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  static const std::string user_agent = fmt::format("e2e3d-metrics/{}", kVersion);
  curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent.c_str());
  // Redirects are followed by the caller (Transfer), which decides per origin what to send.
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  if (transport.unix_socket) {
    curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, transport.unix_socket->c_str());
  }
  return handle;
}

}  // namespace e2e3d::fetch_detail
