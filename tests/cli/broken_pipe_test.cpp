// `e2e3d-metrics ... | head -1`: the reader leaving early is not an error.
#include <catch2/catch.hpp>

#include <string>

#include "support/child_process.hpp"

TEST_CASE("a reader that goes away early ends the output quietly with exit 0") {
  // Enough lines that the pipe fills and breaks before the tool is done writing.
  std::string many = "# TYPE x gauge\n";
  for (int i = 0; i < 20000; ++i)
    many += "x{i=\"" + std::to_string(i) + "\"} 1\n";
  auto r =
      e2e3d::test::run({"/usr/bin/bash", "-c",
                        std::string(E2E3D_METRICS_BIN) + " query --file - x | head -1 >/dev/null; "
                                                         "exit ${PIPESTATUS[0]}"},
                       {}, many);
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
}
