#pragma once
// GET requests to HTTP APIs that answer JSON (Prometheus's, the Docker Engine's), with every
// fetch option applied: timeouts, TLS and --cacert/--insecure, --user/--bearer-token-file,
// -H headers, redirects (credentials and -H headers never follow one to another origin),
// --max-bytes (counted as the body streams in: a larger answer is never held), --verbose
// traces with secrets masked. Over TCP (http://, https:// only, also after redirects) or, with
// FetchOptions::unix_socket, over a Unix socket.
//
// The libcurl handle behind it is made where every handle of the program is made, with the
// same limits; nothing else in the tree creates one.

#include <string>

#include "e2e3d/fetch.hpp"

namespace e2e3d {

struct ApiResponse {
  FetchInfo info;    // http_status, content_type, bytes; URLs without credentials
  std::string body;  // the whole body: at most options.max_bytes bytes
};

// GETs options.url. Returns a 2xx answer, and a non-2xx one whose body is JSON (an API says
// why it refused in JSON: Prometheus's {"status":"error",...}, Docker's {"message":...}).
// Throws FetchError for everything else, with a one-line message naming the URL (without
// credentials), the cause and the fix (options.url_option names the flag to fix): bad_url,
// bad_option, dns, refused, timeout, tls, too_large, too_many_redirects, read_error, and
// http_status for a non-2xx answer that is not JSON (a proxy's HTML page, a 404 elsewhere).
ApiResponse api_get(const FetchOptions& options);

}  // namespace e2e3d
