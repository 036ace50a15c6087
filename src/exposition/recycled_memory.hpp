#pragma once
// Large anonymous mappings that one phase of a big parse hands back and the next one reuses:
// the duplicate check's tables become the name index and the label-set sort's keys. Fresh
// memory costs a page fault and a zero fill on its first touch, and in a virtual machine the
// host's work of backing each page, which on this project's machines was the largest single
// cost of reading a million-job scrape. Memory that is already resident costs one memset.
//
// Mappings under kRecycleMin bytes are plain mmap/munmap. At most kKeptBytes are kept for
// reuse at a time (the rest are unmapped): a long-running watch of a big scrape holds that
// much between scrapes, and the next scrape takes it back.

#include <cstddef>
#include <new>

namespace e2e3d::detail {

struct Mapping {
  void* data = nullptr;
  std::size_t bytes = 0;  // what was mapped: at least what was asked for
  bool zeroed = false;    // fresh from the kernel; a reused mapping holds old contents
};

inline constexpr std::size_t kRecycleMin = std::size_t{1} << 20;
inline constexpr std::size_t kKeptBytes = std::size_t{64} << 20;

// A mapping of at least `bytes` (> 0), readable and writable, asking for transparent huge
// pages when it is big enough for them. Throws std::bad_alloc.
Mapping map_memory(std::size_t bytes);
// Returns a mapping from map_memory, for reuse or unmapping.
void unmap_memory(const Mapping& mapping);

// The same for callers that keep only the address (an allocator): the size is remembered.
void* map_memory_at(std::size_t bytes);
void unmap_memory_at(void* data);

// An allocator for std::vector whose big buffers come from map_memory, for arrays that are
// rebuilt often (the keys of a label-set sort).
template <typename T>
struct RecyclingAllocator {
  using value_type = T;
  RecyclingAllocator() = default;
  template <typename U>
  RecyclingAllocator(const RecyclingAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kRecycleMin) return static_cast<T*>(::operator new(bytes));
    return static_cast<T*>(map_memory_at(bytes));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kRecycleMin) {
      ::operator delete(p);
    } else {
      unmap_memory_at(p);
    }
  }
  template <typename U>
  bool operator==(const RecyclingAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace e2e3d::detail
