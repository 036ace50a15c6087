// Wiring only: the commands live in their own files.
#include <cstdio>

#include "e2e3d/version.hpp"

int main() {
  std::printf("e2e3d-metrics %s\n", e2e3d::kVersion);
  return 0;
}
