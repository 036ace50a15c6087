#pragma once
// A plain HTTP GET for the Prometheus HTTP API (JSON). The scrape path (fetch_url) rejects
// JSON bodies on purpose, so the API has its own small client.

#include <string>

namespace e2e3d::doctor {

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string error;  // non-empty: the request failed before a status (refused, timeout, ...)
};

// GETs `url` within `timeout_seconds`; never throws for network errors (see `error`).
// Bodies above 64 MiB are cut off and reported as an error.
HttpResponse http_get(const std::string& url, double timeout_seconds);

// `text` percent-encoded for a URL query value.
std::string url_encode(std::string_view text);

}  // namespace e2e3d::doctor
