#pragma once
// The one-line messages of FetchError: the URL, the cause, and what to do about it.

#include <curl/curl.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "e2e3d/fetch.hpp"
#include "fetch/target.hpp"

namespace e2e3d::fetch_detail {

// What was known about a transfer when it ended, for explaining how it failed.
struct TransferFacts {
  Target target;
  std::string effective_url;  // credentials removed; empty when no request was made
  long redirects = 0;
  long status = 0;  // 0: no HTTP status line received
  std::string reason;
  std::string content_type;
  bool connected = false;      // the TCP connection (to the server or proxy) was made
  bool tls_done = false;       // https only: the handshake finished
  uint64_t bytes = 0;          // decoded body bytes received
  double elapsed_seconds = 0;  // since the transfer started
  int os_errno = 0;
  std::string curl_detail;  // libcurl's error buffer, one line, credentials removed
  bool sent_credentials = false;
  bool api = false;                  // an HTTP API, not an exporter's /metrics
  std::string url_option = "--url";  // the option that gave the URL
  std::string unix_socket;           // set: the transfer went over this Unix socket
};

FetchError curl_failure(CURLcode code, const TransferFacts& facts, const FetchOptions& options);
FetchError http_status_failure(const TransferFacts& facts);
FetchError timeout_failure(const TransferFacts& facts, const FetchOptions& options);
FetchError too_large_failure(const TransferFacts& facts, const FetchOptions& options);
FetchError not_exposition_failure(const TransferFacts& facts, std::string_view what,
                                  bool from_content_type);

// "1.5 s", "250 ms": how a timeout is spoken of in messages.
std::string seconds_text(double seconds);

}  // namespace e2e3d::fetch_detail
