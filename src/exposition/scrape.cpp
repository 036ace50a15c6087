#include "e2e3d/scrape.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <future>
#include <map>
#include <mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "e2e3d/error.hpp"
#include "exposition/chunked_array.hpp"
#include "exposition/string_table.hpp"
#include "exposition/two_threads.hpp"
#include "exposition/zeroed_table.hpp"

namespace e2e3d {

std::string_view metric_type_name(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
    case MetricType::gaugehistogram:
      return "gaugehistogram";
    case MetricType::summary:
      return "summary";
    case MetricType::info:
      return "info";
    case MetricType::stateset:
      return "stateset";
    case MetricType::unknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view exposition_format_name(ExpositionFormat format) {
  switch (format) {
    case ExpositionFormat::prometheus_text:
      return "Prometheus text 0.0.4";
    case ExpositionFormat::openmetrics:
      return "OpenMetrics 1.0";
  }
  return "unknown";
}

namespace {

constexpr Symbol kNoSymbol = 0xffffffffu;

uint32_t hash_series(Symbol name, std::span<const LabelRef> labels) {
  uint64_t h = (uint64_t{name} + 0x9e3779b97f4a7c15ULL) * 0xbf58476d1ce4e5b9ULL;
  for (const LabelRef& label : labels) {
    h ^= (uint64_t{label.name} << 32) | label.value;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
  }
  h ^= h >> 29;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 32;
  return static_cast<uint32_t>(h);
}

}  // namespace

struct Scrape::Impl {
  ExpositionFormat format = ExpositionFormat::prometheus_text;
  detail::StringTable strings;
  std::vector<Family> families;
  std::unordered_map<Symbol, uint32_t> family_by_name;
  detail::ChunkedArray<Series, 15> series;
  detail::ChunkedArray<LabelRef, 16> labels;
  // One per series from the first timestamped one on; empty while no sample has a timestamp.
  detail::ChunkedArray<int64_t, 15> timestamps;

  // Distinct sample names in order of first appearance, and each one's position there.
  std::vector<Symbol> sample_names;
  std::unordered_map<Symbol, uint32_t> sample_name_slot;
  Symbol last_sample_name = kNoSymbol;
  uint32_t last_sample_slot = 0;

  // Series indices grouped by sample name (a counting sort), built on demand.
  mutable std::mutex index_mutex;
  mutable std::atomic<std::size_t> indexed_count{0};
  mutable detail::ZeroedTable<uint32_t> by_name;
  mutable std::vector<std::size_t> by_name_offsets;

  Builder builder{*this};

  mutable std::mutex derived_mutex;
  mutable std::map<std::string, std::shared_future<std::shared_ptr<const void>>> derived;
  std::atomic<bool> has_derived{false};  // lets add_series skip the lock

  // Label sets are stored once when a series repeats an earlier one's: the previous series
  // (OpenMetrics' foo_total then foo_created, a histogram's _sum then _count), or, when a name
  // follows another, the series at the same place in the previous name's run (the text format's
  // block of foo_total followed by the block of foo_created). Checking costs one comparison
  // against memory that is in cache; a repeated set costs no label memory at all.
  static constexpr uint32_t kNoSeries = 0xffffffffu;
  uint32_t share_cursor = kNoSeries;  // the series whose labels the last series shared
  uint32_t run_first = 0;             // first series of the current run of one name
  uint32_t previous_run_first = kNoSeries;

  bool same_labels(uint32_t candidate, std::span<const LabelRef> l) const {
    if (candidate >= series.size()) return false;
    const Series& c = series[candidate];
    if (c.label_count != l.size()) return false;
    const LabelRef* mine = &labels[c.label_begin];
    for (std::size_t i = 0; i < l.size(); ++i) {
      if (mine[i].name != l[i].name || mine[i].value != l[i].value) return false;
    }
    return true;
  }

  uint32_t store_labels(Symbol name, std::span<const LabelRef> l) {
    const auto index = static_cast<uint32_t>(series.size());
    if (index > 0 && series[index - 1].name != name) {
      previous_run_first = run_first;
      run_first = index;
    }
    if (l.empty()) return 0;
    uint32_t source = kNoSeries;
    if (share_cursor != kNoSeries && same_labels(share_cursor + 1, l)) {
      source = share_cursor + 1;
    } else if (index > 0 && same_labels(index - 1, l)) {
      source = index - 1;
    } else if (run_first == index && previous_run_first != kNoSeries &&
               same_labels(previous_run_first, l)) {
      source = previous_run_first;
    }
    share_cursor = source;
    if (source != kNoSeries) return series[source].label_begin;
    return static_cast<uint32_t>(labels.append_contiguous(l));
  }

  // Runs of consecutive series with one sample name, as added: the name index is built from
  // them without reading the series again (a second and third pass over 64 MB for 2M series).
  struct NameRun {
    uint32_t first_series;
    uint32_t slot;  // in sample_names
  };
  std::vector<NameRun> name_runs;

  uint32_t slot_of(Symbol name) {
    if (name == last_sample_name) return last_sample_slot;
    auto [it, inserted] =
        sample_name_slot.try_emplace(name, static_cast<uint32_t>(sample_names.size()));
    if (inserted) sample_names.push_back(name);
    last_sample_name = name;
    last_sample_slot = it->second;
    return it->second;
  }

  std::span<const LabelRef> labels_of(const Series& s) const {
    if (s.label_count == 0) return {};
    return {&labels[s.label_begin], s.label_count};
  }

  bool same_series(const Series& a, const Series& b) const {
    if (a.name != b.name || a.label_count != b.label_count) return false;
    const auto la = labels_of(a);
    const auto lb = labels_of(b);
    for (std::size_t i = 0; i < la.size(); ++i) {
      if (la[i].name != lb[i].name || la[i].value != lb[i].value) return false;
    }
    return true;
  }

  void ensure_index() const {
    if (indexed_count.load(std::memory_order_acquire) == series.size() &&
        by_name_offsets.size() == sample_names.size() + 1) {
      return;
    }
    std::lock_guard lock(index_mutex);
    if (indexed_count.load(std::memory_order_relaxed) == series.size() &&
        by_name_offsets.size() == sample_names.size() + 1) {
      return;
    }
    std::vector<std::size_t> offsets(sample_names.size() + 1, 0);
    const auto run_end = [&](std::size_t r) {
      return r + 1 < name_runs.size() ? name_runs[r + 1].first_series : series.size();
    };
    for (std::size_t r = 0; r < name_runs.size(); ++r)
      offsets[name_runs[r].slot + 1] += run_end(r) - name_runs[r].first_series;
    for (std::size_t k = 1; k < offsets.size(); ++k)
      offsets[k] += offsets[k - 1];
    by_name = {};
    detail::ZeroedTable<uint32_t> index(series.size());
    std::vector<std::size_t> fill(offsets.begin(), offsets.end() - 1);
    for (std::size_t r = 0; r < name_runs.size(); ++r) {
      std::size_t& at = fill[name_runs[r].slot];
      for (std::size_t i = name_runs[r].first_series; i < run_end(r); ++i)
        index[at++] = static_cast<uint32_t>(i);
    }
    by_name = std::move(index);
    by_name_offsets = std::move(offsets);
    indexed_count.store(series.size(), std::memory_order_release);
  }
};

Scrape::Scrape() : impl_(std::make_unique<Impl>()) {}
Scrape::~Scrape() = default;
Scrape::Scrape(Scrape&&) noexcept = default;
Scrape& Scrape::operator=(Scrape&&) noexcept = default;

ExpositionFormat Scrape::format() const {
  return impl_->format;
}

std::string_view Scrape::str(Symbol symbol) const {
  return impl_->strings.str(symbol);
}

std::optional<Symbol> Scrape::find(std::string_view text) const {
  return impl_->strings.find(text);
}

const std::vector<Family>& Scrape::families() const {
  return impl_->families;
}

std::optional<uint32_t> Scrape::find_family(std::string_view name) const {
  const auto symbol = impl_->strings.find(name);
  if (!symbol) return std::nullopt;
  const auto it = impl_->family_by_name.find(*symbol);
  if (it == impl_->family_by_name.end()) return std::nullopt;
  return it->second;
}

std::size_t Scrape::series_count() const {
  return impl_->series.size();
}

const Series& Scrape::series(std::size_t index) const {
  return impl_->series[index];
}

std::shared_ptr<const void> Scrape::derived(
    const std::string& key, const std::function<std::shared_ptr<const void>()>& compute) const {
  Impl& impl = *impl_;
  std::promise<std::shared_ptr<const void>> promise;
  std::shared_future<std::shared_ptr<const void>> future;
  bool mine = false;  // this caller computes it; the others wait on the same future
  {
    std::lock_guard lock(impl.derived_mutex);
    auto it = impl.derived.find(key);
    if (it != impl.derived.end()) {
      future = it->second;
    } else {
      future = promise.get_future().share();
      impl.derived.emplace(key, future);
      impl.has_derived = true;
      mine = true;
    }
  }
  if (mine) {
    try {
      promise.set_value(compute());
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  }
  return future.get();
}

int64_t Scrape::timestamp_ms(std::size_t index) const {
  return index < impl_->timestamps.size() ? impl_->timestamps[index] : Series::kNoTimestamp;
}

std::span<const LabelRef> Scrape::labels(const Series& series) const {
  return impl_->labels_of(series);
}

std::optional<std::string_view> Scrape::label(const Series& series, std::string_view name) const {
  const auto symbol = impl_->strings.find(name);
  if (!symbol) return std::nullopt;
  for (const LabelRef& label : labels(series)) {
    if (label.name == *symbol) return impl_->strings.str(label.value);
  }
  return std::nullopt;
}

std::span<const uint32_t> Scrape::series_named(std::string_view name) const {
  const auto symbol = impl_->strings.find(name);
  if (!symbol) return {};
  const auto it = impl_->sample_name_slot.find(*symbol);
  if (it == impl_->sample_name_slot.end()) return {};
  impl_->ensure_index();
  const std::size_t begin = impl_->by_name_offsets[it->second];
  const std::size_t end = impl_->by_name_offsets[it->second + 1];
  return {impl_->by_name.data() + begin, end - begin};
}

std::span<const Symbol> Scrape::sample_names() const {
  return impl_->sample_names;
}

std::optional<double> Scrape::single_value(std::string_view name) const {
  const auto indices = series_named(name);
  if (indices.size() != 1) return std::nullopt;
  return impl_->series[indices[0]].value;
}

Scrape::Builder& Scrape::builder() {
  return impl_->builder;
}

std::size_t Scrape::memory_bytes() const {
  const Impl& impl = *impl_;
  return impl.strings.memory_bytes() + impl.series.capacity_bytes() + impl.labels.capacity_bytes() +
         impl.timestamps.capacity_bytes() + impl.by_name.bytes() +
         impl.families.capacity() * sizeof(Family) + impl.sample_names.capacity() * sizeof(Symbol) +
         impl.name_runs.capacity() * sizeof(Impl::NameRun) +
         (impl.family_by_name.size() + impl.sample_name_slot.size()) * 32;
}

// ---- Builder ----

void Scrape::Builder::set_format(ExpositionFormat format) {
  impl_.format = format;
}

Symbol Scrape::Builder::intern(std::string_view text) {
  return impl_.strings.intern(text);
}

Symbol Scrape::Builder::intern(std::string_view text, Symbol hint) {
  return impl_.strings.intern(text, hint);
}

uint32_t Scrape::Builder::hash(std::string_view text) {
  return detail::hash_bytes(text);
}

void Scrape::Builder::prefetch(uint32_t hash) const {
  impl_.strings.prefetch(hash);
}

Symbol Scrape::Builder::intern_hashed(std::string_view text, uint32_t hash) {
  return impl_.strings.intern_hashed(text, hash);
}

std::optional<Symbol> Scrape::Builder::match_hint(std::string_view text, Symbol hint) const {
  return impl_.strings.match_hint(text, hint);
}

std::optional<Symbol> Scrape::Builder::find(std::string_view text) const {
  return impl_.strings.find(text);
}

void Scrape::Builder::reserve_strings(std::size_t count) {
  impl_.strings.reserve(count);
}

uint32_t Scrape::Builder::add_family(std::string_view name, MetricType type) {
  const Symbol symbol = impl_.strings.intern(name);
  const auto index = static_cast<uint32_t>(impl_.families.size());
  auto [it, inserted] = impl_.family_by_name.try_emplace(symbol, index);
  if (!inserted) {
    throw Error(ErrorKind::parse, fmt::format("metric family {} is defined twice", name));
  }
  Family family;
  family.name = symbol;
  family.type = type;
  impl_.families.push_back(family);
  return index;
}

void Scrape::Builder::set_type(uint32_t family, MetricType type) {
  impl_.families.at(family).type = type;
}

void Scrape::Builder::set_help(uint32_t family, std::string_view help) {
  impl_.families.at(family).help = impl_.strings.intern(help);
}

void Scrape::Builder::set_unit(uint32_t family, std::string_view unit) {
  impl_.families.at(family).unit = impl_.strings.intern(unit);
}

uint32_t Scrape::Builder::add_series(uint32_t family, Symbol name, std::span<LabelRef> labels,
                                     double value, int64_t timestamp_ms) {
  Impl& impl = impl_;
  if (labels.size() > kMaxLabels) {
    throw Error(ErrorKind::parse, fmt::format("series {} has {} labels; at most {} are supported",
                                              impl.strings.str(name), labels.size(), kMaxLabels));
  }
  if (family >= impl.families.size()) {
    throw Error(ErrorKind::parse, fmt::format("no metric family {}", family));
  }
  // Insertion sort by label name: label sets are small and usually sorted already.
  for (std::size_t i = 1; i < labels.size(); ++i) {
    const LabelRef moving = labels[i];
    const std::string_view key = impl.strings.str(moving.name);
    std::size_t j = i;
    while (j > 0) {
      const LabelRef& before = labels[j - 1];
      if (before.name == moving.name) {
        throw Error(ErrorKind::parse,
                    fmt::format("series {} has the label {} twice", impl.strings.str(name), key));
      }
      if (impl.strings.str(before.name) < key) break;
      labels[j] = before;
      --j;
    }
    labels[j] = moving;
  }

  if (impl.series.size() >= 0xffffffffu) {
    throw Error(ErrorKind::parse, "too many series in one scrape (more than 4294967294)");
  }

  if (impl.has_derived.load(std::memory_order_relaxed)) {
    std::lock_guard lock(impl.derived_mutex);
    impl.derived.clear();
    impl.has_derived = false;
  }
  const uint32_t label_begin = impl.store_labels(name, labels);
  const auto index = static_cast<uint32_t>(impl.series.size());
  // Written in place: a copy of a Series built here stalls on store forwarding.
  Series& series = impl.series.emplace_back();
  series.name = name;
  series.family = family;
  series.label_begin = label_begin;
  series.label_count = static_cast<uint32_t>(labels.size());
  series.value = value;
  if (timestamp_ms != Series::kNoTimestamp || !impl.timestamps.empty()) {
    while (impl.timestamps.size() < index)
      impl.timestamps.push_back(Series::kNoTimestamp);
    impl.timestamps.push_back(timestamp_ms);
  }
  impl.families[family].series_count++;
  const uint32_t slot = impl.slot_of(name);
  if (impl.name_runs.empty() || impl.name_runs.back().slot != slot) {
    impl.name_runs.push_back(Impl::NameRun{index, slot});
  }
  return index;
}

uint32_t Scrape::Builder::add_series(
    uint32_t family, std::string_view name,
    std::initializer_list<std::pair<std::string_view, std::string_view>> labels, double value,
    int64_t timestamp_ms) {
  std::vector<LabelRef> refs;
  refs.reserve(labels.size());
  for (const auto& [label_name, label_value] : labels) {
    refs.push_back(LabelRef{intern(label_name), intern(label_value)});
  }
  return add_series(family, intern(name), refs, value, timestamp_ms);
}

void Scrape::Builder::finish() {
  impl_.ensure_index();
}

std::optional<std::pair<uint32_t, uint32_t>> Scrape::Builder::first_duplicate() const {
  const Impl& impl = impl_;
  const std::size_t n = impl.series.size();
  if (n < 2) return std::nullopt;
  const auto hash_of = [&](std::size_t i) {
    const Series& s = impl.series[i];
    return hash_series(s.name, impl.labels_of(s));
  };
  // 1. Which hashes occur twice? On two threads, each with half of the series: hash them,
  //    spread the hashes by their top byte into 256 buckets of ~n/256 (one pass), then find
  //    repeats bucket by bucket with a small hash set that stays in cache. 8 bytes of memory
  //    per series in all, and no pass is made twice.
  detail::ZeroedTable<uint32_t> hashes(n);
  detail::ZeroedTable<uint32_t> spread(n);
  std::size_t counts[2][256] = {};
  std::size_t starts[2][256];
  std::vector<uint32_t> repeated[2];
  detail::in_two_parts(n, [&](int half, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      hashes[i] = hash_of(i);
      ++counts[half][hashes[i] >> 24];
    }
  });
  std::size_t offset = 0;  // the first half's slice of each bucket first
  for (std::size_t b = 0; b < 256; ++b) {
    starts[0][b] = offset;
    starts[1][b] = offset + counts[0][b];
    offset += counts[0][b] + counts[1][b];
  }
  detail::in_two_parts(n, [&](int half, std::size_t begin, std::size_t end) {
    std::size_t fill[256];
    std::copy(std::begin(starts[half]), std::end(starts[half]), fill);
    for (std::size_t i = begin; i < end; ++i)
      spread[fill[hashes[i] >> 24]++] = hashes[i];
  });
  // Both parts take buckets from one counter, whatever their halves of the series.
  std::atomic<std::size_t> next_bucket{0};
  detail::in_two_parts(n, [&](int half, std::size_t, std::size_t) {
    std::vector<uint32_t> set;
    for (std::size_t b = next_bucket++; b < 256; b = next_bucket++) {
      const std::size_t first = starts[0][b];
      const std::size_t size = counts[0][b] + counts[1][b];
      std::size_t slots = 64;
      while (slots < size * 2)
        slots *= 2;
      set.assign(slots, 0);
      const std::size_t mask = slots - 1;
      bool zero_seen = false;  // 0 marks an empty slot, so the hash 0 is counted aside
      for (std::size_t i = first; i < first + size; ++i) {
        const uint32_t h = spread[i];
        if (h == 0) {
          if (zero_seen) repeated[half].push_back(0);
          zero_seen = true;
          continue;
        }
        // The top byte chose the bucket; the low bits pick the slot.
        std::size_t slot = h & mask;
        while (set[slot] != 0 && set[slot] != h)
          slot = (slot + 1) & mask;
        if (set[slot] == h) {
          repeated[half].push_back(h);
        } else {
          set[slot] = h;
        }
      }
    }
  });
  spread = {};
  std::vector<uint32_t> colliding = std::move(repeated[0]);
  colliding.insert(colliding.end(), repeated[1].begin(), repeated[1].end());
  std::sort(colliding.begin(), colliding.end());
  colliding.erase(std::unique(colliding.begin(), colliding.end()), colliding.end());
  if (colliding.empty()) return std::nullopt;
  // 2. The series with those hashes (a few hundred random collisions among millions, plus any
  //    real duplicates), found through a small bitmap, sorted by (hash, index).
  std::vector<uint64_t> bitmap(std::size_t{1} << 14, 0);
  for (const uint32_t h : colliding)
    bitmap[(h >> 6) & 0x3fff] |= uint64_t{1} << (h & 63);
  std::vector<uint64_t> members;
  for (std::size_t i = 0; i < n; ++i) {
    const uint32_t h = hashes[i];
    if ((bitmap[(h >> 6) & 0x3fff] >> (h & 63) & 1) == 0) continue;
    if (!std::binary_search(colliding.begin(), colliding.end(), h)) continue;
    members.push_back((uint64_t{h} << 32) | i);
  }
  std::sort(members.begin(), members.end());
  // 3. Within a run of equal hashes, indices ascend: the first equal pair per run, and of those
  //    the one whose later series comes first.
  std::optional<std::pair<uint32_t, uint32_t>> best;
  std::size_t run = 0;
  while (run < members.size()) {
    std::size_t run_end = run + 1;
    while (run_end < members.size() && (members[run_end] >> 32) == (members[run] >> 32)) {
      ++run_end;
    }
    for (std::size_t j = run + 1; j < run_end; ++j) {
      const auto later = static_cast<uint32_t>(members[j]);
      if (best && later >= best->second) break;
      bool found = false;
      for (std::size_t i = run; i < j && !found; ++i) {
        const auto earlier = static_cast<uint32_t>(members[i]);
        if (impl.same_series(impl.series[earlier], impl.series[later])) {
          best = std::make_pair(earlier, later);
          found = true;
        }
      }
      if (found) break;
    }
    run = run_end;
  }
  return best;
}

}  // namespace e2e3d
