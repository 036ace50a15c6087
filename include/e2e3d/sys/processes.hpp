#pragma once
// What /proc says about a process: its command line and its environment. Read only; values
// are returned to the caller, which decides what may be shown (an environment holds secrets).

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace e2e3d::sys {

// NUL-separated fields as in /proc/PID/cmdline and /proc/PID/environ (a trailing NUL is
// optional; empty fields in the middle are kept).
std::vector<std::string> split_nul(std::string_view data);

// "KEY=VALUE" entries split at the first '='; an entry without '=' has an empty value.
std::vector<std::pair<std::string, std::string>> parse_environ(std::string_view data);

// The last value of `name` in an environment, or nullopt when it is not set.
std::optional<std::string> environment_value(
    const std::vector<std::pair<std::string, std::string>>& environment, std::string_view name);

// /proc/PID/cmdline split into arguments; nullopt when the process is gone or unreadable.
// A kernel thread has an empty command line.
std::optional<std::vector<std::string>> read_cmdline(pid_t pid,
                                                     const std::string& proc_root = "/proc");

// /proc/PID/environ; nullopt when the process is gone or we may not read it (another user).
std::optional<std::vector<std::pair<std::string, std::string>>> read_environ(
    pid_t pid, const std::string& proc_root = "/proc");

// The numeric entries of /proc.
std::vector<pid_t> list_pids(const std::string& proc_root = "/proc");

// File descriptors this process may still open: its soft RLIMIT_NOFILE less those open now
// (a large number when there is no limit).
std::size_t free_descriptors();

// Arguments joined by spaces for a message, cut at `max_chars` with an ellipsis.
std::string format_cmdline(const std::vector<std::string>& argv, std::size_t max_chars = 200);

}  // namespace e2e3d::sys
