#pragma once
// Append-only arrays stored in fixed-size chunks. A scrape can hold millions of series; a
// std::vector would briefly need 1.5-3x its final size while it doubles, and the tool's memory
// budget is the size of the response. Chunks never move, so references stay valid.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <span>
#include <type_traits>
#include <vector>

#include "exposition/slab_allocator.hpp"

namespace e2e3d::detail {

template <typename T, unsigned ChunkBits>
class ChunkedArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  static constexpr std::size_t kChunkSize = std::size_t{1} << ChunkBits;
  static constexpr std::size_t kMask = kChunkSize - 1;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  const T& operator[](std::size_t index) const {
    return chunks_[index >> ChunkBits][index & kMask];
  }
  T& operator[](std::size_t index) { return chunks_[index >> ChunkBits][index & kMask]; }

  void push_back(const T& value) { emplace_back() = value; }

  // A new element, value-initialized, for the caller to fill in place.
  T& emplace_back() {
    if ((size_ & kMask) == 0 && (size_ >> ChunkBits) == chunks_.size()) add_chunk();
    T* slot = &chunks_[size_ >> ChunkBits][size_ & kMask];
    ++size_;
    return *::new (slot) T();
  }

  // Appends `values` so that they are contiguous in memory (never split across two chunks) and
  // returns the index of the first. The tail of a chunk that is too short is skipped.
  // Precondition: values.size() <= kChunkSize.
  std::size_t append_contiguous(std::span<const T> values) {
    if (values.empty()) return size_;
    std::size_t offset = size_ & kMask;
    if (offset != 0 && offset + values.size() > kChunkSize) {
      size_ += kChunkSize - offset;  // leave the rest of this chunk unused
      offset = 0;
    }
    if (offset == 0 && (size_ >> ChunkBits) == chunks_.size()) add_chunk();
    const std::size_t first = size_;
    T* out = chunks_[size_ >> ChunkBits] + offset;
    for (std::size_t i = 0; i < values.size(); ++i)
      out[i] = values[i];
    size_ += values.size();
    return first;
  }

  // Bytes of memory held, for tests of the memory budget.
  std::size_t capacity_bytes() const { return chunks_.size() * kChunkSize * sizeof(T); }

  ChunkedArray() = default;
  ChunkedArray(const ChunkedArray&) = delete;
  ChunkedArray& operator=(const ChunkedArray&) = delete;

 private:
  void add_chunk() {
    // T is trivially copyable and destructible, so its objects begin life when assigned; the
    // memory is only touched (and counted in RSS) when written.
    chunks_.push_back(static_cast<T*>(memory_.allocate(kChunkSize * sizeof(T))));
  }

  SlabAllocator memory_;
  std::vector<T*> chunks_;
  std::size_t size_ = 0;
};

}  // namespace e2e3d::detail
