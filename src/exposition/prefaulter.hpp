#pragma once
// Fresh memory costs a page fault and a zero fill on its first touch (in a virtual machine, also
// the host's work of backing the page), and the big arrays of a scrape are touched for the
// first time by the thread that parses. prefault_later hands that cost to a background thread
// (madvise MADV_POPULATE_WRITE), which runs on a core the parse leaves partly idle, ahead of
// the writes. It changes no memory contents; a range unmapped meanwhile is simply skipped.

#include <cstddef>

namespace e2e3d::detail {

void prefault_later(void* begin, std::size_t bytes);

}  // namespace e2e3d::detail
