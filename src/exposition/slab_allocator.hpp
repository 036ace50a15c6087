#pragma once
// Memory for the big append-only arrays of a scrape. The first few megabytes come from malloc,
// so a small scrape stays small; past that, chunks are carved from large mmap'd slabs that ask
// for transparent huge pages. With 4 KiB pages, a 200 MB scrape costs ~50,000 page faults and
// a quarter of the parse time in the kernel; with 2 MiB pages, a few hundred. The zero fill of
// those pages is done ahead by a background thread (prefaulter.hpp).
// Nothing is freed before the allocator itself.

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <vector>

#include "exposition/prefaulter.hpp"

namespace e2e3d::detail {

class SlabAllocator {
 public:
  SlabAllocator() = default;
  SlabAllocator(const SlabAllocator&) = delete;
  SlabAllocator& operator=(const SlabAllocator&) = delete;
  ~SlabAllocator() {
    for (void* block : small_)
      std::free(block);
    for (const Slab& slab : slabs_)
      ::munmap(slab.base, slab.bytes);
  }

  void* allocate(std::size_t bytes) {
    if (small_bytes_ + bytes <= kSmallLimit) {
      void* block = std::malloc(bytes);
      if (block == nullptr) throw std::bad_alloc();
      small_.push_back(block);
      small_bytes_ += bytes;
      return block;
    }
    bytes = (bytes + 63) & ~std::size_t{63};
    if (bytes > left_) new_slab(bytes);
    void* out = next_;
    next_ += bytes;
    left_ -= bytes;
    // Keep the next few megabytes faulted in by the background thread, ahead of the writes.
    char* const wanted = next_ + std::min(left_, kPrefaultAhead);
    if (wanted > prefaulted_) {
      prefault_later(prefaulted_, static_cast<std::size_t>(wanted - prefaulted_));
      prefaulted_ = wanted;
    }
    return out;
  }

  std::size_t bytes_reserved() const { return small_bytes_ + slab_bytes_; }

 private:
  static constexpr std::size_t kSmallLimit = std::size_t{1} << 20;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  static constexpr std::size_t kSlabBytes = std::size_t{32} << 20;
  // Two huge pages: the parser writes a few hundred MB/s, so this is a lead of ~10 ms, and at
  // most this much is faulted in but never used.
  static constexpr std::size_t kPrefaultAhead = std::size_t{4} << 20;

  struct Slab {
    void* base;
    std::size_t bytes;
  };

  void new_slab(std::size_t at_least) {
    const std::size_t wanted = at_least > kSlabBytes ? at_least : kSlabBytes;
    // One huge page extra, so the usable part can start on a huge-page boundary.
    const std::size_t bytes = (wanted + kHugePage - 1) / kHugePage * kHugePage + kHugePage;
    void* base = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc();
    slabs_.push_back(Slab{base, bytes});
    const auto address = reinterpret_cast<std::uintptr_t>(base);
    const std::uintptr_t aligned = (address + kHugePage - 1) & ~(kHugePage - 1);
    next_ = reinterpret_cast<char*>(aligned);
    left_ = bytes - (aligned - address);
    ::madvise(next_, left_ & ~(kHugePage - 1), MADV_HUGEPAGE);
    prefaulted_ = next_;
    slab_bytes_ += bytes;
  }

  std::vector<void*> small_;
  std::size_t small_bytes_ = 0;
  std::vector<Slab> slabs_;
  std::size_t slab_bytes_ = 0;
  char* next_ = nullptr;
  std::size_t left_ = 0;
  char* prefaulted_ = nullptr;  // end of what the current slab has asked to be faulted in
};

}  // namespace e2e3d::detail
