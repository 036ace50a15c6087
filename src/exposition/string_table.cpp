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

uint32_t load32(const char* p) {
  uint32_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// The high and low halves of a 128-bit product, folded: one multiply mixes 64 bits into 64.
__extension__ using Uint128 = unsigned __int128;  // GCC and Clang; __extension__ for -Wpedantic

uint64_t fold_multiply(uint64_t a, uint64_t b) {
  const Uint128 product = static_cast<Uint128>(a) * b;
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

constexpr uint64_t kSecret0 = 0xa0761d6478bd642fULL;
constexpr uint64_t kSecret1 = 0xe7037ed1a0b428dbULL;
constexpr uint64_t kSecret2 = 0x8ebc6af09c88c6e3ULL;

}  // namespace

// wyhash's scheme: 16 bytes per folded multiply, the last 16 read (overlapping) as one, so a
// 36-byte UUID costs four multiplies. Label values are hashed on the read-ahead thread, which
// reads the whole input, so this is on the critical path of a large parse.
uint32_t hash_bytes(std::string_view text) {
  const char* p = text.data();
  const std::size_t n = text.size();
  uint64_t seed = kSecret0 ^ n;
  uint64_t a = 0;
  uint64_t b = 0;
  if (n <= 16) {
    if (n >= 8) {
      a = load64(p);
      b = load64(p + n - 8);
    } else if (n >= 4) {
      a = (uint64_t{load32(p)} << 32) | load32(p + n - 4);
    } else if (n > 0) {
      a = (uint64_t{static_cast<unsigned char>(p[0])} << 16) |
          (uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) |
          static_cast<unsigned char>(p[n - 1]);
    }
  } else {
    std::size_t left = n;
    while (left > 16) {
      seed = fold_multiply(load64(p) ^ kSecret1, load64(p + 8) ^ seed);
      p += 16;
      left -= 16;
    }
    a = load64(p + left - 16);
    b = load64(p + left - 8);
  }
  return static_cast<uint32_t>(fold_multiply(kSecret1 ^ n, fold_multiply(a ^ kSecret2, b ^ seed)));
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
