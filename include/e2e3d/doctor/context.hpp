#pragma once
// What the checks share: the options and the probes several checks need (the fetch of the
// URL, its parsed scrape, the listening-socket table and the process that owns the service's
// socket). Probes run lazily, once, on the first check that asks; checks run concurrently, so
// every accessor is thread-safe and a second caller waits for the first one's result.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "e2e3d/doctor/containers.hpp"
#include "e2e3d/doctor/options.hpp"
#include "e2e3d/error.hpp"
#include "e2e3d/fetch.hpp"
#include "e2e3d/scrape.hpp"
#include "e2e3d/sys/sockets.hpp"

namespace e2e3d::doctor {

// The parts of the target URL the checks reason about.
struct UrlParts {
  std::string scheme;  // "http", "https"
  std::string host;    // without brackets for IPv6 literals
  uint16_t port = 0;   // explicit, or the scheme's default
  std::string path;    // "/metrics" (query string included)
};
// Throws e2e3d::Error (config) for a URL that is not scheme://host[:port][/path], naming the
// option that gave it.
UrlParts parse_url(std::string_view url, std::string_view option = "--url");

// The GET of the target URL (or the read of the file), body kept for parsing and lint.
struct HttpProbe {
  bool from_file = false;
  std::optional<FetchInfo> info;  // set when the transfer completed
  std::string body;
  std::optional<FetchFailure> failure;  // set when it did not
  long http_status = 0;
  std::string error;  // the fetch error's message
  double seconds = 0;
};

struct ScrapeProbe {
  std::optional<Scrape> scrape;  // set when the body parsed
  std::string error;             // the parse error's message otherwise
  Position position;
};

struct SocketProbe {
  std::string socket_error;                     // the socket table could not be read
  std::vector<sys::ListeningSocket> listening;  // sockets on the URL's port
};

// Finding the owner walks every process's descriptors: slower, so a probe of its own.
struct OwnerProbe {
  std::string socket_error;
  std::vector<sys::ListeningSocket> listening;
  std::optional<pid_t> pid;  // the process owning one of the sockets
  std::vector<std::string> cmdline;
};

class Context {
 public:
  explicit Context(Options options);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const Options& options() const { return options_; }
  // nullopt when the source is a file; the URL otherwise (parse errors throw from the ctor).
  const std::optional<UrlParts>& url() const { return url_; }
  // The URL with credentials removed, or the file path: for messages.
  const std::string& target_name() const { return target_name_; }

  // The run's deadline: probes give their network calls only the time that is left.
  std::chrono::steady_clock::time_point deadline() const { return deadline_; }
  double seconds_left() const;
  double now_unix_seconds() const;

  // The environment doctor itself runs in.
  const std::vector<std::pair<std::string, std::string>>& own_environment() const {
    return own_environment_;
  }

  const HttpProbe& http();
  const ScrapeProbe& scrape();
  const SocketProbe& sockets();
  const OwnerProbe& owner();
  // Whether the URL's host is this machine (so its sockets and processes are ours to read);
  // nullopt when the source is a file.
  std::optional<bool> url_host_is_local();

  // The container runtime and what it shows (containers.hpp); every call bounded by the run's
  // deadline. Without a runtime every probe below is empty and says why.
  const RuntimeProbe& runtime();
  const ContainerProbe& service_container();
  const ContainerProbe& prometheus_container();
  const InsideProbe& inside();
  const LogProbe& service_logs();
  const LogProbe& prometheus_logs();
  // The Prometheus container's configuration file, when no --prometheus-config is given.
  const PrometheusFileProbe& prometheus_file();
  // The Prometheus HTTP API: --prometheus, else the Prometheus container's address; "" when
  // neither is known. `origin` says which, for messages.
  std::string prometheus_api(std::string* origin = nullptr);

 private:
  Options options_;
  std::optional<UrlParts> url_;
  std::string target_name_;
  std::chrono::steady_clock::time_point deadline_;
  std::vector<std::pair<std::string, std::string>> own_environment_;

  std::once_flag http_once_, scrape_once_, sockets_once_, owner_once_, local_once_;
  HttpProbe http_;
  ScrapeProbe scrape_;
  SocketProbe sockets_;
  OwnerProbe owner_;
  std::optional<bool> local_;

  std::once_flag runtime_once_, service_once_, prometheus_once_, inside_once_, service_logs_once_,
      prometheus_logs_once_, prometheus_file_once_;
  RuntimeProbe runtime_;
  ContainerProbe service_;
  ContainerProbe prometheus_;
  InsideProbe inside_;
  LogProbe service_logs_;
  LogProbe prometheus_logs_;
  PrometheusFileProbe prometheus_file_;
};

}  // namespace e2e3d::doctor
