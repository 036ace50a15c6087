#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "doctor_test_support.hpp"
#include "e2e3d/error.hpp"

using namespace e2e3d;
using namespace e2e3d::doctor;
using namespace e2e3d::doctor::test;

TEST_CASE("runner: a file source runs the scrape checks and skips the network ones",
          "[doctor][runner]") {
  auto report = run(options_for_file(fixture_path("e2e3d_python.txt")));
  REQUIRE(report.results.size() == checks().size());
  for (size_t i = 0; i < checks().size(); ++i)
    CHECK(report.results[i].id == checks()[i].id);
  CHECK(by_id(report, "env.enable_metrics").status == Status::skip);
  CHECK(by_id(report, "port.listening").status == Status::skip);
  CHECK(by_id(report, "http.endpoint").status == Status::skip);
  CHECK(by_id(report, "prometheus.config").status == Status::skip);
  CHECK(has(by_id(report, "prometheus.config").summary, "--prometheus-config"));
  CHECK(has(by_id(report, "prometheus.target").summary, "--prometheus URL"));
  CHECK(by_id(report, "exposition.valid").status == Status::pass);
  // The Python client's _total drift: a warning with the fix, not a failure.
  CHECK(by_id(report, "metrics.documented").status == Status::warn);
  CHECK(by_id(report, "metrics.sanity").status == Status::pass);
  CHECK(report.status == Status::warn);
  CHECK(report.exit_code == 1);
}

TEST_CASE("runner: a failed prerequisite skips its dependents with the reason",
          "[doctor][runner]") {
  TempFile bad("# TYPE x counter\nx{a=\"1\" 1\n");
  auto report = run(options_for_file(bad.path));
  const auto& parse = by_id(report, "exposition.valid");
  CHECK(parse.status == Status::fail);
  CHECK(has(parse.summary, "line 2"));
  for (auto id : {"metrics.documented", "metrics.sanity", "alerts.rules"}) {
    const auto& r = by_id(report, id);
    CHECK(r.status == Status::skip);
    CHECK(has(r.summary, "exposition.valid did not pass"));
  }
  CHECK(report.exit_code == 2);
  CHECK(report.status == Status::fail);
}

TEST_CASE("runner: --check selects / runs prerequisites silently - --skip reports skip",
          "[doctor][runner]") {
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.only = {"metrics.sanity"};
  auto only = run(o);
  REQUIRE(only.results.size() == 1);
  CHECK(only.results[0].id == "metrics.sanity");
  CHECK(only.results[0].status == Status::pass);
  CHECK(only.exit_code == 0);

  auto s = options_for_file(fixture_path("e2e3d_python.txt"));
  s.skip = {"metrics.documented", "alerts.rules"};
  auto skipped = run(s);
  CHECK(by_id(skipped, "metrics.documented").status == Status::skip);
  CHECK(has(by_id(skipped, "metrics.documented").summary, "--skip"));
  CHECK(skipped.exit_code == 0);
}

TEST_CASE("runner: an unknown check id is an error listing the ids", "[doctor][runner]") {
  auto o = options_for_file(fixture_path("e2e3d_python.txt"));
  o.only = {"http.endpont"};
  try {
    run(o);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::config);
    CHECK(has(e.what(), "--check http.endpont"));
    CHECK(has(e.what(), "http.endpoint"));
  }
}

TEST_CASE("summarize: exit codes 0 / 1 / 2", "[doctor][runner]") {
  CHECK(summarize({{"a", Status::pass, "", "", ""}, {"b", Status::skip, "", "", ""}}).exit_code ==
        0);
  auto w = summarize({{"a", Status::pass, "", "", ""}, {"b", Status::warn, "", "", ""}});
  CHECK(w.exit_code == 1);
  CHECK(w.status == Status::warn);
  auto f = summarize({{"a", Status::warn, "", "", ""}, {"b", Status::fail, "", "", ""}});
  CHECK(f.exit_code == 2);
  CHECK(f.status == Status::fail);
}

TEST_CASE("to_json: exactly the documented shape", "[doctor][render]") {
  Report report = summarize({{"http.endpoint", Status::fail, "HTTP 404 \"x\"", "d", "f"},
                             {"alerts.rules", Status::skip, "s", "", ""}});
  auto j = nlohmann::json::parse(to_json(report));
  CHECK(j["status"] == "fail");
  CHECK(j["exit_code"] == 2);
  REQUIRE(j["checks"].size() == 2);
  CHECK(j.size() == 3);
  auto c = j["checks"][0];
  CHECK(c.size() == 5);
  CHECK(c["id"] == "http.endpoint");
  CHECK(c["status"] == "fail");
  CHECK(c["summary"] == "HTTP 404 \"x\"");
  CHECK(c["detail"] == "d");
  CHECK(c["fix"] == "f");
  CHECK(j["checks"][1]["status"] == "skip");
}

TEST_CASE("to_junit: failures / skips and warnings as CI systems read them", "[doctor][render]") {
  Report report = summarize({{"http.endpoint", Status::fail, "HTTP 404 <html>", "d & e", "f"},
                             {"alerts.rules", Status::skip, "no rules", "", ""},
                             {"port.listening", Status::warn, "loopback", "x", "y"},
                             {"exposition.valid", Status::pass, "ok", "", ""}});
  auto xml = to_junit(report);
  CHECK(has(xml, "tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"1\""));
  CHECK(has(
      xml, "<failure message=\"HTTP 404 &lt;html&gt;\" type=\"fail\">d &amp; e\nfix: f</failure>"));
  CHECK(has(xml, "<skipped message=\"no rules\"/>"));
  CHECK(has(xml, "<system-out>WARNING: loopback"));
  CHECK(has(xml, "<testcase classname=\"doctor\" name=\"exposition.valid\"/>"));
}
