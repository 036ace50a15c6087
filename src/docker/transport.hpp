#pragma once
// One GET to the engine's endpoint. The seam between the Engine API client and libcurl: the
// client knows paths and versions, this knows sockets, TLS and limits.

#include <cstddef>
#include <string>
#include <string_view>

#include "e2e3d/docker/endpoint.hpp"
#include "e2e3d/docker/engine_client.hpp"

namespace e2e3d::docker::detail {

// GETs `path_and_query` (starting with '/') from `endpoint` within `timeout_seconds`, refusing
// a body over `max_bytes`. Any HTTP status is returned; a transfer that fails throws
// EngineError with the failure classified (a missing socket, a refused permission, a timeout).
EngineResponse engine_get(const Endpoint& endpoint, std::string_view path_and_query,
                          double timeout_seconds, std::size_t max_bytes);

}  // namespace e2e3d::docker::detail
