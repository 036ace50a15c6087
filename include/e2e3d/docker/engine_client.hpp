#pragma once
// A read-only client of the Docker Engine API (and Podman's compatible one): GET requests only,
// over the endpoint's Unix socket or TCP, each bounded in time and bytes. The API version is
// negotiated once, as Docker's own clients do, so one binary talks to old and new daemons.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "e2e3d/docker/endpoint.hpp"
#include "e2e3d/error.hpp"

namespace e2e3d::docker {

// Why a request failed, so callers can tell "no runtime here" from "not allowed" from a bug.
enum class EngineFailure {
  unreachable,        // no such socket, connection refused, host unknown
  permission_denied,  // the socket exists and refuses us (not in the docker group)
  timeout,
  tls,
  http_status,  // the daemon answered with an error status (its message is in what())
  too_large,
  bad_answer,  // not the JSON, tar or log stream the endpoint returns
};

class EngineError : public Error {
 public:
  EngineError(EngineFailure failure, const std::string& message, long http_status = 0)
      : Error(ErrorKind::fetch, message), failure_(failure), http_status_(http_status) {}
  EngineFailure failure() const noexcept { return failure_; }
  long http_status() const noexcept { return http_status_; }

 private:
  EngineFailure failure_;
  long http_status_;
};

struct EngineResponse {
  long status = 0;
  std::string body;
  std::string api_version;  // the Api-Version header, when the daemon sent one
  std::string server;       // the Server header ("Docker/20.10.24 (linux)", "Libpod/4.3.1 ...")
};

class EngineClient {
 public:
  // The API version used when the daemon names none (the oldest any current daemon accepts).
  static constexpr std::string_view kFallbackVersion = "1.24";
  // The newest version whose fields we read; a newer daemon is spoken to in this one.
  static constexpr std::string_view kMaxVersion = "1.43";

  explicit EngineClient(Endpoint endpoint);

  const Endpoint& endpoint() const { return endpoint_; }
  // `GET /_ping`: the daemon's version from its Api-Version header, else `GET /version`; then
  // the lower of the daemon's and kMaxVersion, raised to the daemon's MinAPIVersion. Throws
  // EngineError.
  void negotiate(double timeout_seconds);
  const std::string& api_version() const { return api_version_; }
  // "Docker 20.10.24", "Podman 4.3.1": for messages.
  const std::string& engine() const { return engine_; }

  // GET /v<version><path_and_query>. Any status is returned; a transfer that fails throws.
  EngineResponse get(std::string_view path_and_query, double timeout_seconds,
                     std::size_t max_bytes) const;
  // The same, but a status other than 200 throws EngineError (http_status) with the daemon's
  // own message ("No such container: x").
  std::string get_ok(std::string_view path_and_query, double timeout_seconds,
                     std::size_t max_bytes) const;

 private:
  Endpoint endpoint_;
  std::string api_version_ = std::string(kFallbackVersion);
  std::string engine_ = "the container runtime";
};

// "1.41" < "1.9" is false: versions compare by their numbers.
int compare_api_versions(std::string_view a, std::string_view b);

}  // namespace e2e3d::docker
