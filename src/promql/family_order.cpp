// The label-set order of one family's series, straight from the scrape's interned strings.
//
// Prometheus adds the series of an aggregation in label-set order, so a sum over a million job
// series must visit them in that order to give the same bits. Every series of the family has
// the same label names, so the first label whose value varies decides almost every comparison.
// Each value is turned into a 32-bit key that preserves its order: byte positions that hold one
// byte in every value take no bits, the others take just enough bits for the bytes that occur
// there (a UUID's hex digit: 4 bits). A radix sort on those keys (8-byte entries, no second
// array of them all) orders nearly everything; runs of equal keys are then sorted by comparing the
// label values themselves (and their positions), so the result is exact whatever the values
// look like.
#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <string_view>

#include "exposition/two_threads.hpp"
#include "promql/eval.hpp"

namespace e2e3d::promql {
namespace {

// The bytes that occur at each of 8 byte positions, and whether some value ends before it.
struct PositionBytes {
  std::array<std::array<uint8_t, 256>, 8> seen{};
  std::array<bool, 8> ended{};
};

// The order-preserving code of every byte at one position: 0 is "the value ended", the bytes
// that occur get 1, 2, ... (or 0, 1, ... when no value ends there) in byte order.
struct PositionCode {
  std::array<uint8_t, 256> code{};
  unsigned bits = 0;
};

PositionCode code_of(const std::array<uint8_t, 256>& seen, bool ended) {
  PositionCode pc;
  unsigned next = ended ? 1 : 0;
  for (unsigned b = 0; b < 256; ++b) {
    if (seen[b]) pc.code[b] = static_cast<uint8_t>(next++);
  }
  unsigned codes = next;  // distinct codes in use, at least 1
  pc.bits = codes <= 1 ? 0 : static_cast<unsigned>(std::bit_width(codes - 1));
  return pc;
}

unsigned digit(uint64_t entry, int d) {
  return static_cast<unsigned>(entry >> (32 + 8 * d)) & 0xFF;
}

// Sorts buckets [first_bucket, end_bucket) of `entries` (bucket b spans start[b] to
// start[b + 1]) by the three lower bytes of their keys: an LSD radix sort through a scratch
// array of the largest bucket's size, small ones by insertion.
void sort_buckets(uint64_t* entries, const std::array<std::size_t, 257>& start,
                  std::size_t first_bucket, std::size_t end_bucket, std::size_t largest) {
  std::vector<uint64_t> scratch(largest);
  for (std::size_t b = first_bucket; b < end_bucket; ++b) {
    uint64_t* first = entries + start[b];
    const std::size_t size = start[b + 1] - start[b];
    if (size < 2) continue;
    if (size <= 32) {
      for (std::size_t i = 1; i < size; ++i) {
        for (std::size_t j = i; j > 0 && first[j] >> 32 < first[j - 1] >> 32; --j)
          std::swap(first[j], first[j - 1]);
      }
      continue;
    }
    std::array<std::array<std::size_t, 257>, 3> count{};
    for (std::size_t i = 0; i < size; ++i) {
      for (int d = 0; d < 3; ++d)
        ++count[d][digit(first[i], d) + 1];
    }
    uint64_t* from = first;
    uint64_t* to = scratch.data();
    for (int d = 0; d < 3; ++d) {
      auto& c = count[d];
      if (c[digit(from[0], d) + 1] == size) continue;  // one value everywhere
      for (int k = 0; k < 256; ++k)
        c[k + 1] += c[k];
      for (std::size_t i = 0; i < size; ++i)
        to[c[digit(from[i], d)]++] = from[i];
      std::swap(from, to);
    }
    if (from != first) std::copy(from, from + size, first);
  }
}

}  // namespace

ValuePrefixes::ValuePrefixes(std::size_t count) {
  entries.resize(count);
}

void ValuePrefixes::merge(const ValuePrefixes& other) {
  for (std::size_t j = 0; j < seen.size(); ++j) {
    for (std::size_t b = 0; b < 256; ++b)
      seen[j][b] |= other.seen[j][b];
    ended[j] = ended[j] || other.ended[j];
  }
  max_len = std::max(max_len, other.max_len);
  zero_byte = zero_byte || other.zero_byte;
}

uint64_t ValuePrefixes::observe(std::string_view v) {
  uint64_t prefix = 0;
  if (v.size() >= 8) {
    std::memcpy(&prefix, v.data(), 8);
    if constexpr (std::endian::native == std::endian::little) prefix = __builtin_bswap64(prefix);
    zero_byte |= ((prefix - 0x0101010101010101ull) & ~prefix & 0x8080808080808080ull) != 0;
  } else {
    for (std::size_t j = 0; j < v.size(); ++j) {
      prefix |= uint64_t{static_cast<unsigned char>(v[j])} << (56 - 8 * j);
      zero_byte |= v[j] == 0;
    }
    for (std::size_t j = v.size(); j < 8; ++j)
      ended[j] = true;
  }
  for (int j = 0; j < 8; ++j)
    seen[j][(prefix >> (56 - 8 * j)) & 0xFF] = 1;
  max_len = std::max(max_len, v.size());
  return prefix;
}

void family_order(const Scrape& sc, std::span<const uint32_t> series, std::size_t first_varying,
                  ValuePrefixes& prefixes) {
  auto& entries = prefixes.entries;
  const std::size_t m = series.size();
  auto value_at = [&](std::size_t pos) {
    return sc.str(sc.labels(sc.series(series[pos]))[first_varying].value);
  };
  // Codes for the first 8 byte positions from the caller's pass. Padding after a short value
  // reads as byte 0: when no value has a real 0 byte there, byte 0 is code 0 (ended) and the
  // keys come from the prefixes alone; otherwise from the values.
  std::vector<PositionCode> codes;
  unsigned total_bits = 0;
  std::size_t position = 0;  // the next byte position without a code
  if (!prefixes.zero_byte) {
    for (std::size_t j = 0; j < 8 && j < prefixes.max_len; ++j) {
      if (prefixes.ended[j]) prefixes.seen[j][0] = 0;
      codes.push_back(code_of(prefixes.seen[j], prefixes.ended[j]));
      total_bits += codes.back().bits;
    }
    position = 8;
  }
  const bool from_strings = prefixes.zero_byte || (total_bits < 32 && prefixes.max_len > 8);
  // Further positions, 8 at a time, until 32 bits of key are spoken for.
  for (; position < prefixes.max_len && total_bits < 32; position += 8) {
    PositionBytes pb;
    for (std::size_t pos = 0; pos < m; ++pos) {
      std::string_view v = value_at(pos);
      std::size_t len = v.size() > position ? std::min<std::size_t>(8, v.size() - position) : 0;
      for (std::size_t j = 0; j < len; ++j)
        pb.seen[j][static_cast<unsigned char>(v[position + j])] = 1;
      for (std::size_t j = len; j < 8; ++j)
        pb.ended[j] = true;
    }
    for (std::size_t j = 0; j < 8 && position + j < prefixes.max_len; ++j) {
      codes.push_back(code_of(pb.seen[j], pb.ended[j]));
      total_bits += codes.back().bits;
    }
  }
  // The key: the codes one after another from the top bit down, cut at 32 bits (a cut code
  // still orders: its top bits are a monotonic function of it). The radix sort's byte counts
  // are taken on the way.
  // Each field is a byte position and what each byte there adds to the key, already shifted
  // into place: the key is the OR of one table lookup per field.
  struct Field {
    std::size_t position;
    std::array<uint32_t, 256> part;
  };
  std::vector<Field> fields;
  unsigned used = 0;
  for (std::size_t p = 0; p < codes.size() && used < 32; ++p) {
    unsigned bits = std::min(codes[p].bits, 32 - used);
    if (bits == 0) continue;
    used += bits;
    Field& f = fields.emplace_back();
    f.position = p;
    for (unsigned b = 0; b < 256; ++b) {
      uint32_t code = codes[p].code[b] >> (codes[p].bits - bits);
      f.part[b] = code << (32 - used);
    }
  }
  std::array<std::size_t, 257> top{};  // entries per value of the key's top byte
  std::array<std::array<std::size_t, 257>, 2> part_top{};
  detail::in_two_parts(m, [&](int part, std::size_t begin, std::size_t end) {
    for (std::size_t pos = begin; pos < end; ++pos) {
      uint32_t key = 0;
      if (!from_strings) {
        const uint64_t prefix = entries[pos];
        for (const Field& f : fields)
          key |= f.part[(prefix >> (56 - 8 * f.position)) & 0xFF];
      } else {
        std::string_view v = value_at(pos);
        for (const Field& f : fields) {
          // Past the value's end: code 0.
          if (f.position < v.size()) key |= f.part[static_cast<unsigned char>(v[f.position])];
        }
      }
      entries[pos] = uint64_t{key} << 32 | series[pos];
      ++part_top[part][(key >> 24) + 1];
    }
  });
  for (std::size_t b = 0; b < top.size(); ++b)
    top[b] = part_top[0][b] + part_top[1][b];

  // Radix sort without a second array of all entries: the top byte in place (American flag
  // sort), then each bucket, small enough to stay in cache, by sort_buckets. Neither is
  // stable: equal keys are ordered exactly below.
  std::array<std::size_t, 257> start{};
  std::size_t largest = 0;
  for (int b = 0; b < 256; ++b) {
    start[b + 1] = start[b] + top[b + 1];
    largest = std::max(largest, top[b + 1]);
  }
  {
    std::array<std::size_t, 256> head{};
    for (int b = 0; b < 256; ++b)
      head[b] = start[b];
    for (unsigned b = 0; b < 256; ++b) {
      while (head[b] < start[b + 1]) {
        uint64_t v = entries[head[b]];
        for (unsigned d = digit(v, 3); d != b; d = digit(v, 3)) {
          // Each swap's address depends on the one before: have every bucket's next cache
          // line on its way before the chain gets there.
          __builtin_prefetch(entries.data() + head[d] + 16, 1);
          std::swap(v, entries[head[d]++]);
        }
        entries[head[b]++] = v;
      }
    }
  }
  // The buckets, then the runs of equal keys in them, are sorted on two threads: the first
  // half of the entries (by buckets) on one, the rest on the other.
  std::size_t half_bucket = 0;
  while (half_bucket < 256 && start[half_bucket] < m / 2)
    ++half_bucket;
  const bool threaded = m >= detail::kTwoThreads;
  detail::run_two_parts(half_bucket, 256, threaded, [&](int, std::size_t first, std::size_t end) {
    sort_buckets(entries.data(), start, first, end, largest);
  });

  // Equal keys: compare the label values from the first varying one on; equal label sets keep
  // their exposition order, like a stable sort.
  auto tie_less = [&](uint64_t x, uint64_t y) {
    auto lx = sc.labels(sc.series(static_cast<uint32_t>(x)));
    auto ly = sc.labels(sc.series(static_cast<uint32_t>(y)));
    for (std::size_t k = first_varying; k < lx.size(); ++k) {
      if (lx[k].value == ly[k].value) continue;
      return sc.str(lx[k].value) < sc.str(ly[k].value);
    }
    return static_cast<uint32_t>(x) < static_cast<uint32_t>(y);
  };
  // Runs of equal keys never cross a bucket, so the halves split where the buckets did.
  detail::run_two_parts(start[half_bucket], m, threaded,
                        [&](int, std::size_t begin, std::size_t end) {
                          for (std::size_t b = begin; b < end;) {
                            std::size_t e = b + 1;
                            while (e < end && entries[e] >> 32 == entries[b] >> 32)
                              ++e;
                            if (e - b > 1) {
                              std::sort(entries.begin() + static_cast<std::ptrdiff_t>(b),
                                        entries.begin() + static_cast<std::ptrdiff_t>(e), tie_less);
                            }
                            b = e;
                          }
                        });
}

}  // namespace e2e3d::promql
