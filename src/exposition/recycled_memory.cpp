#include "exposition/recycled_memory.hpp"

#include <sys/mman.h>

#include <mutex>
#include <new>
#include <vector>

namespace e2e3d::detail {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;

struct Kept {
  std::mutex mutex;
  std::vector<Mapping> mappings;
  std::size_t bytes = 0;
  std::vector<Mapping> lent;  // handed out by map_memory_at
};

Kept& kept() {
  // Never destroyed: a static destructor could run while another thread still unmaps.
  static Kept* const pool = new Kept;
  return *pool;
}

}  // namespace

Mapping map_memory(std::size_t bytes) {
  if (bytes >= kRecycleMin) {
    Kept& pool = kept();
    std::lock_guard lock(pool.mutex);
    // The smallest kept mapping that fits, so a big one stays for a big request.
    std::size_t best = pool.mappings.size();
    for (std::size_t i = 0; i < pool.mappings.size(); ++i) {
      const std::size_t size = pool.mappings[i].bytes;
      if (size >= bytes && (best == pool.mappings.size() || size < pool.mappings[best].bytes))
        best = i;
    }
    if (best != pool.mappings.size()) {
      Mapping reused = pool.mappings[best];
      pool.mappings.erase(pool.mappings.begin() + static_cast<std::ptrdiff_t>(best));
      pool.bytes -= reused.bytes;
      reused.zeroed = false;
      return reused;
    }
  }
  void* data = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED) throw std::bad_alloc();
  // Every access to a big table is a random one: with 4 KiB pages, each would also miss the TLB.
  if (bytes >= kHugePage) ::madvise(data, bytes, MADV_HUGEPAGE);
  return Mapping{data, bytes, true};
}

void unmap_memory(const Mapping& mapping) {
  if (mapping.data == nullptr) return;
  if (mapping.bytes >= kRecycleMin) {
    Kept& pool = kept();
    std::lock_guard lock(pool.mutex);
    if (pool.bytes + mapping.bytes <= kKeptBytes) {
      pool.mappings.push_back(mapping);
      pool.bytes += mapping.bytes;
      return;
    }
  }
  ::munmap(mapping.data, mapping.bytes);
}

void* map_memory_at(std::size_t bytes) {
  const Mapping mapping = map_memory(bytes);
  Kept& pool = kept();
  std::lock_guard lock(pool.mutex);
  pool.lent.push_back(mapping);
  return mapping.data;
}

void unmap_memory_at(void* data) {
  Mapping mapping;
  {
    Kept& pool = kept();
    std::lock_guard lock(pool.mutex);
    for (std::size_t i = 0; i < pool.lent.size(); ++i) {
      if (pool.lent[i].data == data) {
        mapping = pool.lent[i];
        pool.lent.erase(pool.lent.begin() + static_cast<std::ptrdiff_t>(i));
        break;
      }
    }
  }
  unmap_memory(mapping);
}

}  // namespace e2e3d::detail
