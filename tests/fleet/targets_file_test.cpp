// read_targets_file: one URL per line, or Prometheus file_sd JSON/YAML; every malformed file
// refused with FILE:LINE:COLUMN and what to write instead.
#include <catch2/catch.hpp>

#include "e2e3d/fleet.hpp"
#include "fleet_test_support.hpp"

using namespace e2e3d;
using e2e3d::test::error_of;
using e2e3d::test::TempFile;
using Labels = std::map<std::string, std::string>;

namespace {

std::vector<FleetTarget> read(const std::string& name, const std::string& content,
                              std::string_view job = "e2e3d") {
  TempFile file(name, content);
  return read_targets_file(file.path(), job);
}

// The message for a malformed file, with its temporary directory replaced by "DIR".
std::string failure(const std::string& name, const std::string& content) {
  TempFile file(name, content);
  std::string dir = file.path().substr(0, file.path().rfind('/'));
  std::string message;
  try {
    read_targets_file(file.path(), "e2e3d");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::config);
    message = e.what();
  }
  for (std::size_t at; (at = message.find(dir)) != std::string::npos;)
    message.replace(at, dir.size(), "DIR");
  return message;
}

}  // namespace

TEST_CASE("targets file: one URL per line, with blank lines and comments", "[fleet][file]") {
  auto targets = read("targets.txt",
                      "# the replicas\n"
                      "\n"
                      "http://10.0.0.1:9101/metrics\n"
                      "   10.0.0.2:9101   # scheme and path left out\n"
                      "\t\n"
                      "https://secure.example/metrics\n");
  REQUIRE(targets.size() == 3);
  CHECK(targets[0].url == "http://10.0.0.1:9101/metrics");
  CHECK(targets[0].labels == Labels{{"instance", "10.0.0.1:9101"}, {"job", "e2e3d"}});
  CHECK(targets[1].url == "http://10.0.0.2:9101/metrics");
  CHECK(targets[1].labels.at("instance") == "10.0.0.2:9101");
  CHECK(targets[2].labels == Labels{{"instance", "secure.example:443"}, {"job", "e2e3d"}});
}

TEST_CASE("targets file: a bad URL line is named by line and column", "[fleet][file]") {
  CHECK(failure("t.txt", "http://a:1/metrics\n\n  ftp://b/metrics\n") ==
        "DIR/t.txt:3:3: cannot fetch ftp://b/metrics: only http:// and https:// URLs are "
        "supported, not ftp://; to read a file use --file PATH");
  CHECK(failure("t.txt", "http://a:1/metrics http://b:2/metrics\n") ==
        "DIR/t.txt:1:20: 'http://b:2/metrics' follows the URL http://a:1/metrics on the same "
        "line; write one URL per line (a # starts a comment)");
}

TEST_CASE("targets file: a URL listed twice names both places", "[fleet][file]") {
  CHECK(failure("t.txt", "http://a:1/metrics\nhttp://b:1/metrics\n a:1\n") ==
        "DIR/t.txt:3:2: the target http://a:1/metrics is listed again (first at line 1, column "
        "1); remove one: scraping it twice would count its series twice");
  // Credentials never reach the message.
  CHECK(failure("t.txt", "http://u:pw@a:1/metrics\nhttp://u:pw@a:1/metrics\n").find("pw") ==
        std::string::npos);
}

TEST_CASE("targets file: empty, comments only, or missing", "[fleet][file]") {
  std::string empty_message =
      ": the targets file lists no target; write one URL per line "
      "(http://host:9101/metrics), or Prometheus file_sd JSON or YAML";
  CHECK(failure("t.txt", "") == "DIR/t.txt" + empty_message);
  CHECK(failure("t.txt", "\n  # nothing yet\n\n") == "DIR/t.txt" + empty_message);
  CHECK(failure("t.json", "[]") ==
        "DIR/t.json: the targets file lists no target; give each group at least one "
        "\"host:port\" in its targets");
  CHECK(failure("t.yml", "- targets: []\n  labels: {env: prod}\n") ==
        "DIR/t.yml: the targets file lists no target; give each group at least one "
        "\"host:port\" in its targets");
  std::string missing = error_of([] { read_targets_file("/nonexistent/targets.txt", "e2e3d"); });
  CHECK(missing ==
        "cannot read the targets file /nonexistent/targets.txt: No such file or directory; check "
        "the path given with --targets-file");
}

