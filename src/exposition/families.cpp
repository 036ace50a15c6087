// Grouping samples into families. The text format names a counter's family like its sample
// (foo_total) and groups by name; OpenMetrics names the family without suffixes (foo, with
// samples foo_total and foo_created) and requires each family's lines to be one group.

#include <algorithm>
#include <array>
#include <span>

#include <fmt/format.h>

#include "exposition/parser_impl.hpp"

namespace e2e3d {

namespace {

// The suffixes a family's sample names may add to the family's name.
std::span<const std::string_view> sample_suffixes(MetricType type, ExpositionFormat format) {
  static constexpr std::array<std::string_view, 1> kPlain{""};
  static constexpr std::array<std::string_view, 3> kTextHistogram{"_bucket", "_sum", "_count"};
  static constexpr std::array<std::string_view, 3> kTextSummary{"", "_sum", "_count"};
  static constexpr std::array<std::string_view, 2> kCounter{"_total", "_created"};
  static constexpr std::array<std::string_view, 4> kHistogram{"_bucket", "_sum", "_count",
                                                              "_created"};
  static constexpr std::array<std::string_view, 3> kGaugeHistogram{"_bucket", "_gsum", "_gcount"};
  static constexpr std::array<std::string_view, 4> kSummary{"", "_sum", "_count", "_created"};
  static constexpr std::array<std::string_view, 1> kInfo{"_info"};
  if (format == ExpositionFormat::prometheus_text) {
    if (type == MetricType::histogram) return kTextHistogram;
    if (type == MetricType::summary) return kTextSummary;
    return kPlain;
  }
  switch (type) {
    case MetricType::counter:
      return kCounter;
    case MetricType::histogram:
      return kHistogram;
    case MetricType::gaugehistogram:
      return kGaugeHistogram;
    case MetricType::summary:
      return kSummary;
    case MetricType::info:
      return kInfo;
    default:
      return kPlain;
  }
}

bool fits(std::string_view family, MetricType type, ExpositionFormat format,
          std::string_view sample) {
  if (!sample.starts_with(family)) return false;
  const std::string_view suffix = sample.substr(family.size());
  const auto suffixes = sample_suffixes(type, format);
  return std::find(suffixes.begin(), suffixes.end(), suffix) != suffixes.end();
}

std::string suffix_list(std::string_view family, MetricType type, ExpositionFormat format) {
  std::string out;
  for (std::string_view suffix : sample_suffixes(type, format)) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}{}", family, suffix);
  }
  return out;
}

constexpr std::array<std::string_view, 8> kAllSuffixes{"_total", "_created", "_bucket", "_sum",
                                                       "_count", "_gsum",    "_gcount", "_info"};

std::string_view keyword_of(MetaKind kind) {
  switch (kind) {
    case MetaKind::help:
      return "# HELP";
    case MetaKind::type:
      return "# TYPE";
    case MetaKind::unit:
      return "# UNIT";
  }
  return "#";
}

}  // namespace

Symbol ExpositionParser::Impl::intern_name(std::string_view name) {
  if (last_name_symbol != kNone && name == last_name) return last_name_symbol;
  last_name_symbol = builder.intern(name);
  last_name.assign(name);
  return last_name_symbol;
}

std::optional<uint32_t> ExpositionParser::Impl::family_named(std::string_view name) const {
  const auto symbol = builder.find(name);
  if (!symbol) return std::nullopt;
  const auto it = family_by_symbol.find(*symbol);
  if (it == family_by_symbol.end()) return std::nullopt;
  return it->second;
}

uint32_t ExpositionParser::Impl::new_family(std::string_view name) {
  const uint32_t family = builder.add_family(name);
  family_state.emplace_back();
  family_by_symbol.emplace(scrape.families()[family].name, family);
  return family;
}

