#pragma once
// Sending an instant query to a Prometheus-compatible server (Prometheus, Thanos, Mimir,
// VictoriaMetrics) instead of evaluating it locally.

#include <optional>
#include <string>
#include <string_view>

#include "e2e3d/promql/engine.hpp"

namespace e2e3d::promql {

struct RemoteQuery {
  std::string base_url;  // e.g. http://prometheus:9090 (a trailing /api/v1/query is accepted)
  std::string expr;
  std::optional<double> time_seconds;  // unset: the server's now
  double timeout_seconds = 10;
};

struct RemoteAnswer {
  std::string body;  // the server's JSON body, unchanged
  bool success = false;
  Value value;              // when success
  double time_seconds = 0;  // when success
  std::string error_type;   // otherwise: "bad_data", "execution", ...
  std::string error;        // otherwise: the server's message
};

// GET /api/v1/query. Throws Error(ErrorKind::fetch) when the server cannot be reached or does
// not answer with the API's JSON; an error answer of the API is returned, not thrown.
RemoteAnswer query_remote(const RemoteQuery& query);

// Decodes a /api/v1/query body (throws Error(fetch) when it is not one).
RemoteAnswer decode_api_body(std::string body);

}  // namespace e2e3d::promql
