// The fuzz harness, compiled into the normal (non-fuzz) build so fuzz_regressions_test.cpp can
// replay inputs through it; the test build only compiles what is in this directory.
#include "../../fuzz/harness/json_api.cpp"