uint32_t ExpositionParser::Impl::text_family(Symbol name_symbol, std::string_view name) {
  if (name_symbol == cached_family_name) return cached_family;
  uint32_t family = kNone;
  if (const auto it = family_by_symbol.find(name_symbol); it != family_by_symbol.end()) {
    family = it->second;
  } else {
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (!name.ends_with(suffix)) continue;
      const auto base = family_named(name.substr(0, name.size() - suffix.size()));
      if (base && fits(scrape.str(scrape.families()[*base].name), scrape.families()[*base].type,
                       *format, name)) {
        family = *base;
      }
      break;
    }
    if (family == kNone) family = new_family(name);
  }
  cached_family_name = name_symbol;
  cached_family = family;
  return family;
}

uint32_t ExpositionParser::Impl::om_family(Symbol name_symbol, std::string_view name,
                                           const char* name_at) {
  if (name_symbol == cached_family_name && cached_family == current_family) return cached_family;
  const auto& families = scrape.families();
  if (current_family != kNone && fits(scrape.str(families[current_family].name),
                                      families[current_family].type, *format, name)) {
    cached_family_name = name_symbol;
    cached_family = current_family;
    return current_family;
  }
  if (const auto exact = family_named(name)) {
    const Family& family = families[*exact];
    if (*exact == current_family || !fits(name, family.type, *format, name)) {
      fail(name_at, fmt::format("the sample \"{}\" does not fit the {} family \"{}\": its samples "
                                "are named {}",
                                name, metric_type_name(family.type), name,
                                suffix_list(name, family.type, *format)));
    }
    fail(name_at, fmt::format("the samples of \"{}\" are split by other families: OpenMetrics "
                              "requires each family's samples in one group",
                              name));
  }
  for (std::string_view suffix : kAllSuffixes) {
    if (!name.ends_with(suffix)) continue;
    const std::string_view base_name = name.substr(0, name.size() - suffix.size());
    const auto base = family_named(base_name);
    if (base && fits(base_name, families[*base].type, *format, name)) {
      fail(name_at, fmt::format("the samples of \"{}\" are split by other families: OpenMetrics "
                                "requires each family's samples in one group",
                                base_name));
    }
  }
  const uint32_t family = new_family(name);
  current_family = family;
  cached_family_name = name_symbol;
  cached_family = family;
  return family;
}

void ExpositionParser::Impl::on_meta(MetaKind kind, std::string_view name, std::string_view payload,
                                     MetricType type) {
  const bool openmetrics = *format == ExpositionFormat::openmetrics;
  const std::string_view keyword = keyword_of(kind);
  cached_family_name = kNone;
  uint32_t family;
  if (const auto existing = family_named(name)) {
    family = *existing;
    const FamilyState& state = family_state[family];
    if (openmetrics && family != current_family) {
      fail(line_begin, fmt::format("\"{}\" for \"{}\" comes after other families: OpenMetrics "
                                   "requires each family's lines in one group",
                                   keyword, name));
    }
    if ((openmetrics || kind == MetaKind::type) && state.samples > 0) {
      fail(line_begin, fmt::format("\"{}\" for \"{}\" comes after its samples: metadata must "
                                   "come before a family's first sample",
                                   keyword, name));
    }
    if ((kind == MetaKind::help && state.has_help) || (kind == MetaKind::type && state.typed) ||
        (kind == MetaKind::unit && state.has_unit)) {
      fail(line_begin,
           fmt::format("second \"{}\" line for \"{}\": only one is allowed", keyword, name));
    }
  } else {
    family = new_family(name);
    if (openmetrics) current_family = family;
  }
  FamilyState& state = family_state[family];
  switch (kind) {
    case MetaKind::help:
      builder.set_help(family, payload);
      state.has_help = true;
      break;
    case MetaKind::unit:
      builder.set_unit(family, payload);
      state.has_unit = true;
      break;
    case MetaKind::type:
      // A sample that belongs to this family but came before its TYPE made a family of its own.
      for (std::string_view suffix : sample_suffixes(type, *format)) {
        if (suffix.empty()) continue;
        const std::string sample = fmt::format("{}{}", name, suffix);
        const auto early = family_named(sample);
        if (early && !family_state[*early].typed && family_state[*early].samples > 0) {
          fail(line_begin, fmt::format("\"# TYPE {}\" comes after its sample \"{}\": the TYPE "
                                       "line must come before the family's samples",
                                       name, sample));
        }
      }
      builder.set_type(family, type);
      state.typed = true;
      break;
  }
}

