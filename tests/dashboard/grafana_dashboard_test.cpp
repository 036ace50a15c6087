// The dashboard JSON has what Grafana's import needs, and every panel's query is well formed.
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "e2e3d/dashboard/grafana.hpp"
#include "e2e3d/error.hpp"
#include "e2e3d/promql/parser.hpp"
#include "e2e3d/rules/generate.hpp"

using namespace e2e3d;
using namespace e2e3d::dashboard;
using nlohmann::json;

namespace {

GrafanaOptions python_options() {
  GrafanaOptions o;
  o.names = rules::python_client_names();
  o.origin = "python";
  return o;
}

}  // namespace

TEST_CASE("the dashboard has what Grafana 9/10's import requires") {
  json d = json::parse(grafana_dashboard_json(python_options()));
  CHECK(d["title"] == "E2E3D reconstruction service");
  CHECK(d["uid"] == "e2e3d-reconstruction");
  CHECK(d["id"].is_null());  // an import creates it; a number would overwrite another dashboard
  CHECK(d["schemaVersion"] == 36);
  CHECK(d["editable"] == true);
  CHECK(d["time"]["from"] == "now-6h");

  // The data source is asked for at import and is a variable when provisioned.
  REQUIRE(d["__inputs"].size() == 1);
  CHECK(d["__inputs"][0]["name"] == "DS_PROMETHEUS");
  CHECK(d["__inputs"][0]["type"] == "datasource");
  CHECK(d["__inputs"][0]["pluginId"] == "prometheus");
  const json& variables = d["templating"]["list"];
  REQUIRE(variables.size() == 1);
  CHECK(variables[0]["name"] == "DS_PROMETHEUS");
  CHECK(variables[0]["type"] == "datasource");
  CHECK(variables[0]["query"] == "prometheus");

  std::set<std::string> required;
  for (const auto& r : d["__requires"])
    required.insert(r["type"].get<std::string>() + ":" + r["id"].get<std::string>());
  CHECK(required.count("grafana:grafana"));
  CHECK(required.count("datasource:prometheus"));

  const json& panels = d["panels"];
  REQUIRE(panels.size() >= 10);
  std::set<int> ids;
  std::set<std::pair<int, int>> cells;
  for (const auto& p : panels) {
    INFO(p.dump());
    CHECK(ids.insert(p["id"].get<int>()).second);
    CHECK((p["type"] == "timeseries" || p["type"] == "bargauge"));
    CHECK(required.count("panel:" + p["type"].get<std::string>()));
    CHECK_FALSE(p["title"].get<std::string>().empty());
    for (const char* k : {"h", "w", "x", "y"})
      CHECK(p["gridPos"][k].is_number_integer());
    CHECK(p["gridPos"]["x"].get<int>() + p["gridPos"]["w"].get<int>() <= 24);
    std::pair<int, int> cell{p["gridPos"]["x"].get<int>(), p["gridPos"]["y"].get<int>()};
    CHECK(cells.insert(cell).second);  // no two panels in one place
    CHECK(p["datasource"] == json({{"type", "prometheus"}, {"uid", "${DS_PROMETHEUS}"}}));
    REQUIRE_FALSE(p["targets"].empty());
    std::set<std::string> refs;
    for (const auto& t : p["targets"]) {
      CHECK(t["datasource"] == p["datasource"]);
      CHECK(refs.insert(t["refId"].get<std::string>()).second);
      CHECK_NOTHROW(promql::parse(t["expr"].get<std::string>()));
    }
    CHECK(p["fieldConfig"]["defaults"].contains("unit"));
  }
}

TEST_CASE("panels cover what the issue asks, with the window and the resolved names") {
  GrafanaOptions o = python_options();
  o.window_ms = 15 * 60'000;
  o.top = 7;
  std::map<std::string, std::vector<std::string>> by_title;
  for (const auto& t : dashboard_targets(o))
    by_title[t.panel].push_back(t.expr);
  CHECK(by_title["Jobs per minute"] ==
        std::vector<std::string>{"sum(rate(reconstruction_total[15m])) * 60"});
  CHECK(by_title["Success and failure ratio over 15m"] ==
        std::vector<std::string>{"sum(increase(reconstruction_success_total[15m])) / "
                                 "(sum(increase(reconstruction_total[15m])) > 0)",
                                 "sum(increase(reconstruction_failure_total[15m])) / "
                                 "(sum(increase(reconstruction_total[15m])) > 0)"});
  CHECK(by_title["Active jobs"] == std::vector<std::string>{"sum(e2e3d_active_jobs)"});
  CHECK(by_title["Average job duration"] ==
        std::vector<std::string>{"sum(e2e3d_job_duration_seconds_total) / "
                                 "count(e2e3d_job_duration_seconds_total)"});
  CHECK(by_title["Job time by status"] ==
        std::vector<std::string>{"sum by (status) (e2e3d_job_duration_seconds_total)"});
  CHECK(by_title["Slowest 7 jobs"] ==
        std::vector<std::string>{"topk(7, e2e3d_job_duration_seconds_total)"});
  CHECK(by_title["Process CPU"] ==
        std::vector<std::string>{"rate(process_cpu_seconds_total[15m])"});
  CHECK(by_title["Process memory"].size() == 2);
  CHECK(by_title["Open file descriptors vs limit"] ==
        std::vector<std::string>{"process_open_fds", "process_max_fds"});
  CHECK(by_title["Restarts in 15m"] ==
        std::vector<std::string>{"changes(process_start_time_seconds[15m])"});

  // The documented names, as written, for a target that exposes them.
  o.names = rules::documented_names();
  CHECK(dashboard_targets(o)[0].expr == "sum(rate(reconstruction_total[15m])) * 60");
  CHECK(dashboard_targets(o)[1].expr.find("reconstruction_success[15m]") != std::string::npos);
}

TEST_CASE("the dashboard is the same every time: stable uid, ids and layout") {
  CHECK(grafana_dashboard_json(python_options()) == grafana_dashboard_json(python_options()));
  GrafanaOptions o = python_options();
  o.uid = "e2e3d-staging";
  o.title = "E2E3D staging";
  json d = json::parse(grafana_dashboard_json(o));
  CHECK(d["uid"] == "e2e3d-staging");
  CHECK(d["title"] == "E2E3D staging");
}

TEST_CASE("options Grafana or rate() cannot use are refused with the fix") {
  GrafanaOptions o = python_options();
  o.window_ms = 30'000;
  CHECK_THROWS_WITH(grafana_dashboard_json(o), Catch::Contains("1m or more"));
  o = python_options();
  o.top = 0;
  CHECK_THROWS_WITH(grafana_dashboard_json(o), Catch::Contains("1 to 100"));
  o = python_options();
  o.uid = std::string(41, 'a');
  CHECK_THROWS_WITH(grafana_dashboard_json(o), Catch::Contains("not a Grafana uid"));
  o.uid = "has space";
  CHECK_THROWS_AS(grafana_dashboard_json(o), Error);
}
