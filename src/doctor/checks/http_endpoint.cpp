// http.endpoint: `wget --spider` with a diagnosis. Each way a GET can fail names its likely
// cause, because "connection refused" and "404" send the operator to different places.
#include <fmt/format.h>

#include "checks.hpp"

namespace e2e3d::doctor {
namespace {

std::string size_text(uint64_t bytes) {
  if (bytes < 10 * 1024) return fmt::format("{} B", bytes);
  if (bytes < 10 * 1024 * 1024) return fmt::format("{:.1f} KiB", bytes / 1024.0);
  return fmt::format("{:.1f} MiB", bytes / (1024.0 * 1024.0));
}

std::string ms(double seconds) {
  return fmt::format("{:.0f} ms", seconds * 1000);
}

bool is_exposition_type(std::string_view content_type) {
  return content_type.starts_with("text/plain") ||
         content_type.starts_with("application/openmetrics-text");
}

Result failed_fetch(const Context& context, const HttpProbe& h) {
  const auto& url = *context.url();
  std::string where = fmt::format("{}:{}", url.host, url.port);
  const std::string& error = h.error;
  switch (*h.failure) {
    case FetchFailure::bad_url:
      return fail(
          "the URL is not valid", error,
          fmt::format("pass --url http://HOST:{}{}", catalog::kPort, catalog::kMetricsPath));
    case FetchFailure::dns:
      return fail(fmt::format("the host name {} does not resolve", url.host), error,
                  "use a name this machine resolves: the Compose service name inside the "
                  "Docker network, localhost (or the host's name) where the port is published");
    case FetchFailure::refused:
      return fail(fmt::format("connection refused by {}: nothing listens there", where), error,
                  fmt::format("start the service with {}=true; from outside its container, "
                              "publish the port (ports: - \"{}:{}\")",
                              catalog::kEnableMetricsVariable, catalog::kPort, catalog::kPort));
    case FetchFailure::timeout:
      return fail(
          fmt::format("no answer from {} within {} s", where, context.options().timeout_seconds),
          error,
          "either a firewall drops the connection, or a process accepted it and never "
          "answered (a hung server, or another service on the port); check the "
          "process on the port (process.metrics_server) and raise --timeout if it is "
          "only slow");
    case FetchFailure::tls:
      return fail("the TLS handshake failed", error,
                  url.scheme == "https"
                      ? "the service's metrics server speaks plain HTTP: use http://; if a TLS "
                        "proxy is in front, pass --cacert FILE (or --insecure to test)"
                      : "pass --cacert FILE for the server's certificate authority");
    case FetchFailure::http_status: {
      long status = h.http_status;
      if (status == 404) {
        return fail(fmt::format("HTTP 404 Not Found for {}", url.path), error,
                    fmt::format("wrong path (the metrics server serves {}), or another service "
                                "owns port {}: check process.metrics_server",
                                catalog::kMetricsPath, url.port));
      }
      if (status == 401 || status == 403) {
        return fail(fmt::format("HTTP {}: the endpoint wants credentials", status), error,
                    "pass --bearer-token-file FILE or --user USER:PASSWORD (the service's own "
                    "metrics server needs none: is a proxy in front?)");
      }
      if (status >= 500) {
        return fail(fmt::format("HTTP {}: the server failed", status), error,
                    "read the service's logs (docker logs e2e3d-reconstruction-service)");
      }
      return fail(fmt::format("HTTP {}", status), error,
                  fmt::format("the metrics server answers 200 on {}", catalog::kMetricsPath));
    }
    case FetchFailure::too_large:
      return fail("the response is too large", error,
                  "a label with one value per job (job_id) grows without bound; see "
                  "metrics.sanity");
    case FetchFailure::too_many_redirects:
      return fail("too many redirects", error, "point --url at the metrics server itself");
    case FetchFailure::not_exposition:
      return fail(error.find("HTML") != std::string::npos
                      ? "the endpoint answers an HTML page, not metrics"
                      : "the response is not Prometheus metrics",
                  error,
                  fmt::format("another service answers on port {}, or the path is wrong: the "
                              "metrics server serves text/plain on {}",
                              url.port, catalog::kMetricsPath));
    case FetchFailure::bad_option:
      return fail("the fetch options cannot work", error, "fix the option the message names");
    case FetchFailure::none:
    case FetchFailure::read_error:
    case FetchFailure::file:
    case FetchFailure::not_api:
      break;
  }
  return fail("the transfer failed", error,
              "check that the server on the port is the metrics server and is not restarting");
}

}  // namespace

Result check_http_endpoint(Context& context) {
  if (!context.url()) return skip("the input is a file (--file): no HTTP endpoint to test");
  const HttpProbe& h = context.http();
  if (h.failure) {
    Result r = failed_fetch(context, h);
    // docker-proxy accepts and then drops the connection when nothing listens in the
    // container: the transfer's own error hides the cause the container shows.
    const ContainerProbe& container = context.service_container();
    if (container.container && container.container->state.running &&
        context.inside().sockets_readable && context.inside().listening.empty()) {
      r = fail(fmt::format("{}: nothing listens on port {} inside container {}", r.summary,
                           context.inside().port, container.container->name),
               r.detail + fmt::format("\nsource: {} and its network namespace (see "
                                      "port.listening)",
                                      container.source()),
               fmt::format("start the metrics server in the container: {}=true in its "
                           "environment (see env.enable_metrics)",
                           catalog::kEnableMetricsVariable));
    }
    return r;
  }
  const FetchInfo& info = *h.info;
  std::string detail =
      fmt::format("GET {} -> {} in {}, Content-Type: {}, {}", context.target_name(),
                  info.http_status, ms(info.seconds),
                  info.content_type.empty() ? "(none)" : info.content_type, size_text(info.bytes));
  if (info.effective_url != context.target_name() && !info.effective_url.empty()) {
    detail += fmt::format("\nredirected to {}", info.effective_url);
  }
  if (info.content_type.starts_with("text/html")) {
    return fail("the endpoint answers HTML, not metrics", detail,
                fmt::format("another service (a web UI or proxy) answers on port {}, or the path "
                            "is wrong; the metrics server serves text/plain on {}",
                            context.url()->port, catalog::kMetricsPath));
  }
  if (h.body.empty()) {
    return fail("the endpoint answers an empty body", detail,
                "the server on the port is not a Prometheus exporter, or it has no metrics "
                "registered");
  }
  if (!is_exposition_type(info.content_type)) {
    return warn(fmt::format("unexpected Content-Type {}",
                            info.content_type.empty() ? std::string("(none)") : info.content_type),
                detail,
                "Prometheus expects text/plain; version=0.0.4 or application/openmetrics-text; "
                "check that the endpoint is the metrics server");
  }
  if (info.seconds > 1.0) {
    return warn(fmt::format("slow: {} answered in {}", info.http_status, ms(info.seconds)), detail,
                "a scrape this slow risks Prometheus's scrape_timeout (10s by default); look "
                "for a huge response or a blocked server");
  }
  return pass(fmt::format("HTTP {} in {}, {}, {}", info.http_status, ms(info.seconds),
                          info.content_type, size_text(info.bytes)),
              detail);
}

}  // namespace e2e3d::doctor