TEST_CASE("targets file: file_sd JSON with labels, scheme, path and params", "[fleet][file]") {
  auto targets = read("sd.json", R"([
  {"targets": ["10.0.0.1:9101", "10.0.0.2"], "labels": {"env": "prod", "zone": "a"}},
  {"targets": ["secure.example:8443"],
   "labels": {"__scheme__": "https", "__metrics_path__": "/probe", "__param_module": "http 2xx",
              "job": "blackbox", "__meta_note": "dropped"}},
  {"targets": ["10.0.0.3:9101"], "labels": {"instance": "replica-3"}},
  {"targets": ["10.0.0.4:9101"]}
])");
  REQUIRE(targets.size() == 5);
  CHECK(targets[0].url == "http://10.0.0.1:9101/metrics");
  CHECK(targets[0].labels ==
        Labels{{"env", "prod"}, {"instance", "10.0.0.1:9101"}, {"job", "e2e3d"}, {"zone", "a"}});
  // No port: the scheme's, as Prometheus 2.42 adds it to the address.
  CHECK(targets[1].url == "http://10.0.0.2:80/metrics");
  CHECK(targets[1].labels.at("instance") == "10.0.0.2:80");
  // The group's job wins over --job; __ labels steer the URL and are dropped.
  CHECK(targets[2].url == "https://secure.example:8443/probe?module=http+2xx");
  CHECK(targets[2].labels == Labels{{"instance", "secure.example:8443"}, {"job", "blackbox"}});
  CHECK(targets[3].labels == Labels{{"instance", "replica-3"}, {"job", "e2e3d"}});
  CHECK(targets[4].labels == Labels{{"instance", "10.0.0.4:9101"}, {"job", "e2e3d"}});
}

TEST_CASE("targets file: file_sd YAML, also with a leading comment", "[fleet][file]") {
  auto targets = read("sd.txt",
                      "# written by our deploy tool\n"
                      "- targets:\n"
                      "    - 10.0.0.1:9101\n"
                      "    - '[fd00::7]:9101'\n"
                      "  labels:\n"
                      "    env: staging\n"
                      "    replicas: 2\n");
  REQUIRE(targets.size() == 2);
  CHECK(targets[0].url == "http://10.0.0.1:9101/metrics");
  CHECK(targets[0].labels == Labels{{"env", "staging"},
                                    {"instance", "10.0.0.1:9101"},
                                    {"job", "e2e3d"},
                                    {"replicas", "2"}});
  CHECK(targets[1].url == "http://[fd00::7]:9101/metrics");
  CHECK(targets[1].labels.at("instance") == "[fd00::7]:9101");
}

TEST_CASE("targets file: malformed file_sd JSON, each with its line and column", "[fleet][file]") {
  std::string shape =
      "a file_sd file is a list of groups like [{\"targets\": [\"host:9101\"], \"labels\": "
      "{\"env\": \"prod\"}}]";
  // Syntax: a comma after the last element (YAML allows it, JSON and Prometheus do not).
  CHECK(failure("sd.json", "[\n  {\"targets\": [\"a:1\",]}\n]\n") ==
        "DIR/sd.json:2:22: this is not valid JSON: syntax error while parsing value - unexpected "
        "']'; expected '[', '{', or a literal; " +
            shape);
  CHECK(failure("sd.json", "[\n  {\"targets\": [\"a:1\"]\n") ==
        "DIR/sd.json:3:1: this is not valid JSON: syntax error while parsing object - unexpected "
        "end of input; expected '}'; " +
            shape);
  CHECK(failure("sd.json", "{\"targets\": [\"a:1\"]}") ==
        "DIR/sd.json:1:1: the file holds an object, not a list of target groups; " + shape);
  CHECK(failure("sd.json", "[\n  [\"a:1\"]\n]") ==
        "DIR/sd.json:2:3: a group is an array; " + shape);
  CHECK(failure("sd.json", "[{\"targets\": [\"a:1\"],\n  \"label\": {\"env\": \"x\"}}]") ==
        "DIR/sd.json:2:3: unknown key 'label' in a target group; a group has only \"targets\" "
        "and \"labels\"");
  CHECK(failure("sd.json", "[{\"labels\": {\"env\": \"x\"}}]") ==
        "DIR/sd.json:1:2: a group has no \"targets\"; " + shape);
  CHECK(failure("sd.json", "[{\"targets\": \"a:1\"}]") ==
        "DIR/sd.json:1:14: \"targets\" is the value 'a:1', not a list; write it like "
        "[\"host:9101\", \"host:9102\"]");
  CHECK(failure("sd.json", "[{\"targets\": [\"a:1\", 9101]}]") ==
        "DIR/sd.json:1:22: a target is the number 9101; each target is a string \"host:port\"");
  CHECK(failure("sd.json", "[{\"targets\": [\"http://a:1/metrics\"]}]") ==
        "DIR/sd.json:1:15: 'http://a:1/metrics' is a URL, not an address; write \"host:port\" and "
        "give the scheme and path with the __scheme__ and __metrics_path__ labels");
  CHECK(failure("sd.json", "[{\"targets\": [\"fd00::7:9101\"]}]") ==
        "DIR/sd.json:1:15: 'fd00::7:9101' is an IPv6 address without brackets; write it as "
        "\"[::1]:9101\"");
  CHECK(failure("sd.json", "[{\"targets\": [\"a:1\"], \"labels\": {\"2nd\": \"x\"}}]") ==
        "DIR/sd.json:1:34: '2nd' is not a valid label name; label names are letters, digits and "
        "_, not starting with a digit");
  CHECK(failure("sd.json", "[{\"targets\": [\"a:1\"], \"labels\": {\"env\": {\"x\": 1}}}]") ==
        "DIR/sd.json:1:41: the label env is an object; a label value is a string");
  CHECK(failure("sd.json", "[{\"targets\": [\"a:1\"], \"labels\": {\"env\": true}}]") ==
        "DIR/sd.json:1:41: the label env is the value true; a label value is a string");
  CHECK(failure("sd.json", "[{\"targets\": [\"a:1\"], \"labels\": {\"__scheme__\": \"ftp\"}}]") ==
        "DIR/sd.json:1:33: __scheme__ is 'ftp'; it is http or https");
  CHECK(failure("sd.json", "[{\"targets\": [\"a:99999999\"]}]") ==
        "DIR/sd.json:1:15: the target 'a:99999999' gives the URL http://a:99999999/metrics: "
        "cannot fetch http://a:99999999/metrics: the URL is not valid (Port number was not a "
        "decimal number between 0 and 65535); write it like http://localhost:9101/metrics");
}

