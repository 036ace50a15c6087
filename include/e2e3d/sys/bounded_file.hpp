#pragma once
// Reading files someone else wrote (configurations, rule files, token files, target lists,
// recordings, scrapes, standard input) within a size limit, and refusing what is not a regular
// file where one is meant. Without it, `env_file: /dev/zero` reads forever, a FIFO blocks, a
// directory reads as empty and a huge file exhausts memory, and each of these then gives a
// wrong verdict ("ENABLE_METRICS is not set", "lists no target") instead of an error.
// Every reader of a local file in the tree goes through this class.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "e2e3d/error.hpp"

namespace e2e3d::sys {

// Limits of the files that have no flag of their own: no real one comes near them.
inline constexpr std::size_t kMaxConfigBytes = 16u * 1024u * 1024u;  // YAML, TOML, rules, lists
inline constexpr std::size_t kMaxSecretBytes = 64u * 1024u;          // a token or password file

// Why a file was refused: Error(ErrorKind::io) with one line, and whether it was its size.
class FileError : public Error {
 public:
  FileError(const std::string& message, bool too_large)
      : Error(ErrorKind::io, message), too_large_(too_large) {}
  bool too_large() const noexcept { return too_large_; }

 private:
  bool too_large_;
};

struct FileRules {
  FileRules(std::string_view what, std::size_t max_bytes = kMaxConfigBytes,
            std::string_view raise_with = {}, bool stream_ok = false)
      : what(what), max_bytes(max_bytes), raise_with(raise_with), stream_ok(stream_ok) {}

  std::string_view what;        // what the file is, for messages: "the bearer token file"
  std::size_t max_bytes;        // larger files are refused
  std::string_view raise_with;  // the flag that raises the limit ("--max-bytes"), or ""
  // A stream is fine: "-" reads standard input, and a pipe, a FIFO or a character device is
  // read (a scrape from `--file <(curl ...)`), always within max_bytes. Otherwise only a
  // regular file is, since configurations and tokens are files.
  bool stream_ok;
};

// An open file, read in chunks that never add up to more than the limit.
class BoundedFile {
 public:
  // Opens `path` ("-": standard input, when streams are fine) and checks that it is a regular
  // file (or a stream, when fine). Throws FileError: "cannot read the rule file /dev/zero: it
  // is a character device, not a regular file", also for a directory and for a file already
  // larger than the limit.
  BoundedFile(const std::string& path, const FileRules& rules);
  ~BoundedFile();
  BoundedFile(const BoundedFile&) = delete;
  BoundedFile& operator=(const BoundedFile&) = delete;

  // Up to `capacity` bytes; 0 at the end. Throws FileError when the bytes read pass the limit
  // (a file that grew, a pipe that never ends) or a read fails.
  std::size_t read(char* buffer, std::size_t capacity);
  // The rest of the file, whole.
  std::string read_all();

  bool is_regular() const { return regular_; }
  // A regular file's size when it was opened (a hint for buffers); 0 otherwise.
  std::size_t size_hint() const { return size_hint_; }
  // The file as messages name it: the path, or "<stdin>".
  const std::string& name() const { return name_; }
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  void check_opened();  // what was opened is what the rules allow
  [[noreturn]] void refuse(std::string_view why, bool too_large = false) const;

  FileRules rules_;
  std::string name_;
  int fd_ = -1;
  bool fd_is_stdin_ = false;
  bool regular_ = false;
  std::size_t size_hint_ = 0;
  uint64_t bytes_read_ = 0;
};

// The whole file at `path`, by the rules. Throws FileError.
std::string read_bounded_file(const std::string& path, const FileRules& rules);

// A file the kernel writes under /proc (a process's cmdline or environ, /proc/net/tcp), whole
// up to kMaxProcBytes; nullopt when it cannot be read (the process is gone, or another user's).
inline constexpr std::size_t kMaxProcBytes = 64u * 1024u * 1024u;
std::optional<std::string> read_proc_file(const std::string& path);

}  // namespace e2e3d::sys
