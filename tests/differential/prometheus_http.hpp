#pragma once
// The little HTTP the differential tests need to talk to a real Prometheus.

#include <optional>
#include <string>

namespace e2e3d::test {

struct HttpAnswer {
  long status = 0;
  std::string body;
};

// A GET with a 10 s timeout; nullopt when no answer came.
std::optional<HttpAnswer> http_get(const std::string& url);

// Percent-encoding for a query parameter.
std::string escape(const std::string& text);

}  // namespace e2e3d::test
