#include "support/prometheus_http.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

namespace e2e3d::test {
namespace {

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

}  // namespace

std::optional<HttpAnswer> http_get(const std::string& url) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  HttpAnswer answer;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  if (curl_easy_perform(curl.get()) != CURLE_OK) return std::nullopt;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &answer.status);
  return answer;
}

std::string escape(const std::string& text) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  char* e = curl_easy_escape(curl.get(), text.data(), static_cast<int>(text.size()));
  std::string out = e;
  curl_free(e);
  return out;
}

std::string with_sorted_series(const std::string& body) {
  using nlohmann::json;
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || parsed.value("status", "") != "success") return body;
  json& result = parsed["data"]["result"];
  if (result.is_array() && !result.empty() && result[0].is_object()) {
    std::sort(result.begin(), result.end(),
              [](const json& a, const json& b) { return a.dump() < b.dump(); });
  }
  return parsed.dump();
}

std::unique_ptr<ChildProcess> start_prometheus(const std::string& dir, int port,
                                               const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv{"/usr/bin/prometheus", "--config.file=" + dir + "/prometheus.yml",
                                "--storage.tsdb.path=" + dir + "/data",
                                "--web.listen-address=127.0.0.1:" + std::to_string(port),
                                "--log.level=warn"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto prometheus = std::make_unique<ChildProcess>(argv);
  std::string ready_url = "http://127.0.0.1:" + std::to_string(port) + "/-/ready";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    auto ready = http_get(ready_url);
    if (ready && ready->status == 200) return prometheus;
    REQUIRE(prometheus->running());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL("Prometheus did not become ready: " << prometheus->stderr_text());
  return prometheus;
}

}  // namespace e2e3d::test
