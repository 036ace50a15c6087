#pragma once
// Listening TCP sockets of this network namespace, read from /proc/net/tcp and /proc/net/tcp6
// the way `netstat -tlnp` does, and the process that owns each one (socket inode matched
// against the /proc/PID/fd links). Nothing here opens a socket or runs a program.

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace e2e3d::sys {

struct ListeningSocket {
  std::string address;  // numeric: "127.0.0.1", "0.0.0.0", "::", "::1", "::ffff:127.0.0.1"
  uint16_t port = 0;
  bool ipv6 = false;
  uint64_t inode = 0;  // 0 when the kernel hides it (a socket of another user, in some setups)
  uint32_t uid = 0;

  // Bound to every address (0.0.0.0 or ::): reachable from other hosts and containers.
  bool any_address() const;
  // Bound to a loopback address only (127.0.0.0/8, ::1, ::ffff:127.x): reachable from this
  // network namespace only.
  bool loopback_only() const;
};

// The LISTEN rows of the text of /proc/net/tcp (ipv6 false) or /proc/net/tcp6 (ipv6 true).
// Throws e2e3d::Error (io) on a row that is not in the kernel's format.
std::vector<ListeningSocket> parse_proc_net_tcp(std::string_view text, bool ipv6);

// All listening TCP sockets, IPv4 then IPv6. With the real /proc they come from the kernel's
// sock_diag netlink interface when it answers (fast; what `ss` uses), else from
// PROC_ROOT/net/tcp and tcp6. A missing tcp6 file (IPv6 disabled) is not an error.
std::vector<ListeningSocket> listening_sockets(const std::string& proc_root = "/proc");

// The same table from sock_diag netlink only; nullopt when the kernel does not answer (no
// NETLINK_SOCK_DIAG, seccomp filters).
std::optional<std::vector<ListeningSocket>> listening_sockets_from_netlink();

// The sockets listening on `port`.
std::vector<ListeningSocket> listening_on(const std::vector<ListeningSocket>& sockets,
                                          uint16_t port);

// The process whose file descriptors include the socket `inode` (the lowest PID when several
// share it, as after fork), or nullopt when none is visible to us.
std::optional<pid_t> socket_owner(uint64_t inode, const std::string& proc_root = "/proc");
// The same among `pids` only (a container's processes), in the order given.
std::optional<pid_t> socket_owner_among(uint64_t inode, const std::vector<pid_t>& pids,
                                        const std::string& proc_root = "/proc");

}  // namespace e2e3d::sys
