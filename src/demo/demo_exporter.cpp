// The demo exporter: the job simulation, rendered as the service renders it, served over HTTP.
#include <chrono>
#include <memory>
#include <mutex>
#include <random>

#include <fmt/format.h>

#include "demo/exposition_writer.hpp"
#include "demo/http_server.hpp"
#include "demo/process_metrics.hpp"
#include "demo/simulation.hpp"
#include "e2e3d/catalog.hpp"
#include "e2e3d/demo.hpp"

namespace e2e3d {
namespace {

uint64_t seed_from_clock() {
  std::random_device device;
  uint64_t seed =
      (static_cast<uint64_t>(device()) << 32) ^ device() ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return seed == 0 ? 1 : seed;
}

double unix_seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

demo::SimulationParameters simulation_parameters(const DemoOptions& options) {
  demo::SimulationParameters p;
  p.jobs_per_minute = options.jobs_per_minute;
  p.mean_duration_seconds = options.mean_duration_seconds;
  p.failure_ratio = options.failure_ratio;
  p.initial_jobs = options.initial_jobs;
  p.seed = options.seed != 0 ? options.seed : seed_from_clock();
  return p;
}

}  // namespace

struct DemoExporter::Impl {
  explicit Impl(const DemoOptions& o)
      : options(o),
        simulation(simulation_parameters(o)),
        started(std::chrono::steady_clock::now()),
        // The simulated service started when the back story began: before this process.
        wall_origin(unix_seconds(std::chrono::system_clock::now()) - simulation.present()),
        present_at_start(simulation.present()) {}

  demo::HttpResponse handle(const demo::HttpRequest& request) {
    if (request.path != catalog::kMetricsPath) {
      return {404,
              "text/plain; charset=utf-8",
              fmt::format("Not Found: this demo exporter serves only {}\n", catalog::kMetricsPath),
              {},
              nullptr};
    }
    if (request.method != "GET" && request.method != "HEAD") {
      return {405,
              "text/plain; charset=utf-8",
              fmt::format("Method Not Allowed: use GET or HEAD on {}\n", catalog::kMetricsPath),
              {{"Allow", "GET, HEAD"}},
              nullptr};
    }
    ExpositionFormat format = demo::negotiate_format(request.accept, options.names);
    demo::HttpResponse response;
    response.content_type = std::string(demo::content_type(format));
    auto process = demo::read_process_metrics();
    std::lock_guard lock(mutex);
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    simulation.advance_to(present_at_start + elapsed.count());
    demo::JobsSnapshot snapshot;
    snapshot.success = simulation.completed();
    snapshot.failure = simulation.failed();
    snapshot.total = snapshot.success + snapshot.failure;
    snapshot.active = simulation.active();
    snapshot.created_at = wall_origin;
    snapshot.wall_origin = wall_origin;
    snapshot.jobs = simulation.finished();
    // Scrapes that come while nothing changed share one rendering: a crowd of clients asking
    // for a big exposition costs one buffer and one rendering, not one each.
    auto now = std::chrono::steady_clock::now();
    Rendered& last = rendered[format == ExpositionFormat::openmetrics ? 1 : 0];
    bool same = last.body && now - last.at < kReuseFor && last.total == snapshot.total &&
                last.success == snapshot.success && last.active == snapshot.active &&
                last.jobs == snapshot.jobs.size();
    if (!same) {
      auto body = std::make_shared<std::string>();
      demo::write_exposition(*body, format, options.names, process, snapshot);
      last = Rendered{std::move(body), std::chrono::steady_clock::now(),
                      snapshot.total,  snapshot.success,
                      snapshot.active, snapshot.jobs.size()};
    }
    response.shared_body = last.body;
    return response;
  }

  // The last rendering of each format (text, OpenMetrics), and what it showed.
  struct Rendered {
    std::shared_ptr<const std::string> body;
    std::chrono::steady_clock::time_point at;
    uint64_t total = 0, success = 0, active = 0;
    std::size_t jobs = 0;
  };
  static constexpr std::chrono::seconds kReuseFor{1};
  Rendered rendered[2];

  DemoOptions options;
  std::mutex mutex;  // the simulation advances under it; the server has one thread today
  demo::Simulation simulation;
  std::chrono::steady_clock::time_point started;
  double wall_origin;
  double present_at_start;
  std::unique_ptr<demo::HttpServer> server;  // last: stops before the rest is destroyed
};

DemoExporter::DemoExporter(DemoOptions options) : impl_(std::make_unique<Impl>(options)) {
  Impl* impl = impl_.get();
  impl_->server = std::make_unique<demo::HttpServer>(
      options.bind, options.port,
      [impl](const demo::HttpRequest& request) { return impl->handle(request); });
}

DemoExporter::~DemoExporter() {
  stop();
}

uint16_t DemoExporter::port() const {
  return impl_->server->port();
}

std::string DemoExporter::url() const {
  const auto& server = *impl_->server;
  // A wildcard address cannot be fetched: the URL names the loopback address instead.
  std::string host = server.address();
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (server.ipv6()) host = "[" + host + "]";
  return fmt::format("http://{}:{}{}", host, server.port(), catalog::kMetricsPath);
}

void DemoExporter::stop() {
  impl_->server->stop();
}

}  // namespace e2e3d
