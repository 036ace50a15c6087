#pragma once
// The fuzz harnesses: one function per reader of untrusted input, each taking arbitrary bytes.
// They are linked into the libFuzzer executables (fuzz_main.cpp) and, in the normal build, into
// tests/robustness, which replays every input in fuzz/regressions/ through them.
//
// The contract they check: rejecting input with an e2e3d::Error is fine, provided its message
// is fit for one terminal line (non-empty, bounded, no control characters: hostile input must not
// inject terminal escapes or break the line). Any other exception escapes the harness; in the
// fuzzer that is a crash, in a test a failure. Invariants a harness checks itself throw Finding.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "e2e3d/error.hpp"

namespace e2e3d::fuzz {

// Longest acceptable error message: enough for what/where/why/fix plus a short quote.
inline constexpr std::size_t kMaxErrorMessage = 4096;

// A broken invariant; deliberately not an e2e3d::Error, so nothing in the product catches it.
class Finding : public std::logic_error {
 public:
  Finding(std::string_view target, const std::string& what);
};

// Throws Finding when `error`'s message is empty, too long, or holds a control character.
void check_error_message(const e2e3d::Error& error, std::string_view target);

// The harnesses; `data` is one fuzz input.
void exposition_input(std::string_view data);
void promql_input(std::string_view data);
void yaml_compose_input(std::string_view data);
void yaml_rules_input(std::string_view data);
void yaml_doctor_input(std::string_view data);
void yaml_load_input(std::string_view data);
void template_input(std::string_view data);
void recording_input(std::string_view data);
void json_api_input(std::string_view data);
void json_file_sd_input(std::string_view data);

}  // namespace e2e3d::fuzz
