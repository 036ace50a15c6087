#pragma once
// One parsed /metrics response: metric families and their samples, with every string interned
// once. Built by ExpositionParser; read by the PromQL engine, `show`, and `doctor`.
//
// The layout is compact on purpose: a scrape of a service that labels every job by id can hold
// millions of series, and the tool must not need more memory than the response's size.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace e2e3d {

enum class MetricType : uint8_t {
  counter,
  gauge,
  histogram,
  gaugehistogram,
  summary,
  info,
  stateset,
  unknown,  // OpenMetrics `unknown`, text-format `untyped`, or no TYPE line at all
};

// The name as the text format writes it in `# TYPE` ("untyped" is written "unknown").
std::string_view metric_type_name(MetricType type);

enum class ExpositionFormat : uint8_t {
  prometheus_text,  // text/plain; version=0.0.4
  openmetrics,      // application/openmetrics-text; version=1.0.0
};

std::string_view exposition_format_name(ExpositionFormat format);

// An interned string: an index into the scrape's string table. Equal strings, equal symbols.
using Symbol = uint32_t;

struct LabelRef {
  Symbol name;
  Symbol value;
};

struct Family {
  Symbol name;  // family name as in `# TYPE` (OpenMetrics: without _total etc.)
  MetricType type = MetricType::unknown;
  std::optional<Symbol> help;
  std::optional<Symbol> unit;
  uint32_t series_count = 0;  // samples attached to this family
};

struct Series {
  static constexpr int64_t kNoTimestamp = std::numeric_limits<int64_t>::min();

  Symbol name;           // the sample's full name: foo_total, foo_bucket, foo_created, ...
  uint32_t family;       // index into Scrape::families()
  uint32_t label_begin;  // first label in the scrape's label table
  uint32_t label_count;  // labels sorted by name; never includes __name__
  double value;
  // The sample's timestamp, rare in scrapes, is kept aside: Scrape::timestamp_ms(index). 24
  // bytes instead of 32 per series is 16 MB less memory to fault in for a million jobs.
};

class Scrape {
 public:
  Scrape();
  ~Scrape();
  Scrape(Scrape&&) noexcept;
  Scrape& operator=(Scrape&&) noexcept;
  Scrape(const Scrape&) = delete;
  Scrape& operator=(const Scrape&) = delete;

  ExpositionFormat format() const;

  std::string_view str(Symbol symbol) const;
  // The symbol of a string if the scrape contains it anywhere; lets callers compare symbols.
  std::optional<Symbol> find(std::string_view text) const;

  const std::vector<Family>& families() const;
  std::optional<uint32_t> find_family(std::string_view name) const;

  std::size_t series_count() const;
  const Series& series(std::size_t index) const;
  // The timestamp the exposition gave the sample of series `index`, or Series::kNoTimestamp.
  int64_t timestamp_ms(std::size_t index) const;
  std::span<const LabelRef> labels(const Series& series) const;
  // Value of one label, or nullopt when the series does not carry it.
  std::optional<std::string_view> label(const Series& series, std::string_view name) const;

  // Indices of the series whose sample name is `name`, in exposition order.
  std::span<const uint32_t> series_named(std::string_view name) const;
  // Every distinct sample name, in order of first appearance.
  std::span<const Symbol> sample_names() const;

  // The value of the only series named `name`; nullopt when there is none or more than one.
  std::optional<double> single_value(std::string_view name) const;

  // Building, for ExpositionParser and tests that construct scrapes by hand.
  class Builder;
  Builder& builder();

  // Something derived from the scrape that evaluations compute once and share, such as the
  // label-set order of a big family, which show's two job-duration queries both need. The first
  // caller of `key` computes it (an exception reaches every caller) while later ones wait; it
  // lives as long as the scrape, or until a series is added.
  std::shared_ptr<const void> derived(
      const std::string& key, const std::function<std::shared_ptr<const void>()>& compute) const;

  // Bytes of memory the scrape holds (strings, series, labels, indexes), for the memory budget.
  std::size_t memory_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Adds families and series to a scrape. Reading a scrape while building it is allowed; the
// name index is brought up to date on the next read. Duplicate series are not refused here:
// ExpositionParser asks first_duplicate() at the end of the input.
class Scrape::Builder {
 public:
  static constexpr uint32_t kMaxLabels = 4096;  // per series

  explicit Builder(Scrape::Impl& impl) : impl_(impl) {}

  void set_format(ExpositionFormat format);
  Symbol intern(std::string_view text);
  // The same, trying `hint` and `hint + 1` before the hash table (see StringTable::intern).
  Symbol intern(std::string_view text, Symbol hint);
  // For a parser that overlaps hash-table cache misses with parsing: hash a string, prefetch
  // its slot, parse on, then intern with the hash. match_hint is the cheap check of `hint` and
  // `hint + 1` alone.
  static uint32_t hash(std::string_view text);
  void prefetch(uint32_t hash) const;
  Symbol intern_hashed(std::string_view text, uint32_t hash);
  std::optional<Symbol> match_hint(std::string_view text, Symbol hint) const;
  // The symbol of `text` if it is already interned; never adds a string.
  std::optional<Symbol> find(std::string_view text) const;
  // Room for about `count` distinct strings, so the string table is not grown on the way.
  void reserve_strings(std::size_t count);

  // A new family; its name must not be taken (see Scrape::find_family).
  uint32_t add_family(std::string_view name, MetricType type = MetricType::unknown);
  void set_type(uint32_t family, MetricType type);
  void set_help(uint32_t family, std::string_view help);
  void set_unit(uint32_t family, std::string_view unit);

  // Adds one sample to `family` and returns its index. Labels may come in any order (they are
  // stored sorted by name) but must have distinct names, at most kMaxLabels of them.
  uint32_t add_series(uint32_t family, Symbol name, std::span<LabelRef> labels, double value,
                      int64_t timestamp_ms = Series::kNoTimestamp);
  // Convenience for tests: strings instead of symbols.
  uint32_t add_series(uint32_t family, std::string_view name,
                      std::initializer_list<std::pair<std::string_view, std::string_view>> labels,
                      double value, int64_t timestamp_ms = Series::kNoTimestamp);

  // Two series with the same name and labels, if there are any: {earlier, later}, the pair
  // whose later series comes first. Found by sorting series hashes once, which costs far less
  // time and memory on millions of series than checking each series as it is added.
  std::optional<std::pair<uint32_t, uint32_t>> first_duplicate() const;

  // Builds the name index now rather than on the first read.
  void finish();

 private:
  Scrape::Impl& impl_;
};

}  // namespace e2e3d
