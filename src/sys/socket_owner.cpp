// Which process owns a socket: every open descriptor is a link in /proc/PID/fd, and a socket's
// link reads "socket:[INODE]". This is how `netstat -p` and `ss -p` find the PID.
#include <dirent.h>
#include <unistd.h>

#include <fmt/format.h>

#include "e2e3d/sys/processes.hpp"
#include "e2e3d/sys/sockets.hpp"

namespace e2e3d::sys {

std::optional<pid_t> socket_owner(uint64_t inode, const std::string& proc_root) {
  // Ascending PIDs, so the parent of a fork wins.
  return socket_owner_among(inode, list_pids(proc_root), proc_root);
}

std::optional<pid_t> socket_owner_among(uint64_t inode, const std::vector<pid_t>& pids,
                                        const std::string& proc_root) {
  if (inode == 0) return std::nullopt;
  const std::string wanted = fmt::format("socket:[{}]", inode);
  for (pid_t pid : pids) {
    std::string dir = fmt::format("{}/{}/fd", proc_root, pid);
    DIR* fds = opendir(dir.c_str());
    if (!fds) continue;  // gone, or another user's process
    bool found = false;
    while (dirent* entry = readdir(fds)) {
      if (entry->d_name[0] == '.') continue;
      std::string link = dir + "/" + entry->d_name;
      char target[64];
      ssize_t n = readlink(link.c_str(), target, sizeof target);
      if (n > 0 && static_cast<size_t>(n) == wanted.size() &&
          std::string_view(target, static_cast<size_t>(n)) == wanted) {
        found = true;
        break;
      }
    }
    closedir(fds);
    if (found) return pid;
  }
  return std::nullopt;
}

}  // namespace e2e3d::sys
