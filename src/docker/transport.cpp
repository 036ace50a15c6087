// The engine's GET over libcurl. The handle comes from fetch's one factory (http and https
// only, GET only, no redirects followed, no signals), as every handle of the program does;
// this adds what the engine needs beyond a scrape: its response headers (Api-Version, Server),
// a client certificate for tcp:// with TLS, and failures classified the way doctor reports a
// runtime (a refused permission is not an unreachable daemon). The host part of the URL is
// ignored on a Unix socket (Docker's clients send "localhost" too).
#include "docker/transport.hpp"

#include <curl/curl.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "e2e3d/fetch.hpp"
#include "fetch/easy_handle.hpp"

namespace e2e3d::docker::detail {
namespace {

struct Sink {
  std::size_t max_bytes = 0;
  bool too_large = false;
  EngineResponse* response = nullptr;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  if (sink->response->body.size() + n > sink->max_bytes) {
    sink->too_large = true;
    return CURL_WRITEFUNC_ERROR;
  }
  sink->response->body.append(data, n);
  return n;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

std::string header_value(std::string_view line, std::size_t name_size) {
  std::string_view v = line.substr(name_size);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
    v.remove_suffix(1);
  return one_line(v.substr(0, 200));
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto* response = static_cast<EngineResponse*>(user);
  std::string_view line(data, size * count);
  if (starts_with_ci(line, "api-version:")) response->api_version = header_value(line, 12);
  if (starts_with_ci(line, "server:")) response->server = header_value(line, 7);
  return size * count;
}

std::string base_url(const Endpoint& e) {
  if (e.kind == Endpoint::Kind::unix_socket) return "http://localhost";
  bool v6 = e.host.find(':') != std::string::npos;
  return fmt::format("{}://{}{}{}:{}", e.tls ? "https" : "http", v6 ? "[" : "", e.host,
                     v6 ? "]" : "", e.port);
}

}  // namespace

EngineResponse engine_get(const Endpoint& endpoint, std::string_view path_and_query,
                          double timeout_seconds, std::size_t max_bytes) {
  fetch_detail::Transport transport;
  if (endpoint.kind == Endpoint::Kind::unix_socket) transport.unix_socket = endpoint.socket_path;
  fetch_detail::EasyHandle handle;
  try {
    handle = fetch_detail::new_easy_handle(transport);
  } catch (const FetchError& e) {
    throw EngineError(EngineFailure::unreachable, e.what());
  }
  CURL* c = handle.get();
  EngineResponse response;
  Sink sink{max_bytes, false, &response};
  char error[CURL_ERROR_SIZE] = {};
  std::string url = base_url(endpoint) + std::string(path_and_query);
  long timeout_ms = std::max(1L, static_cast<long>(timeout_seconds * 1000));
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOPROXY, "*");  // an http_proxy must not see the engine's API
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &response);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  std::string cainfo, cert, key;
  if (endpoint.kind != Endpoint::Kind::unix_socket && endpoint.tls) {
    cainfo = endpoint.cert_path + "/ca.pem";
    cert = endpoint.cert_path + "/cert.pem";
    key = endpoint.cert_path + "/key.pem";
    curl_easy_setopt(c, CURLOPT_CAINFO, cainfo.c_str());
    curl_easy_setopt(c, CURLOPT_SSLCERT, cert.c_str());
    curl_easy_setopt(c, CURLOPT_SSLKEY, key.c_str());
  }

  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }
  long os_errno = 0;
  curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &os_errno);
  std::string where = fmt::format("GET {}{}", endpoint.uri(), one_line(path_and_query));
  std::string why = error[0] ? error : curl_easy_strerror(rc);
  if (sink.too_large) {
    throw EngineError(EngineFailure::too_large,
                      fmt::format("{}: the answer is larger than {} bytes", where, max_bytes));
  }
  if (os_errno == EACCES || os_errno == EPERM) {
    throw EngineError(EngineFailure::permission_denied,
                      fmt::format("{}: permission denied", endpoint.uri()));
  }
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      throw EngineError(EngineFailure::timeout,
                        fmt::format("{}: no answer within {:.1f} s", where, timeout_seconds));
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      throw EngineError(EngineFailure::unreachable,
                        fmt::format("{}: {}", endpoint.uri(),
                                    os_errno ? std::strerror(static_cast<int>(os_errno)) : why));
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
      throw EngineError(EngineFailure::tls, fmt::format("{}: TLS: {}", where, why));
    default:
      throw EngineError(EngineFailure::bad_answer, fmt::format("{}: {}", where, why));
  }
}

}  // namespace e2e3d::docker::detail
