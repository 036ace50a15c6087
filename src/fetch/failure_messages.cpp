#include "fetch/failure_messages.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "e2e3d/catalog.hpp"
#include "fetch/body_sniffer.hpp"
#include "fetch/safe_text.hpp"

namespace e2e3d::fetch_detail {
namespace {

std::string bytes_text(uint64_t bytes) {
  return bytes == 1 ? std::string("1 byte") : fmt::format("{} bytes", bytes);
}

// "cannot fetch URL" or "cannot fetch URL (redirected to URL2)": every message starts so.
std::string subject(const TransferFacts& facts) {
  if (!facts.effective_url.empty() && facts.effective_url != facts.target.url &&
      facts.redirects > 0) {
    return fmt::format("cannot fetch {} (redirected to {})", one_line(facts.target.url),
                       one_line(facts.effective_url));
  }
  return fmt::format("cannot fetch {}", one_line(facts.target.url));
}

// Where the server is: host:port, or the Unix socket's path.
std::string where(const TransferFacts& facts) {
  if (!facts.unix_socket.empty()) {
    return fmt::format("the Unix socket {}", one_line(facts.unix_socket));
  }
  return facts.target.host_port();
}

std::string libcurl_says(const TransferFacts& facts) {
  return facts.curl_detail.empty() ? std::string()
                                   : fmt::format(" (libcurl: {})", facts.curl_detail);
}

FetchError refused(const TransferFacts& facts) {
  if (facts.api) {
    return FetchError(FetchFailure::refused,
                      fmt::format("{}: connection refused: nothing is listening on {}. Check the "
                                  "address given with {}",
                                  subject(facts), where(facts), facts.url_option));
  }
  return FetchError(
      FetchFailure::refused,
      fmt::format("{}: connection refused: nothing is listening on {}. Is the service running with "
                  "{}={}, and is the port right (the service serves /metrics on port {})? (see "
                  "'e2e3d-metrics doctor')",
                  subject(facts), facts.target.host_port(), catalog::kEnableMetricsVariable,
                  catalog::kEnableMetricsValue, catalog::kPort));
}

FetchError cannot_connect(const TransferFacts& facts) {
  if (facts.os_errno == ECONNREFUSED) return refused(facts);
  if (facts.os_errno == EMFILE || facts.os_errno == ENFILE) {
    return FetchError(FetchFailure::read_error,
                      fmt::format("{}: this process has no file descriptor left to connect to {} "
                                  "({}). Lower --parallel, or raise the limit (ulimit -n)",
                                  subject(facts), where(facts), std::strerror(facts.os_errno)));
  }
  std::string why = facts.os_errno != 0 ? std::strerror(facts.os_errno) : "connection failed";
  if (!facts.unix_socket.empty()) {
    return FetchError(FetchFailure::refused,
                      fmt::format("{}: cannot connect to {}: {}{}. Check that the server runs "
                                  "and that this user may open the socket",
                                  subject(facts), where(facts), why, libcurl_says(facts)));
  }
  return FetchError(
      FetchFailure::refused,
      fmt::format("{}: cannot connect to {}: {}{}. Check the host and port in {}, "
                  "and that no firewall blocks the way",
                  subject(facts), where(facts), why, libcurl_says(facts), facts.url_option));
}

}  // namespace

FetchError timeout_failure(const TransferFacts& facts, const FetchOptions& options) {
  std::string total = seconds_text(options.timeout_seconds);
  double connect_limit = std::min(options.connect_timeout_seconds, options.timeout_seconds);
  std::string why;
  std::string fix;
  if (facts.curl_detail.find("Resolving timed out") != std::string::npos) {
    why = fmt::format("resolving the host name '{}' did not finish within {}",
                      one_line(facts.target.host), total);
    fix = "The DNS server is slow or unreachable: check the host name, or raise --timeout";
  } else if (!facts.connected) {
    bool connect_limit_hit = connect_limit < options.timeout_seconds &&
                             facts.elapsed_seconds < options.timeout_seconds - 0.05;
    why = connect_limit_hit
              ? fmt::format(
                    "no connection to {} within the connect timeout of {} (--connect-timeout)",
                    facts.target.host_port(), seconds_text(connect_limit))
              : fmt::format("no connection to {} within the timeout of {} (--timeout)",
                            facts.target.host_port(), total);
    fix =
        "The host is down, overloaded, or a firewall drops the packets; raise --connect-timeout "
        "if the network is just slow";
  } else if (facts.target.scheme == "https" && !facts.tls_done) {
    why = fmt::format("the TLS handshake with {} did not finish within {} (--timeout)",
                      facts.target.host_port(), total);
    fix = "Is the server really speaking TLS on this port? Raise --timeout if it is just slow";
  } else if (facts.status == 0) {
    why = fmt::format("connected to {}, but no response came within {} (--timeout)",
                      facts.target.host_port(), total);
    fix = fmt::format(
        "The server accepted the connection and never answered: is {} stuck? Raise "
        "--timeout if it is just slow",
        facts.api ? "it" : "the service");
  } else {
    why = fmt::format("the body did not finish within {} (--timeout): {} received so far", total,
                      bytes_text(facts.bytes));
    // A few bytes in the whole time is a stuck server; megabytes are a big scrape (or a slow
    // consumer) that just needs more time.
    fix = facts.bytes < 64 * 1024
              ? "The server sends very slowly: is it stuck? Raise --timeout if it is just slow"
              : fmt::format(
                    "The {} is large or the link slow: raise --timeout (and --max-bytes if "
                    "needed)",
                    facts.api ? "answer" : "scrape");
  }
  return FetchError(FetchFailure::timeout,
                    fmt::format("{}: timed out: {}. {}", subject(facts), why, fix));
}

namespace {

FetchError tls_failure(CURLcode code, const TransferFacts& facts, const FetchOptions& options) {
  std::string detail = facts.curl_detail;
  if (code == CURLE_SSL_CONNECT_ERROR &&
      (detail.find("wrong version number") != std::string::npos ||
       detail.find("packet length too long") != std::string::npos)) {
    return FetchError(
        FetchFailure::tls,
        fmt::format("{}: TLS handshake failed: the server on {} does not speak TLS{}. "
                    "Use http:// instead of https://",
                    subject(facts), facts.target.host_port(), libcurl_says(facts)));
  }
  if (code == CURLE_PEER_FAILED_VERIFICATION) {
    return FetchError(
        FetchFailure::tls,
        fmt::format(
            "{}: TLS certificate verification failed{}. Pass the CA that signed the server's "
            "certificate with --cacert FILE{}, or --insecure for a test only",
            subject(facts), libcurl_says(facts),
            options.cacert ? fmt::format(" (the one given, {}, did not)", one_line(*options.cacert))
                           : ""));
  }
  if (code == CURLE_SSL_CACERT_BADFILE) {
    return FetchError(
        FetchFailure::tls,
        fmt::format("{}: the CA file given with --cacert cannot be used{}. Give a PEM file "
                    "with the CA certificate",
                    subject(facts), libcurl_says(facts)));
  }
  return FetchError(
      FetchFailure::tls,
      fmt::format("{}: TLS error: {}{}. Check the server's TLS setup, --cacert, or use "
                  "--insecure for a test only",
                  subject(facts), curl_easy_strerror(code), libcurl_says(facts)));
}

FetchError read_failure(CURLcode code, const TransferFacts& facts) {
  std::string why;
  switch (code) {
    case CURLE_GOT_NOTHING:
      why = fmt::format(
          "the server on {} closed the connection without answering. Is another kind "
          "of service listening on this port, or is it crashing?",
          facts.target.host_port());
      break;
    case CURLE_PARTIAL_FILE:
      why = fmt::format(
          "the body was cut off after {}: the connection closed before the end "
          "of the response{}. Did the {} crash or restart? Try again",
          bytes_text(facts.bytes), libcurl_says(facts), facts.api ? "server" : "exporter");
      break;
    case CURLE_BAD_CONTENT_ENCODING:
      why = fmt::format(
          "the compressed body could not be decoded{}. The server (or a proxy in front "
          "of it) sends a corrupt compressed body",
          libcurl_says(facts));
      break;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
      why = fmt::format(
          "the answer from {} is not HTTP{}. Is another kind of service listening on "
          "this port?",
          facts.target.host_port(), libcurl_says(facts));
      break;
    default:
      if (facts.curl_detail.find("Too large response headers") != std::string::npos) {
        why = fmt::format(
            "the response headers from {} are larger than libcurl accepts{}. "
            "Is another kind of service listening on this port?",
            facts.target.host_port(), libcurl_says(facts));
        break;
      }
      why = fmt::format(
          "the transfer broke off after {}: {}{}. Try again; if it persists, "
          "check the network and the {}",
          bytes_text(facts.bytes), curl_easy_strerror(code), libcurl_says(facts),
          facts.api ? "server" : "service");
  }
  return FetchError(FetchFailure::read_error, fmt::format("{}: {}", subject(facts), why));
}

}  // namespace

std::string seconds_text(double seconds) {
  if (seconds < 1) return fmt::format("{:g} ms", seconds * 1000);
  return fmt::format("{:g} s", seconds);
}

FetchError curl_failure(CURLcode code, const TransferFacts& facts, const FetchOptions& options) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
      return FetchError(FetchFailure::dns,
                        fmt::format("{}: cannot resolve the host name '{}': no such host (DNS){}. "
                                    "Check the host in {} (inside Docker Compose, use the "
                                    "service's name)",
                                    subject(facts), one_line(facts.target.host),
                                    libcurl_says(facts), facts.url_option));
    case CURLE_COULDNT_RESOLVE_PROXY:
      return FetchError(FetchFailure::dns,
                        fmt::format("{}: cannot resolve the proxy's host name{}. Check the proxy "
                                    "variables (http_proxy, https_proxy), or exclude this host "
                                    "with no_proxy",
                                    subject(facts), libcurl_says(facts)));
    case CURLE_COULDNT_CONNECT:
      return cannot_connect(facts);
    case CURLE_OPERATION_TIMEDOUT:
      return timeout_failure(facts, options);
    case CURLE_TOO_MANY_REDIRECTS:
      return FetchError(
          FetchFailure::too_many_redirects,
          fmt::format("{}: more than {} redirects (the last to {}): a redirect loop? "
                      "Point {} at the final address{}",
                      subject(facts), options.max_redirects, one_line(facts.effective_url),
                      facts.url_option, facts.api ? "" : " of /metrics"));
    case CURLE_FILESIZE_EXCEEDED:
      return too_large_failure(facts, options);
    case CURLE_URL_MALFORMAT:
      return FetchError(FetchFailure::bad_url,
                        fmt::format("{}: the URL is not valid{}; write it like "
                                    "http://localhost:9101/metrics",
                                    subject(facts), libcurl_says(facts)));
    case CURLE_UNSUPPORTED_PROTOCOL:
      if (facts.curl_detail.find("HTTP/0.9") != std::string::npos) return read_failure(code, facts);
      return FetchError(FetchFailure::bad_url,
                        fmt::format("{}: a redirect led to a URL that is neither http:// nor "
                                    "https://{}; only those are followed. Point {} at the "
                                    "final address{}",
                                    subject(facts), libcurl_says(facts), facts.url_option,
                                    facts.api ? "" : " of /metrics"));
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
      return tls_failure(code, facts, options);
    default:
      return read_failure(code, facts);
  }
}

