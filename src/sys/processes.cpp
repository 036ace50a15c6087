#include "e2e3d/sys/processes.hpp"

#include "e2e3d/error.hpp"

#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>

#include <fmt/format.h>

#include "e2e3d/sys/bounded_file.hpp"
#include "e2e3d/sys/secrets.hpp"

namespace e2e3d::sys {
namespace {

bool all_digits(const char* s) {
  if (!*s) return false;
  for (; *s; ++s) {
    if (*s < '0' || *s > '9') return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> split_nul(std::string_view data) {
  std::vector<std::string> out;
  if (data.empty()) return out;
  if (data.back() == '\0') data.remove_suffix(1);
  size_t pos = 0;
  while (true) {
    size_t end = data.find('\0', pos);
    if (end == std::string_view::npos) {
      out.emplace_back(data.substr(pos));
      break;
    }
    out.emplace_back(data.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_environ(std::string_view data) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& entry : split_nul(data)) {
    if (entry.empty()) continue;
    auto eq = entry.find('=');
    if (eq == std::string::npos)
      out.emplace_back(entry, "");
    else
      out.emplace_back(entry.substr(0, eq), entry.substr(eq + 1));
  }
  return out;
}

std::optional<std::string> environment_value(
    const std::vector<std::pair<std::string, std::string>>& environment, std::string_view name) {
  std::optional<std::string> value;
  for (const auto& [key, v] : environment) {
    if (key == name) value = v;
  }
  return value;
}

std::optional<std::vector<std::string>> read_cmdline(pid_t pid, const std::string& proc_root) {
  auto data = read_proc_file(fmt::format("{}/{}/cmdline", proc_root, pid));
  if (!data) return std::nullopt;
  return split_nul(*data);
}

std::optional<std::vector<std::pair<std::string, std::string>>> read_environ(
    pid_t pid, const std::string& proc_root) {
  auto data = read_proc_file(fmt::format("{}/{}/environ", proc_root, pid));
  if (!data) return std::nullopt;
  return parse_environ(*data);
}

std::vector<pid_t> list_pids(const std::string& proc_root) {
  std::vector<pid_t> pids;
  DIR* dir = opendir(proc_root.c_str());
  if (!dir) return pids;
  while (dirent* entry = readdir(dir)) {
    if (all_digits(entry->d_name)) pids.push_back(static_cast<pid_t>(std::stol(entry->d_name)));
  }
  closedir(dir);
  std::sort(pids.begin(), pids.end());
  return pids;
}

std::size_t free_descriptors() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return std::size_t{1} << 20;
  }
  std::size_t open = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ++open;
    }
    closedir(dir);
    --open;  // the directory's own descriptor
  }
  return limit.rlim_cur > open ? static_cast<std::size_t>(limit.rlim_cur - open) : 0;
}

std::string format_cmdline(const std::vector<std::string>& argv, std::size_t max_chars) {
  std::string out;
  for (const auto& arg : mask_command_line(argv)) {
    if (!out.empty()) out += ' ';
    // A `python -c` program with line breaks, an escape sequence in an argument: one line,
    // nothing a terminal interprets.
    out += one_line(arg);
  }
  if (out.size() > max_chars) {
    out.resize(max_chars);
    out += "…";
  }
  return out;
}

}  // namespace e2e3d::sys