void ExpositionParser::Impl::add_sample(const char* name_at, std::string_view name, double value,
                                        int64_t timestamp_ms) {
  const Symbol name_symbol = intern_name(name);
  const uint32_t family = *format == ExpositionFormat::prometheus_text
                              ? text_family(name_symbol, name)
                              : om_family(name_symbol, name, name_at);
  // Label names are interned, so equal names are equal symbols.
  const std::size_t count = labels.size();
  for (std::size_t j = 1; j < count; ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      if (labels[i].name == labels[j].name) {
        fail(label_positions[j], fmt::format("the label \"{}\" appears twice in one series",
                                             scrape.str(labels[j].name)));
      }
    }
    if (count > 32 && j == 32) break;  // larger sets are checked below
  }
  if (count > 32) {
    std::vector<std::pair<Symbol, std::size_t>> names;
    names.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
      names.emplace_back(labels[i].name, i);
    std::sort(names.begin(), names.end());
    for (std::size_t k = 1; k < count; ++k) {
      if (names[k].first == names[k - 1].first) {
        const std::size_t later = std::max(names[k].second, names[k - 1].second);
        fail(label_positions[later], fmt::format("the label \"{}\" appears twice in one series",
                                                 scrape.str(names[k].first)));
      }
    }
  }
  intern_pending_values();
  const uint32_t index = builder.add_series(family, name_symbol, labels, value, timestamp_ms);
  note_series_position(index, static_cast<uint32_t>(name_at - line_begin) + 1);
  family_state[family].samples++;
}

// Names are ASCII, so the byte offset of a sample's name is its column.
void ExpositionParser::Impl::note_series_position(uint32_t series, uint32_t column) {
  if (!series_runs.empty()) {
    const SeriesRun& run = series_runs.back();
    if (run.column == column && line_number - run.line == series - run.first_series) return;
  }
  series_runs.push_back(SeriesRun{series, line_number, column});
}

Position ExpositionParser::Impl::series_position(uint32_t series) const {
  const auto after = std::upper_bound(
      series_runs.begin(), series_runs.end(), series,
      [](uint32_t index, const SeriesRun& run) { return index < run.first_series; });
  const SeriesRun& run = *(after - 1);
  return Position{run.line + (series - run.first_series), run.column};
}

// Reported at the end of the input: see Scrape::Builder::first_duplicate for why.
void ExpositionParser::Impl::check_duplicates() {
  const auto duplicate = builder.first_duplicate();
  if (!duplicate) return;
  const Series& series = scrape.series(duplicate->second);
  std::string text(scrape.str(series.name));
  if (series.label_count > 0) {
    text += '{';
    for (const LabelRef& label : scrape.labels(series)) {
      if (text.back() != '{') text += ',';
      text += scrape.str(label.name);
      text += "=\"";
      // Escaped as in the exposition, so the message stays one printable line.
      for (const char c : scrape.str(label.value)) {
        if (c == '\\' || c == '"') {
          text += '\\';
          text += c;
        } else if (c == '\n') {
          text += "\\n";
        } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          text += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        } else {
          text += c;
        }
      }
      text += '"';
    }
    text += '}';
  }
  constexpr std::size_t kShown = 40;
  if (text.size() > kShown) {
    std::size_t cut = kShown;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80)
      --cut;
    text = text.substr(0, cut) + "...";
  }
  fail_at(series_position(duplicate->second),
          fmt::format("duplicate series: the same metric name and labels as on line {}, and each "
                      "series may appear only once",
                      series_position(duplicate->first).line),
          fmt::format("\"{}\"", text));
}

}  // namespace e2e3d
