#include "exposition/prefaulter.hpp"

#include <sys/mman.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

namespace e2e3d::detail {

namespace {

class Prefaulter {
 public:
  Prefaulter() {
    std::thread([this] { run(); }).detach();
  }

  void request(void* begin, std::size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      requests_.emplace_back(begin, bytes);
    }
    wake_.notify_one();
  }

 private:
  [[noreturn]] void run() {
    for (;;) {
      std::pair<void*, std::size_t> next;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return !requests_.empty(); });
        next = requests_.front();
        requests_.pop_front();
      }
      // Page-aligned, as madvise wants; a failure (old kernel, range gone) only means the
      // parser faults the pages in itself.
      const auto address = reinterpret_cast<std::uintptr_t>(next.first);
      const std::uintptr_t begin = address & ~std::uintptr_t{4095};
      ::madvise(reinterpret_cast<void*>(begin), next.second + (address - begin),
                MADV_POPULATE_WRITE);
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<void*, std::size_t>> requests_;
};

}  // namespace

void prefault_later(void* begin, std::size_t bytes) {
  // Never destroyed: the thread waits on it until the process ends.
  static Prefaulter* const prefaulter = new Prefaulter;
  prefaulter->request(begin, bytes);
}

}  // namespace e2e3d::detail
