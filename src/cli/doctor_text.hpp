#pragma once
// doctor's checklist as text: one line per check, the detail and the fix under the troubled
// ones, and the verdict.

#include <string>

#include "cli/style.hpp"
#include "e2e3d/doctor/doctor.hpp"

namespace e2e3d::cli {

std::string doctor_text_report(const doctor::Report& report, const std::string& target,
                               const Style& style, bool verbose);

// "✔ PASS", "⚠ WARN" or "✖ FAIL", styled.
std::string doctor_verdict(doctor::Status status, const Style& style);

}  // namespace e2e3d::cli
