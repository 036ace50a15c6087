#pragma once
// A private temporary directory, removed with everything in it at the end of the test.

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace e2e3d::test {

struct TempDir {
  std::string path;
  TempDir() {
    std::string pattern = "/tmp/e2e3d-rules-XXXXXX";
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, const std::string& text) const {
    std::string file = path + "/" + name;
    std::ofstream(file, std::ios::binary) << text;
    return file;
  }
};

}  // namespace e2e3d::test