FetchError http_status_failure(const TransferFacts& facts) {
  long status = facts.status;
  std::string status_text = facts.reason.empty() ? fmt::format("HTTP {}", status)
                                                 : fmt::format("HTTP {} {}", status, facts.reason);
  std::string why;
  if (status == 404 && facts.api) {
    why = fmt::format(
        "nothing is served at {} on {}: is {} the server's base URL (with its path prefix, if it "
        "runs under one)?",
        one_line(facts.target.path), where(facts), facts.url_option);
  } else if (status == 404) {
    why = fmt::format(
        "nothing is served at {} on {}: a wrong path, or another service on this "
        "port. The E2E3D service serves {} on port {} (see 'e2e3d-metrics doctor')",
        one_line(facts.target.path), facts.target.host_port(), catalog::kMetricsPath,
        catalog::kPort);
  } else if (status == 401) {
    why = facts.sent_credentials
              ? "the credentials sent were not accepted: check --bearer-token-file or --user"
              : "the endpoint requires credentials: pass --bearer-token-file FILE or --user "
                "USER:PASSWORD";
  } else if (status == 403) {
    why = facts.sent_credentials
              ? "the credentials sent are not allowed to read this endpoint: check "
                "--bearer-token-file or --user"
              : "access is forbidden without credentials: pass --bearer-token-file FILE or --user "
                "USER:PASSWORD";
  } else if (status == 407) {
    why =
        "the proxy requires credentials: put them in the proxy variable "
        "(http_proxy=http://USER:PASSWORD@HOST:PORT), or exclude this host with no_proxy";
  } else if (facts.api && status >= 500) {
    why = "the server failed to answer: check its logs";
  } else if (status == 502 || status == 503 || status == 504) {
    why =
        "a proxy or load balancer answered because the exporter behind it is unavailable: is the "
        "service running and healthy?";
  } else if (status >= 500) {
    why = "the exporter failed while producing the metrics: check the service's logs";
  } else if (status >= 400) {
    why = fmt::format("the server rejected the request: check {} and the headers given with -H",
                      facts.url_option);
  } else if (status >= 300) {
    why = fmt::format("a redirect without a Location header: point {} at the final address{}",
                      facts.url_option, facts.api ? "" : " of /metrics");
  } else {
    why = "the server did not answer with a successful status";
  }
  return FetchError(FetchFailure::http_status,
                    fmt::format("{}: {}: {}", subject(facts), status_text, why), status);
}

FetchError too_large_failure(const TransferFacts& facts, const FetchOptions& options) {
  if (facts.api) {
    return FetchError(
        FetchFailure::too_large,
        fmt::format("{}: the answer is larger than the limit of {} bytes (--max-bytes) and was "
                    "not read further. Raise --max-bytes if it really is that large",
                    subject(facts), options.max_bytes));
  }
  return FetchError(
      FetchFailure::too_large,
      fmt::format("{}: the body is larger than the limit of {} bytes (--max-bytes) and "
                  "was not read further. Raise --max-bytes if the scrape really is "
                  "that large (a series per job id grows without bound)",
                  subject(facts), options.max_bytes));
}

FetchError not_exposition_failure(const TransferFacts& facts, std::string_view what,
                                  bool from_content_type) {
  std::string evidence = from_content_type
                             ? fmt::format(" (Content-Type: {})", one_line(facts.content_type, 80))
                             : std::string();
  return FetchError(FetchFailure::not_exposition,
                    fmt::format("{}: this looks like {}, not Prometheus metrics{}. {}",
                                subject(facts), what, evidence, advice_for(what)));
}

}  // namespace e2e3d::fetch_detail
