#pragma once
// Getting a scrape: from an HTTP(S) URL with libcurl (streamed into the parser chunk by chunk),
// from a file, or from standard input.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "e2e3d/error.hpp"
#include "e2e3d/scrape.hpp"

namespace e2e3d {

struct FetchOptions {
  std::string url = "http://localhost:9101/metrics";
  double timeout_seconds = 5.0;          // the whole transfer
  double connect_timeout_seconds = 5.0;  // capped by timeout_seconds
  std::vector<std::string> headers;      // "Name: value", sent as given
  std::optional<std::string> bearer_token_file;
  std::optional<std::string> user;  // "user:password" for basic auth
  std::optional<std::string> cacert;
  bool insecure = false;  // TLS is verified unless this is set
  std::size_t max_bytes = 100u * 1024u * 1024u;
  long max_redirects = 5;
  // Receives human-readable trace lines for --verbose. Never receives credentials.
  std::function<void(std::string_view)> trace;
  // Set: the request goes over this Unix socket (the Docker Engine API's /var/run/docker.sock)
  // instead of TCP; the URL's host only names the Host header, and no redirect is followed.
  std::optional<std::string> unix_socket;
  // The command-line option that gave `url`, named in the fixes that messages suggest.
  std::string url_option = "--url";
  // Asked while the transfer waits or moves (after every poll, and a signal cuts a poll
  // short); true ends it at once with FetchError(read_error). A watch's Ctrl-C uses it.
  std::function<bool()> cancelled;
};

// Why a fetch failed, for doctor's diagnosis and for tests; the message says it for people.
enum class FetchFailure {
  none,
  bad_url,
  dns,
  refused,
  timeout,
  tls,
  http_status,
  too_large,
  too_many_redirects,
  not_exposition,
  read_error,  // connection dropped, truncated body, bad encoding
  file,        // a local file or stdin could not be read
  bad_option,  // the options cannot work (timeout <= 0, unreadable token file, ...)
  not_api,     // an HTTP API answered with something that is not its JSON
};

// A stable lowercase name ("refused", "too_large", ...) for JSON output and traces.
std::string_view fetch_failure_name(FetchFailure failure);

class FetchError : public Error {
 public:
  FetchError(FetchFailure failure, const std::string& message, long http_status = 0)
      : Error(ErrorKind::fetch, message), failure_(failure), http_status_(http_status) {}
  FetchFailure failure() const noexcept { return failure_; }
  long http_status() const noexcept { return http_status_; }

 private:
  FetchFailure failure_;
  long http_status_;
};

// What the transfer looked like, for `show`'s header and doctor's http.endpoint check.
struct FetchInfo {
  std::string source;  // the URL with any credentials removed, or the file path, or "-"
  long http_status = 0;
  std::string content_type;
  std::string effective_url;  // after redirects, credentials removed
  uint64_t bytes = 0;         // body bytes after decompression
  double seconds = 0;         // total transfer time
  std::optional<ExpositionFormat> format;
};

// Streams the body of `options.url` to `on_chunk`. Throws FetchError; an exception thrown by
// on_chunk (e.g. a ParseError) aborts the transfer and propagates unchanged.
FetchInfo fetch_url(
    const FetchOptions& options,
    const std::function<void(std::string_view chunk, const FetchInfo& sofar)>& on_chunk);

// Where a scrape comes from: a URL, a file, or "-" for standard input.
struct ScrapeSource {
  std::optional<std::string> file;  // set: read this path ("-": stdin) instead of the URL
  FetchOptions fetch;
};

// Fetches and parses in one pass: each chunk goes to the parser as it arrives.
// Throws FetchError or ParseError.
Scrape load_scrape(const ScrapeSource& source, FetchInfo* info = nullptr);

// `url` with any user:password@ removed, for messages.
std::string redact_url(std::string_view url);

// `text` with every URL's user:password@ removed, for lines that may quote URLs (libcurl's
// verbose output names the proxy URL it took from the environment, for instance).
std::string redact_urls_in(std::string_view text);

// `text` percent-encoded for a URL's query value (RFC 3986's unreserved characters kept).
std::string url_encode(std::string_view text);

}  // namespace e2e3d
