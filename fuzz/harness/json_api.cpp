// The readers of a Prometheus HTTP API answer on arbitrary bytes: the envelope, the targets of
// /api/v1/targets (--from-prometheus, doctor's prometheus.target) and a query's data (query
// --prometheus). The first byte picks the HTTP status the body came with (2xx or an error).
#include "e2e3d/prometheus_api.hpp"
#include "e2e3d/promql/remote.hpp"
#include "support.hpp"

namespace e2e3d::fuzz {
namespace {

constexpr std::string_view kTarget = "fuzz_json_api";

}  // namespace

void json_api_input(std::string_view data) {
  if (data.empty()) return;
  long status = data[0] & 1 ? 422 : 200;
  PrometheusAnswer answer;
  try {
    answer = decode_prometheus_answer(std::string(data.substr(1)), status);
  } catch (const e2e3d::Error& e) {
    check_error_message(e, kTarget);
    return;
  }
  try {
    (void)decode_active_targets(answer);
  } catch (const e2e3d::Error& e) {
    check_error_message(e, kTarget);
  }
  if (!answer.success) return;
  try {
    (void)promql::decode_query_data(answer.data);
  } catch (const e2e3d::Error& e) {
    check_error_message(e, kTarget);
  }
}

}  // namespace e2e3d::fuzz
