#pragma once
// The scrape's interned strings: each distinct string is stored once, in large blocks (no heap
// allocation per string), and named by a Symbol, its index. Lookup is an open-addressing hash
// table of symbols.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "e2e3d/scrape.hpp"
#include "exposition/chunked_array.hpp"
#include "exposition/zeroed_table.hpp"

namespace e2e3d::detail {

uint32_t hash_bytes(std::string_view text);

class StringTable {
 public:
  Symbol intern(std::string_view text);
  // intern() that first tries `hint` and the symbol after it: a label at one position often
  // repeats its value, or takes the value interned right after the previous one (a second pass
  // over the same ids), and both checks read memory that is already in cache.
  Symbol intern(std::string_view text, Symbol hint) {
    if (const auto symbol = match_hint(text, hint)) return *symbol;
    return intern(text);
  }
  std::optional<Symbol> match_hint(std::string_view text, Symbol hint) const {
    for (Symbol candidate : {hint, hint + 1}) {
      if (candidate < entries_.size()) {
        const Entry& entry = entries_[candidate];
        if (entry.size != text.size()) continue;
        // Most misses differ in the first eight bytes: reject them without a memcmp call.
        if (text.size() >= 8) {
          uint64_t a;
          uint64_t b;
          std::memcpy(&a, entry.data, 8);
          std::memcpy(&b, text.data(), 8);
          if (a != b) continue;
        }
        if (std::memcmp(entry.data, text.data(), text.size()) == 0) return candidate;
      }
    }
    return std::nullopt;
  }
  // intern() with the hash computed earlier, typically right before a prefetch(hash) that let
  // the slot's cache miss overlap with other work.
  Symbol intern_hashed(std::string_view text, uint32_t hash);
  void prefetch(uint32_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & (slots_.size() - 1)]);
  }
  std::optional<Symbol> find(std::string_view text) const;
  // Sizes the hash table for `count` strings at once: growing to a million strings rehashes
  // every string about once more and touches twice the table's memory on the way.
  void reserve(std::size_t count);
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
  void rehash(std::size_t slot_count);

  ChunkedArray<Entry, 14> entries_;
  // (hash << 32) | (symbol + 1); 0 is an empty slot. The hash in the slot spares a cache miss
  // on the entry for every probe that does not match.
  ZeroedTable<uint64_t> slots_;
  SlabAllocator blocks_;
  char* block_ = nullptr;
  std::size_t block_used_ = kBlockSize;
};

}  // namespace e2e3d::detail
