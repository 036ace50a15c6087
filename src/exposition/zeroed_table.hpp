#pragma once
// A zero-filled array for large hash tables, from mmap: the kernel hands out zero pages (no
// fill pass), and big tables ask for transparent huge pages, because every lookup is a random
// access and with 4 KiB pages each one would also miss the TLB.

#include <sys/mman.h>

#include <cstddef>
#include <new>
#include <utility>

namespace e2e3d::detail {

template <typename T>
class ZeroedTable {
 public:
  ZeroedTable() = default;
  explicit ZeroedTable(std::size_t size) : size_(size) {
    if (size == 0) return;
    bytes_ = size * sizeof(T);
    void* memory =
        ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    constexpr std::size_t kHugePage = std::size_t{2} << 20;
    if (bytes_ >= kHugePage) ::madvise(memory, bytes_, MADV_HUGEPAGE);
    data_ = static_cast<T*>(memory);
  }
  ~ZeroedTable() { release(); }
  ZeroedTable(ZeroedTable&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        bytes_(std::exchange(other.bytes_, 0)) {}
  ZeroedTable& operator=(ZeroedTable&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  ZeroedTable(const ZeroedTable&) = delete;
  ZeroedTable& operator=(const ZeroedTable&) = delete;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t bytes() const { return bytes_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  void swap(ZeroedTable& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(bytes_, other.bytes_);
  }
  T* data() { return data_; }
  const T* data() const { return data_; }

 private:
  void release() {
    if (data_ != nullptr) ::munmap(data_, bytes_);
    data_ = nullptr;
    size_ = 0;
    bytes_ = 0;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t bytes_ = 0;
};

}  // namespace e2e3d::detail
