// target_from_url: the URL to fetch and the instance/job labels Prometheus would give it.
#include <catch2/catch.hpp>

#include "e2e3d/fleet.hpp"

using namespace e2e3d;
using Labels = std::map<std::string, std::string>;

TEST_CASE("target_from_url: host and port alone become http and /metrics", "[fleet][target]") {
  FleetTarget t = target_from_url("localhost:9101", "e2e3d");
  CHECK(t.url == "http://localhost:9101/metrics");
  CHECK(t.labels == Labels{{"instance", "localhost:9101"}, {"job", "e2e3d"}});

  // Not FTP, as libcurl's own guess would make it.
  CHECK(target_from_url("ftp.example.com:21", "j").url == "http://ftp.example.com:21/metrics");
  CHECK(target_from_url("http://h:1?x=1", "j").url == "http://h:1/metrics?x=1");
}

TEST_CASE("target_from_url: the instance carries the scheme's port when the URL has none",
          "[fleet][target]") {
  CHECK(target_from_url("http://host.example", "j").labels.at("instance") == "host.example:80");
  CHECK(target_from_url("http://host.example", "j").url == "http://host.example/metrics");
  CHECK(target_from_url("https://host.example/custom/path", "j").labels.at("instance") ==
        "host.example:443");
  CHECK(target_from_url("https://host.example/custom/path", "j").url ==
        "https://host.example/custom/path");
  CHECK(target_from_url("http://[::1]:9101/metrics", "j").labels.at("instance") == "[::1]:9101");
  CHECK(target_from_url("http://10.0.0.7:9101/", "j").url == "http://10.0.0.7:9101/");
}

TEST_CASE("target_from_url: credentials stay in the URL, never in a label", "[fleet][target]") {
  FleetTarget t = target_from_url("http://user:s3cret@h.example:9101/metrics", "e2e3d");
  CHECK(t.url == "http://user:s3cret@h.example:9101/metrics");
  CHECK(t.labels == Labels{{"instance", "h.example:9101"}, {"job", "e2e3d"}});
}

TEST_CASE("target_from_url: no job label for an empty job", "[fleet][target]") {
  CHECK(target_from_url("h:1", "").labels == Labels{{"instance", "h:1"}});
}

TEST_CASE("target_from_url: a URL that cannot be fetched is refused as --url refuses it",
          "[fleet][target]") {
  auto failure_of = [](std::string_view url) -> std::string {
    try {
      target_from_url(url, "j");
    } catch (const FetchError& e) {
      CHECK(e.failure() == FetchFailure::bad_url);
      return e.what();
    }
    return "";
  };
  CHECK_THAT(failure_of("ftp://h.example/metrics"),
             Catch::Contains("only http:// and https:// URLs are supported, not ftp://"));
  CHECK_THAT(failure_of(""), Catch::Contains("the URL is empty"));
  CHECK_THAT(failure_of("http://h.example:99999999/metrics"),
             Catch::Contains("the URL is not valid"));
}
