#pragma once
// A private directory under /tmp, removed with everything in it when the test ends.

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace e2e3d::test {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name) {
    std::string pattern = "/tmp/e2e3d-" + name + "-XXXXXX";
    path = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string str() const { return path.string(); }
};

// The build tree the binary under test comes from (it is built at the top of it).
inline std::string build_dir() {
  return std::filesystem::path(E2E3D_METRICS_BIN).parent_path().string();
}

}  // namespace e2e3d::test
