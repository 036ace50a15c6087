// Recording files: checked when the watch starts, written whole or not at all when it ends, and
// read back for --replay.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "e2e3d/live/recording.hpp"

namespace e2e3d::live {
namespace {

std::string directory_of(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

// Why a file could not be made or written there, and what to do, for one errno.
std::string why(int error, const std::string& path) {
  switch (error) {
    case ENOENT:
      return fmt::format("the directory {} does not exist: create it or record elsewhere",
                         directory_of(path));
    case ENOTDIR:
      return fmt::format("{} is not a directory: record elsewhere", directory_of(path));
    case EACCES:
    case EPERM:
      return fmt::format("permission denied in {}: record where you may write", directory_of(path));
    case EROFS:
      return fmt::format("{} is on a read-only file system: record elsewhere", directory_of(path));
    case ENOSPC:
    case EDQUOT:
      return fmt::format(
          "no space left on the device of {} ({}): free some space or record "
          "elsewhere",
          directory_of(path), std::strerror(error));
    default:
      return std::strerror(error);
  }
}

[[noreturn]] void fail(const std::string& path, int error) {
  throw Error(ErrorKind::io,
              fmt::format("cannot write the recording {}: {}", path, why(error, path)));
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

RecordingFile::RecordingFile(std::string path, bool replace)
    : path_(std::move(path)), replace_(replace) {
  struct stat st {};
  bool exists = ::lstat(path_.c_str(), &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    throw Error(ErrorKind::io, fmt::format("cannot write the recording {}: it is a directory; "
                                           "name a file in it",
                                           path_));
  }
  if (!replace_ && exists) {
    throw Error(ErrorKind::io,
                fmt::format("cannot write the recording {}: it exists already; pass --force to "
                            "replace it, or choose another name",
                            path_));
  }
  // A new file of our own in the target directory: O_EXCL never opens what is there already,
  // a symbolic link planted under the name included, and the rename at the end stays on the
  // same file system.
  std::string name = path_ + ".XXXXXX.partial";
  int fd = ::mkostemps(name.data(), 8, O_CLOEXEC);
  if (fd < 0) fail(path_, errno);
  temporary_ = name;
  fd_ = fd;
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);  // as an ordinary new file; mkstemp's 0600 is for secrets
}

RecordingFile::~RecordingFile() {
  discard();
}

void RecordingFile::discard() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temporary_.empty()) ::unlink(temporary_.c_str());
  temporary_.clear();
}

void RecordingFile::write(const History& history) {
  if (fd_ < 0) throw Error(ErrorKind::io, fmt::format("the recording {} was written", path_));
  const std::string text = recording_text(history);
  if (!write_all(fd_, text) || ::fsync(fd_) != 0 || ::close(std::exchange(fd_, -1)) != 0) {
    int error = errno;
    discard();
    fail(path_, error);
  }
  // Without --force, a file that appeared during the watch is not replaced either.
  int renamed = replace_ ? ::rename(temporary_.c_str(), path_.c_str())
                         : ::renameat2(AT_FDCWD, temporary_.c_str(), AT_FDCWD, path_.c_str(),
                                       RENAME_NOREPLACE);
  if (renamed != 0 && !replace_ && errno == EINVAL) {
    // A file system without RENAME_NOREPLACE: link() does not replace either.
    renamed = ::link(temporary_.c_str(), path_.c_str());
    if (renamed == 0) ::unlink(temporary_.c_str());
  }
  if (renamed != 0 && !replace_ && errno == EEXIST) {
    std::string kept = std::exchange(temporary_, std::string());
    throw Error(ErrorKind::io,
                fmt::format("cannot write the recording {}: a file of that name appeared during "
                            "the watch; the recording is in {} (pass --force to replace)",
                            path_, kept));
  }
  if (renamed != 0) {
    int error = errno;
    discard();
    fail(path_, error);
  }
  temporary_.clear();
}

void write_recording(const std::string& path, const History& history, bool replace) {
  RecordingFile(path, replace).write(history);
}

History read_replay(const std::string& path) {
  History history = read_recording(path);
  if (!history.newest_ms()) {
    throw Error(ErrorKind::parse, fmt::format("{}: the recording holds no samples", path));
  }
  return history;
}

}  // namespace e2e3d::live
