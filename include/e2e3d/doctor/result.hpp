#pragma once
// One finding of `doctor`: a check id (fixed, see ARCHITECTURE.md), a status, and three texts
// for people: what was found (summary, one line), the evidence (detail), what to do (fix).

#include <string>
#include <string_view>

namespace e2e3d::doctor {

enum class Status { pass, warn, fail, skip };

// "pass", "warn", "fail", "skip": the JSON and JUnit spelling.
std::string_view status_name(Status status);

struct Result {
  std::string id;
  Status status = Status::skip;
  std::string summary;
  std::string detail;
  std::string fix;
};

}  // namespace e2e3d::doctor
