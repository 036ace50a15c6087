// The fleet as one scrape, labelled the way Prometheus 2.42 labels what it scrapes with
// honor_labels: false (scrape/scrape.go, mutateSampleLabels and
// resolveConflictingExposedLabels): every target label is set on every series; an exposed
// label it displaces is kept as exported_NAME (exported_exported_NAME... while that name is
// taken). Each target also gets the series Prometheus writes for every scrape: up,
// scrape_duration_seconds and scrape_samples_scraped.

#include <algorithm>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "e2e3d/fleet.hpp"

namespace e2e3d {
namespace {

using LabelPairs = std::vector<std::pair<std::string, std::string>>;

// The label set of one sample: its exposed labels with the target's put over them.
LabelPairs with_target_labels(LabelPairs exposed,
                              const std::map<std::string, std::string>& target) {
  auto find = [](const LabelPairs& set, std::string_view name) {
    return std::find_if(set.begin(), set.end(), [&](const auto& l) { return l.first == name; });
  };
  LabelPairs conflicting;
  for (const auto& [name, value] : target) {
    auto it = find(exposed, name);
    if (it != exposed.end()) {
      // An empty value is no label at all: nothing to keep.
      if (!it->second.empty()) conflicting.emplace_back(name, it->second);
      exposed.erase(it);
    }
  }
  LabelPairs labels = exposed;
  for (const auto& [name, value] : target)
    labels.emplace_back(name, value);
  if (conflicting.empty()) return labels;

  // Shorter names are renamed first, each to the first exported_ name nobody holds yet.
  std::stable_sort(conflicting.begin(), conflicting.end(),
                   [](const auto& a, const auto& b) { return a.first.size() < b.first.size(); });
  for (std::size_t i = 0; i < conflicting.size(); ++i) {
    std::string name = conflicting[i].first;
    while (true) {
      name = "exported_" + name;
      bool taken = find(exposed, name) != exposed.end() || target.count(name) > 0 ||
                   std::any_of(conflicting.begin(), conflicting.begin() + i,
                               [&](const auto& l) { return l.first == name; });
      if (!taken) break;
    }
    conflicting[i].first = name;
  }
  // The new names are held by no exposed or target label: they are added, never replace.
  for (auto& label : conflicting)
    labels.push_back(std::move(label));
  return labels;
}

class FleetMerger {
 public:
  Scrape merge(const std::vector<TargetScrape>& scrapes);

 private:
  uint32_t family(std::string_view name, MetricType type, const std::string& help);
  void add(uint32_t family, std::string_view sample, const LabelPairs& labels, double value,
           int64_t timestamp_ms);
  void add_target(const TargetScrape& target);

  Scrape merged_;
  Scrape::Builder* builder_ = nullptr;
  std::unordered_map<std::string, uint32_t> families_;
  std::vector<LabelRef> refs_;
};

uint32_t FleetMerger::family(std::string_view name, MetricType type, const std::string& help) {
  auto [it, added] = families_.try_emplace(std::string(name), 0);
  if (added) {
    it->second = builder_->add_family(name, type);
    if (!help.empty()) builder_->set_help(it->second, help);
  }
  return it->second;
}

void FleetMerger::add(uint32_t family, std::string_view sample, const LabelPairs& labels,
                      double value, int64_t timestamp_ms) {
  refs_.clear();
  for (const auto& [name, label_value] : labels) {
    refs_.push_back({builder_->intern(name), builder_->intern(label_value)});
  }
  builder_->add_series(family, builder_->intern(sample), refs_, value, timestamp_ms);
}

void FleetMerger::add_target(const TargetScrape& target) {
  const Scrape& scrape = *target.scrape;
  const auto& families = scrape.families();
  std::vector<uint32_t> family_of(families.size());
  // The first target to expose a family gives its type, help and unit.
  for (std::size_t i = 0; i < families.size(); ++i) {
    const Family& f = families[i];
    std::string_view name = scrape.str(f.name);
    bool is_new = !families_.count(std::string(name));
    family_of[i] = family(name, f.type, f.help ? std::string(scrape.str(*f.help)) : "");
    if (is_new && f.unit) builder_->set_unit(family_of[i], scrape.str(*f.unit));
  }
  LabelPairs exposed;
  for (std::size_t i = 0; i < scrape.series_count(); ++i) {
    const Series& series = scrape.series(i);
    exposed.clear();
    for (const LabelRef& label : scrape.labels(series)) {
      exposed.emplace_back(scrape.str(label.name), scrape.str(label.value));
    }
    add(family_of[series.family], scrape.str(series.name),
        with_target_labels(exposed, target.target.labels), series.value, scrape.timestamp_ms(i));
  }
}

Scrape FleetMerger::merge(const std::vector<TargetScrape>& scrapes) {
  builder_ = &merged_.builder();
  ExpositionFormat format = ExpositionFormat::prometheus_text;
  for (const auto& target : scrapes) {
    if (target.scrape) {
      format = target.scrape->format();
      break;
    }
  }
  builder_->set_format(format);
  for (const auto& target : scrapes) {
    if (target.scrape) add_target(target);
  }

  // What Prometheus records about each scrape, under the target's labels.
  uint32_t up =
      family("up", MetricType::gauge, "1 if the target was scraped and parsed, 0 if it failed");
  uint32_t duration =
      family("scrape_duration_seconds", MetricType::gauge, "Seconds the target's scrape took");
  uint32_t samples =
      family("scrape_samples_scraped", MetricType::gauge, "Samples the target exposed");
  for (const auto& target : scrapes) {
    LabelPairs labels(target.target.labels.begin(), target.target.labels.end());
    add(up, "up", labels, target.scrape ? 1 : 0, Series::kNoTimestamp);
    add(duration, "scrape_duration_seconds", labels, target.seconds, Series::kNoTimestamp);
    add(samples, "scrape_samples_scraped", labels,
        target.scrape ? static_cast<double>(target.scrape->series_count()) : 0,
        Series::kNoTimestamp);
  }
  builder_->finish();
  return std::move(merged_);
}

}  // namespace

Scrape merge_fleet(const std::vector<TargetScrape>& scrapes) {
  return FleetMerger().merge(scrapes);
}

}  // namespace e2e3d
