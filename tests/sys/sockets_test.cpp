#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>

#include "e2e3d/error.hpp"
#include "e2e3d/sys/sockets.hpp"
#include "support/child_process.hpp"

using namespace e2e3d;
using e2e3d::test::fixture_path;
using e2e3d::test::read_file;

namespace {

const sys::ListeningSocket* find_port(const std::vector<sys::ListeningSocket>& sockets,
                                      uint16_t port) {
  auto it = std::find_if(sockets.begin(), sockets.end(),
                         [port](const sys::ListeningSocket& s) { return s.port == port; });
  return it == sockets.end() ? nullptr : &*it;
}

// A real listening socket of this process, closed on destruction.
struct Listener {
  int fd = -1;
  uint16_t port = 0;
  explicit Listener(int family, const char* address) {
    fd = socket(family, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    if (family == AF_INET) {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      inet_pton(AF_INET, address, &a.sin_addr);
      REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
      socklen_t len = sizeof a;
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
      port = ntohs(a.sin_port);
    } else {
      int only = 1;
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
      sockaddr_in6 a{};
      a.sin6_family = AF_INET6;
      inet_pton(AF_INET6, address, &a.sin6_addr);
      REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
      socklen_t len = sizeof a;
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
      port = ntohs(a.sin6_port);
    }
    REQUIRE(listen(fd, 4) == 0);
  }
  ~Listener() { close(fd); }
};

}  // namespace

TEST_CASE("parse_proc_net_tcp keeps LISTEN rows and decodes IPv4 addresses", "[sys]") {
  auto sockets = sys::parse_proc_net_tcp(read_file(fixture_path("doctor/proc_net_tcp.txt")), false);
  // The sample has four listeners and established / TIME_WAIT rows that must be ignored.
  REQUIRE(sockets.size() == 4);
  auto* loopback = find_port(sockets, 9101);
  REQUIRE(loopback);
  CHECK(loopback->address == "127.0.0.1");
  CHECK(loopback->inode == 10177);
  CHECK(loopback->loopback_only());
  CHECK_FALSE(loopback->any_address());
  auto* any = find_port(sockets, 9090);
  REQUIRE(any);
  CHECK(any->address == "0.0.0.0");
  CHECK(any->any_address());
  CHECK_FALSE(any->loopback_only());
  CHECK(find_port(sockets, 2024));
}

TEST_CASE("parse_proc_net_tcp decodes IPv6 addresses", "[sys]") {
  auto sockets = sys::parse_proc_net_tcp(read_file(fixture_path("doctor/proc_net_tcp6.txt")), true);
  REQUIRE(sockets.size() == 2);
  auto* any = find_port(sockets, 9102);
  REQUIRE(any);
  CHECK(any->address == "::");
  CHECK(any->ipv6);
  CHECK(any->any_address());
  auto* loopback = find_port(sockets, 9103);
  REQUIRE(loopback);
  CHECK(loopback->address == "::1");
  CHECK(loopback->loopback_only());
  CHECK(loopback->inode == 10180);
}

TEST_CASE("an IPv4-mapped loopback address is loopback only", "[sys]") {
  std::string text =
      "  sl  local_address                         remote_address                        st\n"
      "   0: 0000000000000000FFFF00000100007F:238D 00000000000000000000000000000000:0000 0A "
      "00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0\n";
  auto sockets = sys::parse_proc_net_tcp(text, true);
  REQUIRE(sockets.size() == 1);
  CHECK(sockets[0].address == "::ffff:127.0.0.1");
  CHECK(sockets[0].loopback_only());
  CHECK(sockets[0].port == 9101);
}

TEST_CASE("a malformed row is an error that names the line", "[sys]") {
  std::string text = "header\n   0: 0100007F:23 00000000:0000 0A 0:0 0:0 0 0 0 12 1\n";
  try {
    sys::parse_proc_net_tcp(text, false);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("/proc/net/tcp:2:") != std::string::npos);
    CHECK(std::string(e.what()).find("port") != std::string::npos);
  }
}

TEST_CASE("listening_sockets and socket_owner find a real listener of this process", "[sys]") {
  Listener v4(AF_INET, "127.0.0.1");
  Listener v6(AF_INET6, "::1");
  auto sockets = sys::listening_sockets();
  auto on_v4 = sys::listening_on(sockets, v4.port);
  REQUIRE(on_v4.size() == 1);
  CHECK(on_v4[0].address == "127.0.0.1");
  CHECK(sys::socket_owner(on_v4[0].inode) == getpid());
  auto on_v6 = sys::listening_on(sockets, v6.port);
  REQUIRE(on_v6.size() == 1);
  CHECK(on_v6[0].address == "::1");
  CHECK(sys::socket_owner(on_v6[0].inode) == getpid());
}

TEST_CASE("socket_owner finds the process of another program's listener", "[sys]") {
  auto server = test::start_python_helper("e2e3d_exporter.py");
  auto sockets = sys::listening_on(sys::listening_sockets(), static_cast<uint16_t>(server.port));
  REQUIRE(sockets.size() == 1);
  CHECK(sys::socket_owner(sockets[0].inode) == server.process->pid());
}

TEST_CASE("socket_owner of an inode nobody holds is nullopt", "[sys]") {
  CHECK_FALSE(sys::socket_owner(0));
  CHECK_FALSE(sys::socket_owner(4000000000ULL));
}

TEST_CASE("netlink and /proc/net/tcp agree on a real listener", "[sys]") {
  Listener v4(AF_INET, "127.0.0.1");
  Listener v6(AF_INET6, "::1");
  auto from_netlink = sys::listening_sockets_from_netlink();
  REQUIRE(from_netlink);
  // "/proc/" is the real /proc but not the literal "/proc": the text files are read.
  auto from_proc = sys::listening_sockets("/proc/");
  for (uint16_t port : {v4.port, v6.port}) {
    auto a = sys::listening_on(*from_netlink, port);
    auto b = sys::listening_on(from_proc, port);
    REQUIRE(a.size() == 1);
    REQUIRE(b.size() == 1);
    CHECK(a[0].address == b[0].address);
    CHECK(a[0].inode == b[0].inode);
    CHECK(a[0].ipv6 == b[0].ipv6);
    CHECK(a[0].uid == b[0].uid);
  }
}
