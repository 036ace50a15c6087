#pragma once
// sort.Sort as Go 1.19 runs it (the Go that built Prometheus 2.42): pattern-defeating quicksort,
// insertion sort up to 12 elements, heapsort after too many bad pivots. It is not stable, and
// Prometheus's value comparators are not even consistent for NaN (NaN is "less" than everything,
// itself included), so the only way to put equal values and NaN where Prometheus puts them
// (sort(), sort_desc(), topk, bottomk, quantile) is to run the same algorithm step for step.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace e2e3d::promql {
namespace go_sort_detail {

template <typename T, typename Less>
struct Data {
  std::vector<T>& v;
  Less less_fn;
  bool less(std::ptrdiff_t i, std::ptrdiff_t j) const {
    return less_fn(v[static_cast<std::size_t>(i)], v[static_cast<std::size_t>(j)]);
  }
  void swap(std::ptrdiff_t i, std::ptrdiff_t j) {
    std::swap(v[static_cast<std::size_t>(i)], v[static_cast<std::size_t>(j)]);
  }
};

using Int = std::ptrdiff_t;
enum class Hint { unknown, increasing, decreasing };

inline int bits_len(Int n) {
  return static_cast<int>(std::bit_width(static_cast<uint64_t>(n)));
}

template <typename D>
void insertion_sort(D& d, Int a, Int b) {
  for (Int i = a + 1; i < b; ++i) {
    for (Int j = i; j > a && d.less(j, j - 1); --j)
      d.swap(j, j - 1);
  }
}

template <typename D>
void sift_down(D& d, Int lo, Int hi, Int first) {
  Int root = lo;
  for (;;) {
    Int child = 2 * root + 1;
    if (child >= hi) break;
    if (child + 1 < hi && d.less(first + child, first + child + 1)) ++child;
    if (!d.less(first + root, first + child)) return;
    d.swap(first + root, first + child);
    root = child;
  }
}

template <typename D>
void heap_sort(D& d, Int a, Int b) {
  Int first = a;
  Int hi = b - a;
  for (Int i = (hi - 1) / 2; i >= 0; --i)
    sift_down(d, i, hi, first);
  for (Int i = hi - 1; i >= 0; --i) {
    d.swap(first, first + i);
    sift_down(d, 0, i, first);
  }
}

// Go 1.19's xorshift (13, 17, 5), seeded with the length.
inline uint64_t xorshift_next(uint64_t& r) {
  r ^= r << 13;
  r ^= r >> 17;
  r ^= r << 5;
  return r;
}

template <typename D>
void break_patterns(D& d, Int a, Int b) {
  Int length = b - a;
  if (length < 8) return;
  uint64_t random = static_cast<uint64_t>(length);
  uint64_t modulus = uint64_t{1} << bits_len(length);
  for (Int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; ++idx) {
    Int other = static_cast<Int>(xorshift_next(random) & (modulus - 1));
    if (other >= length) other -= length;
    d.swap(idx, a + other);
  }
}

template <typename D>
std::pair<Int, Int> order2(D& d, Int a, Int b, int& swaps) {
  if (d.less(b, a)) {
    ++swaps;
    return {b, a};
  }
  return {a, b};
}

template <typename D>
Int median(D& d, Int a, Int b, Int c, int& swaps) {
  std::tie(a, b) = order2(d, a, b, swaps);
  std::tie(b, c) = order2(d, b, c, swaps);
  std::tie(a, b) = order2(d, a, b, swaps);
  return b;
}

template <typename D>
std::pair<Int, Hint> choose_pivot(D& d, Int a, Int b) {
  constexpr Int kShortestNinther = 50;
  constexpr int kMaxSwaps = 4 * 3;
  Int l = b - a;
  int swaps = 0;
  Int i = a + l / 4 * 1;
  Int j = a + l / 4 * 2;
  Int k = a + l / 4 * 3;
  if (l >= 8) {
    if (l >= kShortestNinther) {
      i = median(d, i - 1, i, i + 1, swaps);
      j = median(d, j - 1, j, j + 1, swaps);
      k = median(d, k - 1, k, k + 1, swaps);
    }
    j = median(d, i, j, k, swaps);
  }
  if (swaps == 0) return {j, Hint::increasing};
  if (swaps == kMaxSwaps) return {j, Hint::decreasing};
  return {j, Hint::unknown};
}

template <typename D>
void reverse_range(D& d, Int a, Int b) {
  for (Int i = a, j = b - 1; i < j; ++i, --j)
    d.swap(i, j);
}

template <typename D>
bool partial_insertion_sort(D& d, Int a, Int b) {
  constexpr int kMaxSteps = 5;
  constexpr Int kShortestShifting = 50;
  Int i = a + 1;
  for (int step = 0; step < kMaxSteps; ++step) {
    while (i < b && !d.less(i, i - 1))
      ++i;
    if (i == b) return true;
    if (b - a < kShortestShifting) return false;
    d.swap(i, i - 1);
    if (i - a >= 2) {
      for (Int j = i - 1; j >= 1; --j) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (Int j = i + 1; j < b; ++j) {
        if (!d.less(j, j - 1)) break;
        d.swap(j, j - 1);
      }
    }
  }
  return false;
}

template <typename D>
Int partition_equal(D& d, Int a, Int b, Int pivot) {
  d.swap(a, pivot);
  Int i = a + 1;
  Int j = b - 1;
  for (;;) {
    while (i <= j && !d.less(a, i))
      ++i;
    while (i <= j && d.less(a, j))
      --j;
    if (i > j) break;
    d.swap(i, j);
    ++i;
    --j;
  }
  return i;
}

template <typename D>
std::pair<Int, bool> partition(D& d, Int a, Int b, Int pivot) {
  d.swap(a, pivot);
  Int i = a + 1;
  Int j = b - 1;
  while (i <= j && d.less(i, a))
    ++i;
  while (i <= j && !d.less(j, a))
    --j;
  if (i > j) {
    d.swap(j, a);
    return {j, true};
  }
  d.swap(i, j);
  ++i;
  --j;
  for (;;) {
    while (i <= j && d.less(i, a))
      ++i;
    while (i <= j && !d.less(j, a))
      --j;
    if (i > j) break;
    d.swap(i, j);
    ++i;
    --j;
  }
  d.swap(j, a);
  return {j, false};
}

template <typename D>
void pdqsort(D& d, Int a, Int b, int limit) {
  constexpr Int kMaxInsertion = 12;
  bool was_balanced = true;
  bool was_partitioned = true;
  for (;;) {
    Int length = b - a;
    if (length <= kMaxInsertion) {
      insertion_sort(d, a, b);
      return;
    }
    if (limit == 0) {
      heap_sort(d, a, b);
      return;
    }
    if (!was_balanced) {
      break_patterns(d, a, b);
      --limit;
    }
    auto [pivot, hint] = choose_pivot(d, a, b);
    if (hint == Hint::decreasing) {
      reverse_range(d, a, b);
      pivot = (b - 1) - (pivot - a);
      hint = Hint::increasing;
    }
    if (was_balanced && was_partitioned && hint == Hint::increasing) {
      if (partial_insertion_sort(d, a, b)) return;
    }
    if (a > 0 && !d.less(a - 1, pivot)) {
      a = partition_equal(d, a, b, pivot);
      continue;
    }
    auto [mid, already_partitioned] = partition(d, a, b, pivot);
    was_partitioned = already_partitioned;
    Int left = mid - a;
    Int right = b - mid;
    Int balance_threshold = length / 8;
    if (left < right) {
      was_balanced = left >= balance_threshold;
      pdqsort(d, a, mid, limit);
      a = mid + 1;
    } else {
      was_balanced = right >= balance_threshold;
      pdqsort(d, mid + 1, b, limit);
      b = mid;
    }
  }
}

}  // namespace go_sort_detail

// sort.Sort(data) where data.Less(i, j) is less(v[i], v[j]).
template <typename T, typename Less>
void go_sort(std::vector<T>& v, Less less) {
  go_sort_detail::Int n = static_cast<go_sort_detail::Int>(v.size());
  if (n <= 1) return;
  go_sort_detail::Data<T, Less> d{v, less};
  go_sort_detail::pdqsort(d, 0, n, go_sort_detail::bits_len(n));
}

}  // namespace e2e3d::promql
