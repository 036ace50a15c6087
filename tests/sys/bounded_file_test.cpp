// The one reader of local files: sizes bounded, non-regular files refused where a file is
// meant, streams bounded where they are fine.

#include <sys/stat.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "e2e3d/sys/bounded_file.hpp"
#include "support/temp_file.hpp"

using namespace e2e3d;
using e2e3d::test::TempFile;

namespace {

std::string refusal(const std::string& path, const sys::FileRules& rules) {
  try {
    sys::read_bounded_file(path, rules);
  } catch (const sys::FileError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("read_bounded_file: a regular file within its limit is read whole", "[sys][files]") {
  TempFile file(std::string(5000, 'x') + "\n");
  CHECK(sys::read_bounded_file(file.path(), {"the rule file"}) == std::string(5000, 'x') + "\n");
  TempFile empty("");
  CHECK(sys::read_bounded_file(empty.path(), {"the rule file"}).empty());
}

TEST_CASE("read_bounded_file: a file over its limit is refused before it is read", "[sys][files]") {
  TempFile file(std::string(2000, 'x'));
  CHECK(refusal(file.path(), {"the rule file", 1000}) ==
        "cannot read the rule file " + file.path() +
            ": it is 2000 bytes, more than the limit of 1000 bytes; no real one is that large: "
            "is it the right file?");
  CHECK(refusal(file.path(), {"the file", 1024, "--max-bytes", true}) ==
        "cannot read the file " + file.path() +
            ": it is 2000 bytes, more than the limit of 1 KiB; raise --max-bytes if it really "
            "is that large");
}

TEST_CASE("read_bounded_file: devices, FIFOs and directories are not files", "[sys][files]") {
  CHECK(refusal("/dev/zero", {"the env_file"}) ==
        "cannot read the env_file /dev/zero: it is a character device, not a regular file");
  CHECK(refusal("/tmp", {"the rule file"}) ==
        "cannot read the rule file /tmp: it is a directory, not a regular file");
  std::string fifo =
      std::filesystem::temp_directory_path() / ("e2e3d-fifo-" + std::to_string(getpid()));
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  // No writer will ever come: were the refusal to wait for one, this test would never end.
  CHECK(refusal(fifo, {"the bearer token file"}) ==
        "cannot read the bearer token file " + fifo +
            ": it is a FIFO (named pipe), not a regular file");
  unlink(fifo.c_str());
  CHECK(refusal("/nonexistent/x", {"the rule file"}) ==
        "cannot read the rule file /nonexistent/x: No such file or directory");
  CHECK(refusal("", {"the rule file"}) == "cannot read the rule file: the path is empty");
}

TEST_CASE("read_bounded_file: where a stream is fine, it is read up to the limit only",
          "[sys][files]") {
  sys::FileRules rules{"the file", 1 << 20, "--max-bytes", true};
  // An endless stream: only the limit ends this read.
  CHECK(refusal("/dev/zero", rules) ==
        "cannot read the file /dev/zero: it holds more than the limit of 1 MiB; raise "
        "--max-bytes if it really is that large");
  CHECK(sys::read_bounded_file("/dev/null", rules).empty());
  try {
    sys::read_bounded_file("/dev/zero", rules);
  } catch (const sys::FileError& e) {
    CHECK(e.too_large());
    CHECK(e.kind() == ErrorKind::io);
  }
  // A directory is never a stream.
  CHECK(refusal("/tmp", rules) ==
        "cannot read the file /tmp: it is a directory, not a regular file");
}

TEST_CASE("BoundedFile: chunked reads never pass the limit", "[sys][files]") {
  TempFile file(std::string(10000, 'y'));
  sys::BoundedFile reader(file.path(), {"the file", 10000});
  CHECK(reader.is_regular());
  CHECK(reader.size_hint() == 10000);
  char buffer[4096];
  std::size_t total = 0;
  while (std::size_t n = reader.read(buffer, sizeof buffer))
    total += n;
  CHECK(total == 10000);
  CHECK(reader.bytes_read() == 10000);
}
