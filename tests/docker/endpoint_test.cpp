#include <catch2/catch.hpp>

#include "e2e3d/docker/endpoint.hpp"
#include "e2e3d/error.hpp"

using namespace e2e3d::docker;
using Env = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("endpoint: --docker-host wins over DOCKER_HOST, which wins over the sockets",
          "[docker][endpoint]") {
  Env env = {{"DOCKER_HOST", "unix:///run/env.sock"}};
  auto flag = choose_endpoint(std::string("unix:///run/flag.sock"), env, {"/"});
  REQUIRE(flag.endpoint);
  CHECK(flag.endpoint->socket_path == "/run/flag.sock");
  CHECK(flag.endpoint->origin == "--docker-host");
  auto from_env = choose_endpoint(std::nullopt, env, {"/"});
  CHECK(from_env.endpoint->socket_path == "/run/env.sock");
  CHECK(from_env.endpoint->origin == "DOCKER_HOST");
  auto socket = choose_endpoint(std::nullopt, {}, {"/nonexistent.sock", "/"});
  CHECK(socket.endpoint->socket_path == "/");
  CHECK(socket.looked_at == std::vector<std::string>{"/nonexistent.sock"});
}

TEST_CASE("endpoint: none found lists what was looked at", "[docker][endpoint]") {
  auto none = choose_endpoint(std::nullopt, {{"DOCKER_HOST", ""}}, {"/no/a.sock", "/no/b.sock"});
  CHECK_FALSE(none.endpoint);
  CHECK(none.looked_at.size() == 2);
}

TEST_CASE("endpoint: DOCKER_HOST forms as Docker's clients read them", "[docker][endpoint]") {
  auto tcp = choose_endpoint(std::nullopt, {{"DOCKER_HOST", "tcp://10.0.0.5"}}, {});
  CHECK(tcp.endpoint->kind == Endpoint::Kind::tcp);
  CHECK(tcp.endpoint->host == "10.0.0.5");
  CHECK(tcp.endpoint->port == 2375);
  CHECK(tcp.endpoint->uri() == "tcp://10.0.0.5:2375");
  auto tls = choose_endpoint(
      std::nullopt,
      {{"DOCKER_HOST", "tcp://[::1]"}, {"DOCKER_TLS_VERIFY", "1"}, {"DOCKER_CERT_PATH", "/certs"}},
      {});
  CHECK(tls.endpoint->tls);
  CHECK(tls.endpoint->port == 2376);
  CHECK(tls.endpoint->cert_path == "/certs");
  CHECK(tls.endpoint->uri() == "tcp://[::1]:2376");
  CHECK(parse_endpoint("/var/run/docker.sock", "x").socket_path == "/var/run/docker.sock");
  CHECK(parse_endpoint("host:2375", "x").port == 2375);
}

TEST_CASE("endpoint: refused addresses name their origin and the fix", "[docker][endpoint]") {
  CHECK_THROWS_WITH(parse_endpoint("ssh://me@box", "DOCKER_HOST"),
                    Catch::Contains("DOCKER_HOST ssh://me@box") && Catch::Contains("ssh -L"));
  CHECK_THROWS_WITH(parse_endpoint("npipe:////./pipe/docker_engine", "--docker-host"),
                    Catch::Contains("not unix or tcp"));
  CHECK_THROWS_WITH(parse_endpoint("unix://relative.sock", "--docker-host"),
                    Catch::Contains("absolute path"));
  CHECK_THROWS_WITH(parse_endpoint("tcp://host:99999", "--docker-host"),
                    Catch::Contains("1 to 65535"));
  CHECK_THROWS_WITH(parse_endpoint("tcp://\x1b[31mx:1", "--docker-host"), !Catch::Contains("\x1b"));
}

TEST_CASE("endpoint: Podman's sockets come after Docker's", "[docker][endpoint]") {
  auto sockets = default_sockets({{"XDG_RUNTIME_DIR", "/run/user/1000"}});
  CHECK(sockets == std::vector<std::string>{"/var/run/docker.sock",
                                            "/run/user/1000/podman/podman.sock",
                                            "/run/podman/podman.sock"});
}
