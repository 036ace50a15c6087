// libFuzzer's entry point for one harness; E2E3D_FUZZ_HARNESS names it (see CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness/support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  E2E3D_FUZZ_HARNESS(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
