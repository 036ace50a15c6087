#pragma once
// Numbers as people read them at 3 a.m.: 21.3 MiB, 2d 4h, 70.0 %.

#include <optional>
#include <string>

namespace e2e3d::cli {

std::string human_bytes(double bytes);
std::string human_duration(double seconds);  // 15.50 s, 192.0 s (3m 12s)
std::string human_count(double value);       // integers without a fraction, else 2 decimals
std::string human_percent(double percent);

}  // namespace e2e3d::cli
