#include "e2e3d/promql/remote.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "promql/go_text.hpp"

namespace e2e3d::promql {
namespace {

std::string url_encode(CURL* curl, std::string_view text) {
  char* encoded = curl_easy_escape(curl, text.data(), static_cast<int>(text.size()));
  std::string out = encoded ? encoded : "";
  curl_free(encoded);
  return out;
}

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() > 256u * 1024u * 1024u) return 0;  // a runaway answer: stop
  body->append(data, size * n);
  return size * n;
}

double parse_number(const nlohmann::json& j) {
  if (j.is_number()) return j.get<double>();
  auto v = parse_go_float(j.get<std::string>());
  if (!v)
    throw Error(ErrorKind::parse, fmt::format("the server's answer has a bad value {}", j.dump()));
  return *v;
}

}  // namespace

RemoteAnswer decode_api_body(std::string body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("status")) {
    throw Error(ErrorKind::fetch,
                "the server did not answer with Prometheus's query API JSON; check that the URL "
                "is the server's base URL (e.g. http://prometheus:9090)");
  }
  RemoteAnswer answer;
  if (j["status"] != "success") {
    answer.error_type = j.value("errorType", "");
    answer.error = j.value("error", "unknown error");
    answer.body = std::move(body);
    return answer;
  }
  answer.success = true;
  const auto& data = j.at("data");
  std::string type = data.at("resultType");
  const auto& result = data.at("result");
  if (type == "scalar") {
    answer.time_seconds = result.at(0).get<double>();
    answer.value = Scalar{parse_number(result.at(1))};
  } else if (type == "string") {
    answer.time_seconds = result.at(0).get<double>();
    answer.value = String{result.at(1).get<std::string>()};
  } else if (type == "vector") {
    Vector v;
    for (const auto& item : result) {
      Sample s;
      for (const auto& [k, val] : item.at("metric").items())
        s.metric.emplace_back(k, val.get<std::string>());
      std::sort(s.metric.begin(), s.metric.end());
      answer.time_seconds = item.at("value").at(0).get<double>();
      s.value = parse_number(item.at("value").at(1));
      v.push_back(std::move(s));
    }
    answer.value = std::move(v);
  } else {
    throw Error(ErrorKind::eval,
                fmt::format("the server answered with a {} result; only instant queries (vector, "
                            "scalar, string) are rendered",
                            type));
  }
  answer.body = std::move(body);
  return answer;
}

RemoteAnswer query_remote(const RemoteQuery& query) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) throw Error(ErrorKind::fetch, "could not initialise libcurl");
  std::string base = query.base_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  if (!base.ends_with("/api/v1/query")) base += "/api/v1/query";
  std::string url = base + "?query=" + url_encode(curl.get(), query.expr);
  if (query.time_seconds) url += "&time=" + format_float_f(*query.time_seconds);
  std::string body;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(query.timeout_seconds * 1000));
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl.get(), CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    throw Error(ErrorKind::fetch,
                fmt::format("could not query {}: {}; check the --prometheus URL and that the "
                            "server is up",
                            base, error[0] ? error : curl_easy_strerror(code)));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  // The API answers errors with 400/422/503 and a JSON body that says why.
  if (status >= 300 && body.find("\"status\"") == std::string::npos) {
    throw Error(ErrorKind::fetch, fmt::format("{} answered HTTP {}; is it a Prometheus-compatible "
                                              "query API?",
                                              base, status));
  }
  return decode_api_body(std::move(body));
}

}  // namespace e2e3d::promql
