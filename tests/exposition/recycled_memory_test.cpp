#include "exposition/recycled_memory.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include <catch2/catch.hpp>

#include "exposition/zeroed_table.hpp"

using namespace e2e3d::detail;

namespace {
// A size no other test or earlier phase of this process asks for, so the pool holds nothing
// that fits it before the test gives something back.
constexpr std::size_t kOdd = (std::size_t{3} << 20) + 4096 * 7;
}  // namespace

TEST_CASE("a mapping given back is reused, with its old contents, for a request it fits",
          "[recycled_memory]") {
  Mapping first = map_memory(kOdd);
  REQUIRE(first.data != nullptr);
  CHECK(first.bytes >= kOdd);
  std::memset(first.data, 0xab, kOdd);
  unmap_memory(first);
  Mapping second = map_memory(kOdd - 4096);
  CHECK(second.data == first.data);
  CHECK_FALSE(second.zeroed);
  CHECK(static_cast<unsigned char*>(second.data)[100] == 0xab);
  unmap_memory(second);
}

TEST_CASE("a zeroed table is zero even when its memory was used before", "[recycled_memory]") {
  {
    ZeroedTable<uint32_t> dirty(kOdd / 4);
    std::fill(dirty.begin(), dirty.end(), 0xffffffffu);
  }
  ZeroedTable<uint32_t> reused(kOdd / 4);
  CHECK(std::all_of(reused.begin(), reused.end(), [](uint32_t v) { return v == 0; }));
}

TEST_CASE("small mappings are not kept and the pool is bounded", "[recycled_memory]") {
  Mapping small = map_memory(4096);
  CHECK(small.zeroed);
  unmap_memory(small);
  CHECK(map_memory(4096).zeroed);  // the test leaks 4 KiB on purpose: unmapped at exit
  // More than the pool keeps, given back at once: what does not fit is unmapped, and asking for
  // all of it again needs fresh memory for some.
  std::vector<Mapping> many;
  for (std::size_t kept = 0; kept <= kKeptBytes; kept += kOdd)
    many.push_back(map_memory(kOdd));
  for (const Mapping& m : many)
    unmap_memory(m);
  std::size_t fresh = 0;
  for (Mapping& m : many) {
    m = map_memory(kOdd);
    fresh += m.zeroed ? 1 : 0;
  }
  CHECK(fresh >= 1);
  CHECK(fresh < many.size());
  for (const Mapping& m : many)
    unmap_memory(m);
}

TEST_CASE("a vector with the recycling allocator reuses big buffers", "[recycled_memory]") {
  // Bigger than what the other tests give back, so the best fit is this test's own buffer.
  constexpr std::size_t kCount = (kOdd + (std::size_t{1} << 20)) / 8;
  const void* first = nullptr;
  {
    std::vector<uint64_t, RecyclingAllocator<uint64_t>> keys(kCount, 7);
    first = keys.data();
  }
  std::vector<uint64_t, RecyclingAllocator<uint64_t>> again(kCount);
  CHECK(static_cast<const void*>(again.data()) == first);
  CHECK(again[12345] == 0);  // value-initialized by the vector
  std::vector<uint64_t, RecyclingAllocator<uint64_t>> small(16, 1);
  CHECK(small[15] == 1);
}
