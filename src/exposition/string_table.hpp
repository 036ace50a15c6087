#pragma once
// The scrape's interned strings: each distinct string is stored once, in large blocks (no heap
// allocation per string), and named by a Symbol, its index. Lookup is an open-addressing hash
// table of symbols.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "e2e3d/scrape.hpp"
#include "exposition/chunked_array.hpp"

namespace e2e3d::detail {

uint32_t hash_bytes(std::string_view text);

class StringTable {
 public:
  Symbol intern(std::string_view text);
  std::optional<Symbol> find(std::string_view text) const;
  std::string_view str(Symbol symbol) const {
    const Entry& entry = entries_[symbol];
    return {entry.data, entry.size};
  }
  std::size_t size() const { return entries_.size(); }
  std::size_t memory_bytes() const;

 private:
  struct Entry {
    const char* data;
    uint32_t size;
    uint32_t hash;
  };
  static constexpr std::size_t kBlockSize = std::size_t{1} << 20;

  const char* store(std::string_view text);
  void grow();

  ChunkedArray<Entry, 14> entries_;
  std::vector<uint32_t> slots_;  // symbol + 1; 0 is an empty slot
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::unique_ptr<char[]>> big_blocks_;  // one string each
  std::size_t block_used_ = kBlockSize;
  std::size_t block_bytes_ = 0;
};

}  // namespace e2e3d::detail
