#pragma once
// Splits a pass over many series between this thread and a second one (the duplicate check,
// the label-set sort). Below kTwoThreads series a thread costs more than it saves.

#include <cstddef>
#include <thread>

namespace e2e3d::detail {

inline constexpr std::size_t kTwoThreads = std::size_t{1} << 16;

// part(0, 0, split) on a second thread when `threaded`, and part(1, split, count) on this one.
// The parts must not write the same memory.
template <typename Part>
void run_two_parts(std::size_t split, std::size_t count, bool threaded, const Part& part) {
  if (!threaded) {
    part(0, std::size_t{0}, split);
    part(1, split, count);
    return;
  }
  std::thread helper([&] { part(0, std::size_t{0}, split); });
  part(1, split, count);
  helper.join();
}

// The same, halves of `count` items.
template <typename Part>
void in_two_parts(std::size_t count, const Part& part) {
  run_two_parts(count / 2, count, count >= kTwoThreads, part);
}

}  // namespace e2e3d::detail
