// Bounded reads of local files; see bounded_file.hpp for why every reader goes through here.

#include "e2e3d/sys/bounded_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace e2e3d::sys {
namespace {

std::string_view kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::string bytes_text(uint64_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
    return fmt::format("{} MiB", bytes / (1024 * 1024));
  }
  if (bytes >= 1024 && bytes % 1024 == 0) return fmt::format("{} KiB", bytes / 1024);
  return fmt::format("{} bytes", bytes);
}

}  // namespace

BoundedFile::BoundedFile(const std::string& path, const FileRules& rules) : rules_(rules) {
  fd_is_stdin_ = path == "-" && rules.stream_ok;
  name_ = fd_is_stdin_ ? "<stdin>" : one_line(path.substr(0, 500));
  if (path.empty()) refuse("the path is empty");
  if (fd_is_stdin_) {
    fd_ = STDIN_FILENO;
  } else {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before it can be refused. Where a
    // stream is fine, the open waits for the writer, as cat's does.
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | (rules.stream_ok ? 0 : O_NONBLOCK));
    if (fd_ < 0) refuse(std::strerror(errno));
  }
  // A constructor that throws runs no destructor: the descriptor is closed here.
  try {
    check_opened();
  } catch (...) {
    if (!fd_is_stdin_) close(fd_);
    throw;
  }
}

void BoundedFile::check_opened() {
  struct stat st {};
  if (fstat(fd_, &st) != 0) refuse(std::strerror(errno));
  regular_ = S_ISREG(st.st_mode);
  if (S_ISDIR(st.st_mode) || (!regular_ && !rules_.stream_ok)) {
    refuse(fmt::format("it is {}, not a regular file", kind_of(st.st_mode)));
  }
  if (regular_) {
    if (static_cast<uint64_t>(st.st_size) > rules_.max_bytes) {
      refuse(fmt::format("it is {} bytes, more than the limit of {}", st.st_size,
                         bytes_text(rules_.max_bytes)),
             true);
    }
    size_hint_ = static_cast<std::size_t>(st.st_size);
  }
  if (!fd_is_stdin_ && !rules_.stream_ok) fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) & ~O_NONBLOCK);
}

BoundedFile::~BoundedFile() {
  if (fd_ >= 0 && !fd_is_stdin_) close(fd_);
}

void BoundedFile::refuse(std::string_view why, bool too_large) const {
  std::string fix;
  if (too_large) {
    fix = rules_.raise_with.empty()
              ? "; no real one is that large: is it the right file?"
              : fmt::format("; raise {} if it really is that large", rules_.raise_with);
  }
  std::string subject = fd_is_stdin_    ? std::string("standard input")
                        : name_.empty() ? std::string(rules_.what)
                                        : fmt::format("{} {}", rules_.what, name_);
  throw FileError(fmt::format("cannot read {}: {}{}", subject, why, fix), too_large);
}

std::size_t BoundedFile::read(char* buffer, std::size_t capacity) {
  // One byte past the limit is enough to know it was passed; never more is held.
  uint64_t room = rules_.max_bytes - std::min<uint64_t>(bytes_read_, rules_.max_bytes) + 1;
  capacity = static_cast<std::size_t>(std::min<uint64_t>(capacity, room));
  while (true) {
    ssize_t n = ::read(fd_, buffer, capacity);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) refuse(std::strerror(errno));
    bytes_read_ += static_cast<uint64_t>(n);
    if (bytes_read_ > rules_.max_bytes) {
      refuse(fmt::format("it holds more than the limit of {}", bytes_text(rules_.max_bytes)), true);
    }
    return static_cast<std::size_t>(n);
  }
}

std::string BoundedFile::read_all() {
  std::string out;
  out.resize(
      std::min<std::size_t>(std::max<std::size_t>(size_hint_ + 1, 4096), rules_.max_bytes + 1));
  std::size_t used = 0;
  while (true) {
    if (used == out.size()) out.resize(std::min(out.size() * 2, rules_.max_bytes + 1));
    std::size_t n = read(out.data() + used, out.size() - used);
    if (n == 0) break;
    used += n;
  }
  out.resize(used);
  return out;
}

std::string read_bounded_file(const std::string& path, const FileRules& rules) {
  return BoundedFile(path, rules).read_all();
}

std::optional<std::string> read_proc_file(const std::string& path) {
  try {
    return read_bounded_file(path, {"the kernel's file", kMaxProcBytes});
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace e2e3d::sys
