// The daemon's answers decoded: JSON with missing or mistyped fields, multiplexed log frames,
// the archive's tar stream.
#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "e2e3d/docker/archive.hpp"
#include "e2e3d/docker/container.hpp"
#include "e2e3d/docker/logs.hpp"

using namespace e2e3d::docker;

namespace {

std::string frame(char stream, std::string_view payload) {
  std::string out = {stream, 0, 0, 0};
  auto n = static_cast<uint32_t>(payload.size());
  out += static_cast<char>(n >> 24);
  out += static_cast<char>((n >> 16) & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  out += static_cast<char>(n & 0xff);
  return out + std::string(payload);
}

std::string tar_header(const std::string& name, std::size_t size, char type,
                       const std::string& link = "") {
  std::string h(512, '\0');
  h.replace(0, name.size(), name);
  std::string octal = fmt::format("{:011o}", size);
  h.replace(124, octal.size(), octal);
  h[156] = type;
  h.replace(157, link.size(), link);
  h.replace(257, 5, "ustar");
  return h;
}

}  // namespace

TEST_CASE("logs: multiplexed frames split into lines, across frames, streams kept",
          "[docker][logs]") {
  std::string body = frame(1, "one\ntw") + frame(1, "o\r\n") + frame(2, "Traceback\n") +
                     frame(1, "last without newline");
  auto lines = decode_log_stream(body, false);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].text == "one");
  CHECK(lines[1].text == "two");
  CHECK(lines[2].text == "Traceback");
  CHECK(lines[2].from_stderr);
  CHECK(lines[3].text == "last without newline");
  // A truncated frame keeps what arrived; a TTY's log is the raw stream.
  CHECK(decode_log_stream(frame(1, "abc\n").substr(0, 10), false).at(0).text == "ab");
  CHECK(decode_log_stream("raw\nlog\n", true).size() == 2);
}

TEST_CASE("container JSON: missing and mistyped fields read as absent", "[docker][json]") {
  Container c = parse_container(R"({"Id":"abcdef0123456789","Name":"/svc","State":{"Running":"yes",
    "Pid":42,"Health":{"Status":"unhealthy","FailingStreak":3,"Log":[{"ExitCode":1,"Output":"down"}]}},
    "Config":{"Env":["A=1","ENABLE_METRICS=true","BARE"],"Labels":{"com.docker.compose.service":"s","n":5}},
    "NetworkSettings":{"Networks":{"p_default":{"IPAddress":"172.18.0.2","Aliases":["s",7]}},
    "Ports":{"9101/tcp":[{"HostIp":"127.0.0.1","HostPort":"19101"}],"22/tcp":null}},
    "Args":["a",1,"b"],"Path":"/usr/bin/python3"})");
  CHECK(c.name == "svc");
  CHECK(c.short_id() == "abcdef012345");
  CHECK_FALSE(c.state.running);  // "yes" is not a boolean
  CHECK(c.state.pid == 42);
  REQUIRE(c.state.health);
  CHECK(c.state.health->last_output == "down");
  CHECK(c.env.size() == 3);
  CHECK(c.env[2] == std::pair<std::string, std::string>{"BARE", ""});
  CHECK(*c.label("com.docker.compose.service") == "s");
  CHECK(c.label("n") == nullptr);
  CHECK(c.command == std::vector<std::string>{"/usr/bin/python3", "a", "b"});
  REQUIRE(c.published.size() == 1);
  CHECK(c.published[0].host_port == 19101);
  CHECK_FALSE(c.published[0].all_addresses());
  REQUIRE(c.networks.size() == 1);
  CHECK(c.networks[0].aliases == std::vector<std::string>{"s"});
  CHECK_THROWS_AS(parse_container("[]"), EngineError);
  CHECK_THROWS_AS(parse_container("not json"), EngineError);
  CHECK(parse_container("{}").name.empty());
}

TEST_CASE("container list and top: the columns found by their titles", "[docker][json]") {
  auto list = parse_container_list(R"([{"Id":"x","Names":["/a"],"State":"running",
    "Ports":[{"PrivatePort":9101,"PublicPort":19101,"Type":"tcp","IP":"0.0.0.0"},{"PrivatePort":22,"Type":"tcp"}]},
    5, {"Names":"notalist"}])");
  REQUIRE(list.size() == 2);
  CHECK(list[0].names == std::vector<std::string>{"a"});
  CHECK(list[0].ports.size() == 1);
  auto top = parse_top(
      R"({"Titles":["UID","PID","PPID","CMD"],"Processes":[["root","12","1","python3 app.py"],["x"],["root","nan","1","y"]]})");
  REQUIRE(top.size() == 1);
  CHECK(top[0].pid == 12);
  CHECK(top[0].command == "python3 app.py");
}

TEST_CASE("archive: the first entry of the tar stream, links and limits", "[docker][archive]") {
  std::string content = "scrape_configs: []\n";
  std::string tar = tar_header("prometheus.yml", content.size(), '0') + content +
                    std::string(512 - content.size(), '\0') + std::string(1024, '\0');
  auto entry = first_tar_entry(tar, 1024);
  REQUIRE(entry);
  CHECK(entry->name == "prometheus.yml");
  CHECK(entry->content == content);
  CHECK_THROWS_AS(first_tar_entry(tar, 4), EngineError);
  auto link =
      first_tar_entry(tar_header("p.yml", 0, '2', "../config/p.yml") + std::string(1024, '\0'), 10);
  REQUIRE(link);
  CHECK(link->is_link);
  CHECK(link->link_target == "../config/p.yml");
  CHECK_FALSE(first_tar_entry(std::string(1024, '\0'), 10));
  CHECK_THROWS_AS(first_tar_entry(tar_header("x", 100000, '0') + "short", 1u << 20), EngineError);
  std::string bad = tar_header("x", 1, '0');
  bad.replace(124, 3, "9zz");
  CHECK_THROWS_AS(first_tar_entry(bad, 10), EngineError);
}

TEST_CASE("timestamps: RFC 3339 with nanoseconds and offsets, Go's zero time is never",
          "[docker][json]") {
  CHECK(parse_timestamp("2026-12-03T16:43:11.5Z") == Approx(1796316191.5));
  CHECK(parse_timestamp("2026-12-03T17:43:11+01:00") == Approx(1796316191));
  CHECK_FALSE(parse_timestamp("0001-01-01T00:00:00Z"));
  CHECK_FALSE(parse_timestamp("yesterday"));
}
