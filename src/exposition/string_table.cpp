#include "exposition/string_table.hpp"

#include <cstring>
#include <stdexcept>

namespace e2e3d::detail {

namespace {

uint64_t load64(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

uint64_t mix(uint64_t h) {
  h ^= h >> 32;
  h *= 0xd6e8feb86659fd93ULL;
  h ^= h >> 32;
  return h;
}

}  // namespace

// Label values are mostly short (ids, UUIDs), so eight bytes per step and one final mix is enough.
uint32_t hash_bytes(std::string_view text) {
  const char* p = text.data();
  std::size_t n = text.size();
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
  while (n >= 8) {
    h = (h ^ load64(p)) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 29;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t tail = 0;
    std::memcpy(&tail, p, n);
    h = (h ^ tail) * 0x94d049bb133111ebULL;
  }
  return static_cast<uint32_t>(mix(h));
}

std::optional<Symbol> StringTable::find(std::string_view text) const {
  if (slots_.empty()) return std::nullopt;
  const uint32_t hash = hash_bytes(text);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i];
    if (slot == 0) return std::nullopt;
    if (static_cast<uint32_t>(slot >> 32) != hash) continue;
    const auto symbol = static_cast<Symbol>((slot & 0xffffffffu) - 1);
    const Entry& entry = entries_[symbol];
    if (entry.size == text.size() && std::memcmp(entry.data, text.data(), text.size()) == 0) {
      return symbol;
    }
  }
}

Symbol StringTable::intern(std::string_view text) {
  return intern_hashed(text, hash_bytes(text));
}

Symbol StringTable::intern_hashed(std::string_view text, uint32_t hash) {
  if ((entries_.size() + 1) * 4 > slots_.size() * 3) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  for (;; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i];
    if (slot == 0) break;
    if (static_cast<uint32_t>(slot >> 32) != hash) continue;
    const auto symbol = static_cast<Symbol>((slot & 0xffffffffu) - 1);
    const Entry& entry = entries_[symbol];
    if (entry.size == text.size() && std::memcmp(entry.data, text.data(), text.size()) == 0) {
      return symbol;
    }
  }
  if (entries_.size() >= 0xfffffffeu || text.size() >= 0xffffffffu) {
    throw std::length_error("too many distinct strings in one scrape");
  }
  const auto symbol = static_cast<Symbol>(entries_.size());
  entries_.push_back(Entry{store(text), static_cast<uint32_t>(text.size()), hash});
  slots_[i] = (uint64_t{hash} << 32) | (uint64_t{symbol} + 1);
  return symbol;
}

const char* StringTable::store(std::string_view text) {
  if (text.empty()) return "";
  char* out;
  if (text.size() > kBlockSize / 4) {
    // A huge string gets memory of its own, so the current block is not wasted.
    out = static_cast<char*>(blocks_.allocate(text.size()));
  } else {
    if (block_used_ + text.size() > kBlockSize) {
      block_ = static_cast<char*>(blocks_.allocate(kBlockSize));
      block_used_ = 0;
    }
    out = block_ + block_used_;
    block_used_ += text.size();
  }
  std::memcpy(out, text.data(), text.size());
  return out;
}

void StringTable::grow() {
  rehash(slots_.empty() ? 1024 : slots_.size() * 2);
}

void StringTable::reserve(std::size_t count) {
  std::size_t slot_count = slots_.empty() ? 1024 : slots_.size();
  // The same load limit as intern_hashed's: at most three quarters full.
  while ((count + 1) * 4 > slot_count * 3)
    slot_count *= 2;
  if (slot_count > slots_.size()) rehash(slot_count);
}

void StringTable::rehash(std::size_t slot_count) {
  ZeroedTable<uint64_t> slots(slot_count);
  const std::size_t mask = slots.size() - 1;
  for (std::size_t symbol = 0; symbol < entries_.size(); ++symbol) {
    const uint32_t hash = entries_[symbol].hash;
    std::size_t i = hash & mask;
    while (slots[i] != 0)
      i = (i + 1) & mask;
    slots[i] = (uint64_t{hash} << 32) | (uint64_t{symbol} + 1);
  }
  slots_ = std::move(slots);
}

std::size_t StringTable::memory_bytes() const {
  return entries_.capacity_bytes() + slots_.bytes() + blocks_.bytes_reserved();
}

}  // namespace e2e3d::detail
