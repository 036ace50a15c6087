#pragma once
// What tests need to run a real Prometheus and talk to it.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace e2e3d::test {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

// A GET with a 10 s timeout; nullopt when no answer came.
std::optional<HttpAnswer> http_get(const std::string& url);

// Percent-encoding for a query parameter.
std::string escape(const std::string& text);

// An API body with the series of its result sorted, for the queries whose order Prometheus takes
// from a Go map (random from one query to the next); any other body as it is.
std::string with_sorted_series(const std::string& body);

// Starts /usr/bin/prometheus with DIR/prometheus.yml and its TSDB in DIR/data, listening on
// 127.0.0.1:PORT, and waits until it is ready (the test fails after 30 s, with its stderr).
std::unique_ptr<ChildProcess> start_prometheus(const std::string& dir, int port,
                                               const std::vector<std::string>& extra_args = {});

}  // namespace e2e3d::test
