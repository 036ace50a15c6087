#pragma once
// The value a Prometheus-compatible server (Prometheus, Thanos, Mimir, VictoriaMetrics) gave
// for an instant query, read from the "data" of its /api/v1/query answer (the request itself
// is PrometheusApi::query, in prometheus_api.hpp).

#include "e2e3d/json_fields.hpp"
#include "e2e3d/promql/engine.hpp"

namespace e2e3d::promql {

struct RemoteValue {
  Value value;
  double time_seconds = 0;  // the evaluation time the server reports
};

// Decodes {"resultType": ..., "result": ...} of a successful answer (vector, scalar, string).
// Throws Error(ErrorKind::fetch) naming what is malformed, and Error(ErrorKind::eval) for a
// matrix, which an instant query does not render.
RemoteValue decode_query_data(const json_fields::Json& data);

}  // namespace e2e3d::promql
