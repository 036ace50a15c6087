#pragma once
// A zero-filled array for large hash tables and indexes, from mmap: the kernel hands out zero
// pages (no fill pass), and big tables ask for transparent huge pages, because every lookup is
// a random access and with 4 KiB pages each one would also miss the TLB. A table of another
// phase that was released is reused when it fits (recycled_memory.hpp), cleared by a memset.

#include <cstddef>
#include <cstring>
#include <utility>

#include "exposition/recycled_memory.hpp"

namespace e2e3d::detail {

template <typename T>
class ZeroedTable {
 public:
  ZeroedTable() = default;
  explicit ZeroedTable(std::size_t size) : size_(size) {
    if (size == 0) return;
    mapping_ = map_memory(size * sizeof(T));
    if (!mapping_.zeroed) std::memset(mapping_.data, 0, size * sizeof(T));
    data_ = static_cast<T*>(mapping_.data);
  }
  ~ZeroedTable() { release(); }
  ZeroedTable(ZeroedTable&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        mapping_(std::exchange(other.mapping_, Mapping{})) {}
  ZeroedTable& operator=(ZeroedTable&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      mapping_ = std::exchange(other.mapping_, Mapping{});
    }
    return *this;
  }
  ZeroedTable(const ZeroedTable&) = delete;
  ZeroedTable& operator=(const ZeroedTable&) = delete;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t bytes() const { return mapping_.bytes; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  void swap(ZeroedTable& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(mapping_, other.mapping_);
  }
  T* data() { return data_; }
  const T* data() const { return data_; }

 private:
  void release() {
    unmap_memory(mapping_);
    mapping_ = Mapping{};
    data_ = nullptr;
    size_ = 0;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  Mapping mapping_;
};

}  // namespace e2e3d::detail