TEST_CASE("targets file: malformed file_sd YAML, each with its line and column", "[fleet][file]") {
  CHECK_THAT(failure("sd.yml", "- targets: [a:1\n- labels: {}\n"),
             Catch::StartsWith("DIR/sd.yml:") && Catch::Contains("this is not valid YAML"));
  CHECK(failure("sd.yml", "targets:\n  - a:1\n") ==
        "DIR/sd.yml:1:1: the file holds a mapping, not a list of target groups; a file_sd file is "
        "a list of groups like [{\"targets\": [\"host:9101\"], \"labels\": {\"env\": "
        "\"prod\"}}]");
  CHECK(failure("sd.yml", "- targets:\n    - a:1\n  labels:\n    - env\n") ==
        "DIR/sd.yml:4:5: \"labels\" is a list, not a mapping of label names to values; write it "
        "like {\"env\": \"prod\"}");
  CHECK(failure("sd.yml", "- targets:\n    - a:1\n    - a/metrics\n") ==
        "DIR/sd.yml:3:7: 'a/metrics' is not a valid address; write it as \"host:port\" (a path "
        "goes in the __metrics_path__ label)");
  CHECK(failure("sd.yml", "- targets:\n    - a:1\n- targets:\n    - b:2\n    - a:1\n") ==
        "DIR/sd.yml:5:7: the target http://a:1/metrics is listed again (first at line 2, column "
        "7); remove one: scraping it twice would count its series twice");
}

TEST_CASE("targets that would have the same labels get their URLs as instance labels") {
  std::vector<FleetTarget> targets{
      target_from_url("http://127.0.0.1:9101/metrics", "e2e3d"),
      target_from_url("http://127.0.0.1:9101/other", "e2e3d"),
      target_from_url("https://u:secret@127.0.0.1:9101/other", "e2e3d"),
      target_from_url("http://127.0.0.1:9102/metrics", "e2e3d")};
  targets[2].labels["instance"] = "127.0.0.1:9101";  // as the http ones, to collide with them
  make_labels_distinct(targets);
  CHECK(targets[0].labels.at("instance") == "127.0.0.1:9101/metrics");
  // Only the scheme tells these two apart: it stays, the credentials never do.
  CHECK(targets[1].labels.at("instance") == "http://127.0.0.1:9101/other");
  CHECK(targets[2].labels.at("instance") == "https://127.0.0.1:9101/other");
  CHECK(targets[3].labels.at("instance") == "127.0.0.1:9102");  // alone: untouched
}
