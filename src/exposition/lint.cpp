// promlint's rules (github.com/prometheus/client_golang/prometheus/testutil/promlint, as in
// promtool 2.42), applied to our families. In OpenMetrics the family name carries no _total,
// so the counter-suffix rule only applies to the text format.

#include <algorithm>
#include <array>
#include <unordered_map>

#include <fmt/format.h>

#include "e2e3d/exposition_lint.hpp"

namespace e2e3d {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// promlint's camelCase test: a lower-case letter followed by an upper-case one.
bool camel_case(std::string_view text) {
  for (std::size_t i = 1; i < text.size(); ++i) {
    if (text[i - 1] >= 'a' && text[i - 1] <= 'z' && text[i] >= 'A' && text[i] <= 'Z') return true;
  }
  return false;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const auto at = text.find(separator, start);
    parts.push_back(text.substr(start, at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

struct Unit {
  std::string_view name;
  std::string_view base;
};
constexpr std::array<Unit, 24> kUnits{{
    {"amperes", "amperes"},    {"bytes", "bytes"},     {"celsius", "celsius"},
    {"grams", "grams"},        {"joules", "joules"},   {"kelvin", "kelvin"},
    {"meters", "meters"},      {"metres", "metres"},   {"seconds", "seconds"},
    {"volts", "volts"},        {"minutes", "seconds"}, {"hours", "seconds"},
    {"days", "seconds"},       {"weeks", "seconds"},   {"kelvins", "kelvin"},
    {"fahrenheit", "celsius"}, {"rankine", "celsius"}, {"inches", "meters"},
    {"yards", "meters"},       {"miles", "meters"},    {"bits", "bytes"},
    {"calories", "joules"},    {"pounds", "grams"},    {"ounces", "grams"},
}};
constexpr std::array<std::string_view, 18> kUnitPrefixes{
    "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo",
    "kibi", "mega", "mibi",  "giga",  "gibi",  "tera", "tebi", "peta",  "pebi"};
constexpr std::array<std::string_view, 14> kUnitAbbreviations{
    "s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"};

std::optional<std::string_view> base_of(std::string_view unit) {
  for (const Unit& u : kUnits) {
    if (u.name == unit) return u.base;
  }
  return std::nullopt;
}

// A name part that is a unit other than its base unit (possibly with an SI prefix), and that
// base. promlint walks a Go map here, so for a name with two units (z_seconds_minutes) promtool
// reports or not at random; we always report the non-base one.
std::optional<std::pair<std::string_view, std::string_view>> non_base_unit(std::string_view name) {
  for (std::string_view part : split(name, '_')) {
    if (const auto base = base_of(part); base && *base != part) return std::make_pair(part, *base);
    for (std::string_view prefix : kUnitPrefixes) {
      if (part.starts_with(prefix)) {
        if (const auto base = base_of(part.substr(prefix.size()))) {
          return std::make_pair(part, *base);
        }
      }
    }
  }
  return std::nullopt;
}

std::string_view promlint_type_name(MetricType type) {
  switch (type) {
    case MetricType::counter:
      return "counter";
    case MetricType::gauge:
      return "gauge";
    case MetricType::histogram:
      return "histogram";
    case MetricType::summary:
      return "summary";
    case MetricType::unknown:
      return "untyped";
    default:
      return metric_type_name(type);
  }
}

// What the series of one family show about its labels.
struct FamilyLabels {
  bool le = false;
  bool quantile = false;
  bool camel_case = false;
  bool bucket_without_le = false;
  bool inf_bucket = false;
  bool has_buckets = false;
  bool quantile_sample_without_label = false;
};

}  // namespace

bool lint_check_is_promtool(std::string_view check) {
  return check != "histogram_le" && check != "histogram_inf" && check != "summary_quantile";
}

std::vector<LintFinding> lint(const Scrape& scrape) {
  const auto& families = scrape.families();
  std::vector<FamilyLabels> seen(families.size());
  const auto le = scrape.find("le");
  const auto quantile = scrape.find("quantile");
  const auto inf = scrape.find("+Inf");
  std::unordered_map<Symbol, bool> camel_label;
  Symbol last_name = 0xffffffffu;
  bool last_is_bucket = false;
  bool last_is_quantile_sample = false;
  for (std::size_t i = 0; i < scrape.series_count(); ++i) {
    const Series& series = scrape.series(i);
    FamilyLabels& f = seen[series.family];
    if (series.name != last_name) {
      last_name = series.name;
      const std::string_view name = scrape.str(series.name);
      const std::string_view family = scrape.str(families[series.family].name);
      last_is_bucket = name.ends_with("_bucket");
      last_is_quantile_sample = name == family;
    }
    bool has_le = false;
    bool has_quantile = false;
    for (const LabelRef& label : scrape.labels(series)) {
      if (label.name == le) {
        has_le = true;
        f.le = true;
        if (label.value == inf) f.inf_bucket = true;
      } else if (label.name == quantile) {
        has_quantile = true;
        f.quantile = true;
      }
      auto [it, inserted] = camel_label.try_emplace(label.name, false);
      if (inserted) it->second = camel_case(scrape.str(label.name));
      f.camel_case = f.camel_case || it->second;
    }
    if (last_is_bucket) {
      f.has_buckets = true;
      if (!has_le) f.bucket_without_le = true;
    }
    if (last_is_quantile_sample && !has_quantile) f.quantile_sample_without_label = true;
  }

  std::vector<LintFinding> findings;
  for (std::size_t k = 0; k < families.size(); ++k) {
    const Family& family = families[k];
    const FamilyLabels& f = seen[k];
    const std::string name(scrape.str(family.name));
    const auto add = [&](std::string_view check, std::string message) {
      findings.push_back(LintFinding{name, std::move(message), check});
    };
    const MetricType type = family.type;
    const bool untyped = type == MetricType::unknown;
    const bool histogram = type == MetricType::histogram || type == MetricType::gaugehistogram;
    const bool summary = type == MetricType::summary;

    if (!family.help || scrape.str(*family.help).empty()) add("help", "no help text");

    const bool total = name.ends_with("_total");
    if (scrape.format() == ExpositionFormat::prometheus_text && type == MetricType::counter &&
        !total) {
      add("counter_total", "counter metrics should have \"_total\" suffix");
    }
    if (!untyped && type != MetricType::counter && total) {
      add("total_suffix", "non-counter metrics should not have \"_total\" suffix");
    }

    if (!untyped) {
      if (!histogram && name.ends_with("_bucket")) {
        add("reserved_suffix", "non-histogram metrics should not have \"_bucket\" suffix");
      }
      if (!histogram && !summary && name.ends_with("_count")) {
        add("reserved_suffix",
            "non-histogram and non-summary metrics should not have \"_count\" suffix");
      }
      if (!histogram && !summary && name.ends_with("_sum")) {
        add("reserved_suffix",
            "non-histogram and non-summary metrics should not have \"_sum\" suffix");
      }
      if (!histogram && f.le) {
        add("reserved_label", "non-histogram metrics should not have \"le\" label");
      }
      if (!summary && f.quantile) {
        add("reserved_label", "non-summary metrics should not have \"quantile\" label");
      }
    }

    if (const auto unit = non_base_unit(name)) {
      add("base_unit",
          fmt::format("use base unit \"{}\" instead of \"{}\"", unit->second, unit->first));
    }
    const std::string lower_name = lower(name);
    // As promlint: the first part (the namespace) may be anything.
    const auto parts = split(lower_name, '_');
    for (std::size_t p = 1; p < parts.size(); ++p) {
      const std::string_view part = parts[p];
      if (std::find(kUnitAbbreviations.begin(), kUnitAbbreviations.end(), part) !=
          kUnitAbbreviations.end()) {
        add("unit_abbreviation", "metric names should not contain abbreviated units");
        break;
      }
    }
    const std::string type_name(promlint_type_name(type));
    if (!untyped && (lower_name.find("_" + type_name + "_") != std::string::npos ||
                     lower_name.ends_with("_" + type_name))) {
      add("type_in_name", fmt::format("metric name should not include type '{}'", type_name));
    }
    if (name.find(':') != std::string::npos) {
      add("colon", "metric names should not contain ':'");
    }
    if (camel_case(name)) {
      add("camel_case_name", "metric names should be written in 'snake_case' not 'camelCase'");
    }
    if (f.camel_case) {
      add("camel_case_label", "label names should be written in 'snake_case' not 'camelCase'");
    }

    if (histogram && f.bucket_without_le) {
      add("histogram_le", "histogram buckets need an \"le\" label");
    }
    if (type == MetricType::histogram && f.has_buckets && !f.inf_bucket) {
      add("histogram_inf", "histograms need an le=\"+Inf\" bucket, which counts every observation");
    }
    if (summary && f.quantile_sample_without_label) {
      add("summary_quantile", "summary quantile samples need a \"quantile\" label");
    }
  }
  std::sort(findings.begin(), findings.end(), [](const LintFinding& a, const LintFinding& b) {
    return a.metric != b.metric ? a.metric < b.metric : a.message < b.message;
  });
  return findings;
}

}  // namespace e2e3d
